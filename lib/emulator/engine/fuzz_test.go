package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// FuzzImportCSV feeds arbitrary bytes to a list import and a module import:
// they must not panic, every row must be counted once, the dump must hold
// exactly the failed rows, and the list must stay consistent.
func FuzzImportCSV(f *testing.F) {
	for _, seed := range []string{
		registryModels,
		"Code,Name,Workspace,currentSize\nM1,\"a\"\"b\",W1,1\n",
		"Code,Name,Workspace,currentSize\n\"unterminated,W1,1\n",
		"\uFEFFCode,Name,Workspace,currentSize\r\nM1,x,W1,1e3\r\n,,,\r\n",
		"Name,Code\nx,y\n",
		"Code,Name,Workspace,currentSize\n\xff,a,W1,1\n\xfe,b,W2,2\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := engine.ModelRegistry()
		if _, err := m.RunImport(context.Background(), "112000000000", strings.NewReader("Code,Name,sizeAllowance,currentSize\nW1,One,1,1\nW2,Two,2,2\n"), nil); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"112000000001", "112000000003"} {
			res, err := m.RunImport(context.Background(), id, strings.NewReader(string(data)), nil)
			if err != nil {
				t.Fatalf("import %s: %v", id, err)
			}
			if got := res.RowsSucceeded + res.RowsIgnored + res.RowsFailed; got != res.RowsProcessed {
				t.Fatalf("import %s: succeeded+ignored+failed = %d, processed = %d", id, got, res.RowsProcessed)
			}
			if res.FailureDumpAvailable != (res.RowsFailed > 0) || (res.Dump != nil) != (res.RowsFailed > 0) {
				t.Fatalf("import %s: %d failed rows but dump available %v (%d bytes)", id, res.RowsFailed, res.FailureDumpAvailable, len(res.Dump))
			}
			if res.Dump != nil {
				if rows := readCSV(t, res.Dump); len(rows)-1 != res.RowsFailed {
					t.Fatalf("import %s: dump has %d rows for %d failures", id, len(rows)-1, res.RowsFailed)
				}
			}
		}
		items, err := m.ListItems("101000000001")
		if err != nil {
			t.Fatal(err)
		}
		codes := map[string]bool{}
		for _, it := range items {
			if it.Code == "" || codes[it.Code] {
				t.Fatalf("W2 Models has a blank or repeated code %q", it.Code)
			}
			codes[it.Code] = true
		}
		if _, _, err := m.RunExport("116000000001"); err != nil {
			t.Fatal(err)
		}
		snap, err := m.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if err := engine.ModelRegistry().Restore(snap); err != nil {
			t.Fatalf("snapshot of a fuzzed model does not restore: %v", err)
		}
	})
}
