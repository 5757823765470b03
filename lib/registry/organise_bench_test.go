package registry_test

import (
	"fmt"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// BenchmarkOrganise20k classifies and groups 20,000 models named the way
// tenants name copies, by name only.
func BenchmarkOrganise20k(b *testing.B) {
	ws, models := benchTenant(20_000)
	suffix := []string{" - DEV", " - TEST", "", " (copy 2024-03)"}
	for i := range models {
		models[i].Name = fmt.Sprintf("Finance Plan %05d%s", i/4, suffix[i%4])
		models[i].LastModified = ts("2025-06-01T08:30:00Z")
		models[i].CategoryValues = []anaplan.CategoryValue{{CategoryName: "Business Function", Attribute: "Finance"}}
	}
	r := registry.New(ws, models)
	b.ReportAllocs()
	for b.Loop() {
		if org := r.Organise(registry.OrganiseOptions{}); len(org.Models) != len(models) {
			b.Fatal(len(org.Models))
		}
	}
}
