package enginetest

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// The generated file must be what the imports expect: the import header,
// n rows of four fields, and codes that never repeat (a repeated code
// would update an item instead of adding one, and measure less work).
func TestWorkspacesCSV(t *testing.T) {
	const n = 5000
	records, err := csv.NewReader(bytes.NewReader(WorkspacesCSV(n))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(records); got != n+1 {
		t.Fatalf("%d records, want a header and %d rows", got, n)
	}
	if h := records[0]; len(h) != 4 || h[0] != "Code" || h[1] != "Name" || h[2] != "sizeAllowance" || h[3] != "currentSize" {
		t.Errorf("header %q, want Code,Name,sizeAllowance,currentSize", h)
	}
	seen := make(map[string]bool, n)
	for _, r := range records[1:] {
		if seen[r[0]] {
			t.Fatalf("code %s repeats", r[0])
		}
		seen[r[0]] = true
	}
}
