package engine_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine/enginetest"
)

const benchRows = 1_000_000

// BenchmarkListImport1M loads a million new items (code, name, a text
// property) into a numbered list.
func BenchmarkListImport1M(b *testing.B) {
	data := enginetest.WorkspacesCSV(benchRows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := engine.ModelRegistry()
		b.StartTimer()
		res, err := m.RunImport(context.Background(), "112000000000", bytes.NewReader(data), nil)
		if err != nil || res.RowsSucceeded != benchRows {
			b.Fatalf("succeeded %d, err %v", res.RowsSucceeded, err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkModuleImport1M writes a million rows of two number cells into
// a module dimensioned by a million-item list (loaded outside the timer).
func BenchmarkModuleImport1M(b *testing.B) {
	data := enginetest.WorkspacesCSV(benchRows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := engine.ModelRegistry()
		if _, err := m.RunImport(context.Background(), "112000000000", bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := m.RunImport(context.Background(), "112000000002", bytes.NewReader(data), nil)
		if err != nil || res.RowsSucceeded != benchRows {
			b.Fatalf("succeeded %d, err %v", res.RowsSucceeded, err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
