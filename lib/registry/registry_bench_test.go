package registry_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// benchTenant is n models spread over n/250 workspaces in no useful order,
// the shape of a large tenant's model list.
func benchTenant(n int) ([]anaplan.Workspace, []anaplan.Model) {
	ws := make([]anaplan.Workspace, max(1, n/250))
	for i := range ws {
		ws[i] = anaplan.Workspace{ID: fmt.Sprintf("8a81b09d5e8c6f27015e%012x", i*7919%len(ws)), Name: fmt.Sprintf("Workspace %04d", i*31%len(ws))}
	}
	models := make([]anaplan.Model, n)
	for i := range models {
		w := ws[i*131%len(ws)]
		models[i] = anaplan.Model{
			ID: fmt.Sprintf("%032X", i*2654435761%n), Name: fmt.Sprintf("Plan %05d", i*48271%n),
			CurrentWorkspaceID: w.ID, CurrentWorkspaceName: w.Name, ActiveState: anaplan.StateUnlocked,
		}
	}
	return ws, models
}

// BenchmarkNew100k sorts a registry of 100,000 models.
func BenchmarkNew100k(b *testing.B) {
	ws, models := benchTenant(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if r := registry.New(ws, models); len(r.Models) != len(models) {
			b.Fatal(len(r.Models))
		}
	}
}

// BenchmarkWriteCSV100k writes the three CSV files of 100,000 models.
func BenchmarkWriteCSV100k(b *testing.B) {
	ws, models := benchTenant(100_000)
	for i := range models {
		models[i].ISOCreationDate = ts("2024-01-02T10:00:00Z")
		models[i].LastModified = ts("2025-06-01T08:30:00Z")
		models[i].CategoryValues = []anaplan.CategoryValue{{CategoryName: "Business Function", Attribute: "Finance"}}
		models[i].MemoryUsage = anaplan.Bytes(i * 1000)
	}
	r := registry.New(ws, models)
	b.ReportAllocs()
	for b.Loop() {
		for _, write := range []func(io.Writer) error{r.WriteWorkspacesCSV, r.WriteModelsCSV, r.WriteRegistryCSV} {
			if err := write(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}
