package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

var day0 = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)

// seed records three runs: the second renames and grows a model, the
// third adds one.
func seed(t *testing.T, tenants ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry.db")
	db, err := history.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ws := []history.Workspace{{ID: "w1", Name: "Finance", SizeAllowance: 1000, CurrentSize: 500}}
	ms := []history.Model{{ID: "M1", Name: "Plan DEV", WorkspaceID: "w1", MemoryUsage: 100}}
	for _, tenant := range tenants {
		for d := range 3 {
			switch d {
			case 1:
				ms[0].Name, ms[0].MemoryUsage = "Plan Development", 150
			case 2:
				ms = append(ms, history.Model{ID: "M2", Name: "Plan PROD", WorkspaceID: "w1", MemoryUsage: 10})
			}
			if _, err := db.Record(context.Background(), tenant, day0.AddDate(0, 0, d), ws, ms); err != nil {
				t.Fatal(err)
			}
		}
		ms = ms[:1]
		ms[0].Name, ms[0].MemoryUsage = "Plan DEV", 100
	}
	return path
}

func runDiff(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestDiffOfTheLastTwoRuns(t *testing.T) {
	path := seed(t, "demo")
	out, _, err := runDiff(t, "-history", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "demo: run 2 (2026-11-02 06:00:00) -> run 3 (2026-11-03 06:00:00): 1 change\n") ||
		!strings.Contains(out, "added") || !strings.Contains(out, "Plan PROD") || !strings.Contains(out, "10 B") || strings.Contains(out, "renamed") {
		t.Errorf("diff of the last two runs:\n%s", out)
	}
}

func TestDiffByDateAndID(t *testing.T) {
	path := seed(t, "demo")
	out, _, err := runDiff(t, "-history", path, "-from", "2026-11-01", "-to", "2", "-format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"kind", "id", "name", "workspaceId", "from", "to", "bytes", "percent"},
		{"renamed", "M1", "Plan Development", "w1", "Plan DEV", "Plan Development", "0", "0.0"},
		{"grown", "M1", "Plan Development", "w1", "", "", "50", "50.0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("csv rows = %q, want %q", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	out, _, err = runDiff(t, "-history", path, "-from", "1", "-format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var changes []history.Change
	if err := json.Unmarshal([]byte(out), &changes); err != nil || len(changes) != 3 {
		t.Errorf("json from run 1 to the last = %s (%v), want 3 changes", out, err)
	}
}

func TestDiffRefusesWhatItCannotAnswer(t *testing.T) {
	one := seed(t, "demo")
	two := seed(t, "demo", "acme")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-history", filepath.Join(t.TempDir(), "none.db")}, "run go run ./scripts/registry first"},
		{[]string{"-history", two}, `runs of 2 tenants ("acme", "demo"): pick one with -tenant`},
		{[]string{"-history", two, "-tenant", "nope"}, `no runs of tenant "nope"`},
		{[]string{"-history", one, "-to", "1"}, "run 1 is the first"},
		{[]string{"-history", one, "-from", "3", "-to", "2"}, "-from 3 (run 3) is not older than -to (run 2)"},
		{[]string{"-history", one, "-from", "2026-11-04"}, "-from 2026-11-04 (run 3) is not older than -to (run 3, the last recorded)"},
		{[]string{"-history", one, "-from", "yesterday"}, `-from "yesterday" is neither a run id nor a date`},
		{[]string{"-history", one, "-from", "2020-01-01"}, "no run of demo on or before 2020-01-01"},
		{[]string{"-history", one, "-to", "99"}, "no run 99"},
	} {
		_, _, err := runDiff(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to say %q", c.args, err, c.want)
		}
	}
	out, _, err := runDiff(t, "-history", two, "-tenant", "acme", "-list")
	if err != nil || strings.Count(out, "\n") != 4 {
		t.Errorf("-list = %q, %v; want a header and 3 runs", out, err)
	}
}
