package engine_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine/enginetest"
)

// Benchmarks of the transactional reads and writes, on the Model
// Registry: W1 Workspace Register has three line items, so 333,333
// workspaces make a 999,999-cell view (the synchronous limit).

func loadedRegistry(b *testing.B, workspaces int, cells bool) *engine.Model {
	b.Helper()
	m := engine.ModelRegistry()
	data := enginetest.WorkspacesCSV(workspaces)
	if _, err := m.RunImport(context.Background(), "112000000000", bytes.NewReader(data), nil); err != nil {
		b.Fatal(err)
	}
	if cells {
		if _, err := m.RunImport(context.Background(), "112000000002", bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
	return m
}

// countingWriter counts bytes, so a benchmark reports MB/s of output.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkViewCSV1MCells streams a 999,999-cell view as CSV.
func BenchmarkViewCSV1MCells(b *testing.B) {
	m := loadedRegistry(b, 333_333, true)
	b.ReportAllocs()
	var w countingWriter
	for b.Loop() {
		w.n = 0
		if err := m.ReadView("102000000000", nil, func(g *engine.ViewGrid) error { return g.WriteCSV(&w, false) }); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(w.n)
	b.ReportMetric(float64(999_999*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkListPages1M renders a 1,000,000-item list as read request
// pages of 50,000 items.
func BenchmarkListPages1M(b *testing.B) {
	m := loadedRegistry(b, 1_000_000, false)
	b.ReportAllocs()
	var w countingWriter
	for b.Loop() {
		w.n = 0
		for lo := 0; lo < 1_000_000; lo += 50_000 {
			if err := m.WriteListCSV(&w, "101000000000", lo, lo+50_000, false); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.SetBytes(w.n)
	b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkViewTabularPages1M renders a 1,000,000-row view (3 cells a
// row) as tabular read request pages of 50,000 rows.
func BenchmarkViewTabularPages1M(b *testing.B) {
	m := loadedRegistry(b, 1_000_000, true)
	b.ReportAllocs()
	var w countingWriter
	for b.Loop() {
		w.n = 0
		for lo := 0; lo < 1_000_000; lo += 50_000 {
			if err := m.WriteViewTabularCSV(&w, "102000000000", lo, lo+50_000, false); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.SetBytes(w.n)
	b.ReportMetric(float64(3_000_000*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkWriteCells100k writes one call's worth of cells (100,000, by
// item code) into a module of 100,000 items.
func BenchmarkWriteCells100k(b *testing.B) {
	const n = 100_000
	m := loadedRegistry(b, n, false)
	cells := make([]engine.CellInput, n)
	data := enginetest.WorkspacesCSV(n)
	codes := bytes.Split(data, []byte("\n"))[1:]
	for i := range cells {
		code, _, _ := bytes.Cut(codes[i], []byte(","))
		cells[i] = engine.CellInput{LineItemName: "Current Size", Value: float64(i),
			Dimensions: []engine.CellDimension{{DimensionName: "W1 Workspaces", ItemCode: string(code)}}}
	}
	b.ReportAllocs()
	for b.Loop() {
		changed, failures, err := m.WriteCells("102000000000", cells)
		if err != nil || changed != n {
			b.Fatalf("changed %d, %v %v", changed, failures[:min(3, len(failures))], err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkAddItems100k adds one call's worth of items to a list.
func BenchmarkAddItems100k(b *testing.B) {
	const n = 100_000
	items := make([]engine.ItemInput, n)
	for i := range items {
		items[i] = engine.ItemInput{Code: "C" + strconv.Itoa(i), Name: "Item " + strconv.Itoa(i)}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := engine.ModelRegistry()
		b.StartTimer()
		if added, _, err := m.AddItems("101000000000", items); err != nil || added != n {
			b.Fatal(added, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
}
