package registry_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

func demoRegistry(t *testing.T) *registry.Registry {
	t.Helper()
	r, err := registry.Read(context.Background(), serve(t, emulator.Demo()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rowOf returns the row whose first cell is key.
func rowOf(t *testing.T, tb registry.Table, key string) []string {
	t.Helper()
	for _, r := range tb.Rows {
		if r[0] == key {
			return r
		}
	}
	t.Fatalf("no row %q in %v", key, tb.Rows)
	return nil
}

func TestWorkspacesTableFlagsCapacity(t *testing.T) {
	t.Parallel()
	tb := demoRegistry(t).Summary().WorkspacesTable()
	if len(tb.Rows) != 7 {
		t.Fatalf("%d rows, want the demo tenant's 7 workspaces", len(tb.Rows))
	}
	for _, tc := range []struct {
		name        string
		col, want   int
		wantContent string
	}{
		{"Workforce Planning (HR)", 6, 0, "nearly full"},
		{"Sandbox – Model Builders", 6, 0, "over allowance"},
		{"FP&A Planning", 6, 0, ""},
		{"Legacy 2019", 1, 0, "no"},
		{"Workforce Planning (HR)", 3, 0, "9.0 GiB"},
		{"Workforce Planning (HR)", 2, 0, "5"},
	} {
		if got := rowOf(t, tb, tc.name)[tc.col]; got != tc.wantContent {
			t.Errorf("%s: %s is %q, want %q", tc.name, tb.Header[tc.col], got, tc.wantContent)
		}
	}
	if used := rowOf(t, tb, "Workforce Planning (HR)")[5]; !strings.HasPrefix(used, "9") || !strings.HasSuffix(used, "%") {
		t.Errorf("Workforce Planning (HR) is %s used, want about 97%%", used)
	}
}

func TestStatesTablesCountEveryModel(t *testing.T) {
	t.Parallel()
	r := demoRegistry(t)
	states := r.Summary().StatesTable()
	total := 0
	for _, row := range states.Rows {
		n, _ := strconv.Atoi(row[1])
		total += n
	}
	if total != len(r.Models) || rowOf(t, states, "ACTIVE")[1] != "1" || rowOf(t, states, "ARCHIVED")[1] != "7" {
		t.Errorf("states table %v: want all %d models, 1 ACTIVE, 7 ARCHIVED", states.Rows, len(r.Models))
	}

	pivot := r.StatesByWorkspace()
	if pivot.Header[0] != "WORKSPACE" || pivot.Header[len(pivot.Header)-1] != "TOTAL" || len(pivot.Header) != len(states.Rows)+2 {
		t.Fatalf("pivot header %v, want WORKSPACE, one column per state, TOTAL", pivot.Header)
	}
	sum := 0
	workspaces := r.Summary().WorkspacesTable()
	for _, row := range pivot.Rows {
		n, _ := strconv.Atoi(row[len(row)-1])
		sum += n
		if want := rowOf(t, workspaces, row[0])[2]; row[len(row)-1] != want {
			t.Errorf("%s totals %s models in the pivot, %s in the workspaces table", row[0], row[len(row)-1], want)
		}
	}
	if sum != len(r.Models) {
		t.Errorf("the pivot counts %d models, want %d", sum, len(r.Models))
	}
	fpa := rowOf(t, pivot, "FP&A Planning")
	for i, h := range pivot.Header {
		if h == "ACTIVE" && fpa[i] != "1" {
			t.Errorf("FP&A Planning has %q ACTIVE models in the pivot, want 1", fpa[i])
		}
	}
	if admin := rowOf(t, pivot, "Admin Tools"); !slicesContain(admin, "") {
		t.Errorf("Admin Tools row %v: want blank cells for states it has no model in", admin)
	}
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestStatesByWorkspaceKeepsOrphans(t *testing.T) {
	t.Parallel()
	pivot := fixture().StatesByWorkspace()
	if got := rowOf(t, pivot, "Hidden"); got[len(got)-1] != "1" {
		t.Errorf("the orphan's workspace row is %v, want a total of 1", got)
	}
}

func TestModelsTable(t *testing.T) {
	t.Parallel()
	r := demoRegistry(t)
	tb := r.ModelsTable()
	if len(tb.Rows) != len(r.Models) {
		t.Fatalf("%d rows for %d models", len(tb.Rows), len(r.Models))
	}
	want := []string{`Incentive Comp "ICM" - DEV`, "UNLOCKED", "Sales & Revenue Operations", "760.", "2025-02-10", "20"}
	got := rowOf(t, tb, want[0])
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("%s: %s is %q, want it to start with %q", want[0], tb.Header[i], got[i], w)
		}
	}
	if !strings.HasSuffix(got[3], " MiB") {
		t.Errorf("size %q is not for people", got[3])
	}
}

func TestFrameTableFormatsNumbers(t *testing.T) {
	t.Parallel()
	tb := registry.FrameTable(fixture().WorkspacesFrame())
	want := registry.Table{
		Header: []string{"id", "name", "active", "sizeAllowance", "currentSize", "usedPercent", "models"},
		Rows: [][]string{
			{"8a81b09d5e8c6f27015ece3402487d34", "=cmd|' /C calc'!A0", "true", "0", "0", "", "4"},
			{"8a81b09d5e8c6f27015ece3402487d33", "Finance, Planning", "true", "10737418240", "9800000000", "91.3", "5"},
		},
	}
	if !reflect.DeepEqual(tb, want) {
		t.Errorf("FrameTable =\n%v\nwant\n%v", tb, want)
	}
}
