package registry_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/rivo/uniseg"
)

// The second column starts at the same terminal column on every line,
// whatever the first holds: wide East Asian characters (two columns each),
// a combining accent (none), plain ASCII.
func TestTableWriteTextAlignsByDisplayWidth(t *testing.T) {
	t.Parallel()
	names := []string{"NAME", "Prévisions Ventes – 東京", "Pre\u0301visions", "Sales, EMEA", "東京東京東京東京"}
	tab := registry.Table{Header: []string{names[0], "STATE"}}
	for _, n := range names[1:] {
		tab.Rows = append(tab.Rows, []string{n, "PRODUCTION"})
	}
	var b strings.Builder
	if err := tab.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(names) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(names), b.String())
	}
	want := uniseg.StringWidth("Prévisions Ventes – 東京") + 2 // the widest, then two spaces
	for i, l := range lines {
		at := strings.LastIndex(l, "  ") + 2
		if !strings.HasPrefix(l, names[i]) || at < 2 {
			t.Fatalf("line %d = %q, want it to start %q and have two spaces before the next column", i, l, names[i])
		}
		if got := uniseg.StringWidth(l[:at]); got != want {
			t.Errorf("line %d: second column at terminal column %d, want %d:\n%s", i, got, want, b.String())
		}
	}
}

// A long cell is cut to 48 columns, between whole characters, except in
// the last column, which nothing follows.
func TestTableWriteTextCutsAllButTheLastColumn(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("東", 30) // 60 columns
	why := "1 development/test model and no production model: is the production copy in a workspace you cannot see?"
	tab := registry.Table{Header: []string{"NAME", "WHY"}, Rows: [][]string{{long, why}}}
	var b strings.Builder
	if err := tab.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	row := strings.Split(b.String(), "\n")[1]
	cell, rest, ok := strings.Cut(row, "  ")
	if !ok {
		t.Fatalf("row %q has no column gap", row)
	}
	if want := strings.Repeat("東", 23) + "…"; cell != want { // 46 columns and the ellipsis: 47 ≤ 48
		t.Errorf("first cell = %q (%d columns), want %q", cell, uniseg.StringWidth(cell), want)
	}
	if got := strings.TrimLeft(rest, " "); got != why {
		t.Errorf("last cell = %q, want it whole: %q", got, why)
	}
}

// A row whose last cells are empty ends at its last text, without
// padding to nowhere.
func TestTableWriteTextNoTrailingSpaces(t *testing.T) {
	t.Parallel()
	tab := registry.Table{Header: []string{"WORKSPACE", "USED", "STATUS"}, Rows: [][]string{{"Admin Tools", "21.0%", ""}, {"Sandbox", "109.4%", "over allowance"}, {"", "", ""}}}
	var b strings.Builder
	if err := tab.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "WORKSPACE    USED    STATUS\nAdmin Tools  21.0%\nSandbox      109.4%  over allowance\n\n"
	if b.String() != want {
		t.Errorf("WriteText:\n%q\nwant\n%q", b.String(), want)
	}
}
