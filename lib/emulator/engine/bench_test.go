package engine_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

const benchRows = 1_000_000

// benchWorkspaces is a workspaces.csv of n rows, built once per benchmark.
func benchWorkspaces(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 64)
	b.WriteString("Code,Name,sizeAllowance,currentSize\n")
	var num []byte
	for i := range n {
		num = strconv.AppendInt(num[:0], int64(i), 16)
		b.WriteString("8a81b09d5e8c6f27015e")
		b.Write(num)
		b.WriteString(",Workspace ")
		b.Write(num)
		b.WriteString(",1073741824,")
		b.WriteString(strconv.Itoa(i * 1000))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkListImport1M loads a million new items (code, name, a text
// property) into a numbered list.
func BenchmarkListImport1M(b *testing.B) {
	data := benchWorkspaces(benchRows)
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
	data := benchWorkspaces(benchRows)
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
