package registry_test

import (
	"fmt"
	"runtime"
	"slices"
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

// BenchmarkOrganise100k organises 100,000 models of distinct names, so
// each is a family of its own (as in scripts/sandbox's generated tenants),
// every one stale: the shape that made Organise the largest part of
// scripts/registry's memory. kept-MB is the live heap the organisation
// adds to the registry (after a GC), which the process's peak RSS follows.
func BenchmarkOrganise100k(b *testing.B) {
	ws, models := benchTenant(100_000)
	for i := range models {
		models[i].LastModified = ts("2025-06-01T08:30:00Z")
	}
	now := ts("2026-12-01T00:00:00Z").Time
	b.ReportAllocs()
	var kept int64
	for b.Loop() {
		b.StopTimer()
		r := registry.New(ws, slices.Clone(models))
		before := liveHeap()
		b.StartTimer()
		org := r.Organise(registry.OrganiseOptions{Now: now})
		b.StopTimer()
		if len(org.Families) != len(models) {
			b.Fatalf("%d families, want one a model", len(org.Families))
		}
		kept = max(kept, liveHeap()-before)
		runtime.KeepAlive(r)
		b.StartTimer()
	}
	b.ReportMetric(float64(kept)/1e6, "kept-MB")
}

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
