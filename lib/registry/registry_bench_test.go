package registry_test

import (
	"fmt"
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
