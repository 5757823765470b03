package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestHistoryOfAMovingDemoTenant runs the registry five times on the
// built-in demo tenant, which moves a day on at each run, and holds the
// history's diffs against the emulator's own record of what it did: every
// model created, grown, archived, renamed, moved and synced, and nothing
// else of those kinds. The forecast names the workspace the demo fills.
func TestHistoryOfAMovingDemoTenant(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	const runs = 5
	for i := range runs {
		res := clitest.Run(t, run, "-out", out)
		if res.Code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, res.Code, res.Stderr)
		}
		if i > 0 && !strings.Contains(res.Stdout, fmt.Sprintf("since run %d", i)) {
			t.Errorf("run %d does not say what changed:\n%s", i+1, res.Stdout)
		}
	}
	ctx := context.Background()
	db, err := history.Open(ctx, filepath.Join(out, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tenants, err := db.Tenants(ctx)
	if err != nil || len(tenants) != 1 {
		t.Fatalf("tenants %q, %v", tenants, err)
	}
	snaps, err := db.Latest(ctx, tenants[0], runs)
	if err != nil || len(snaps) != runs {
		t.Fatalf("%d snapshots, %v", len(snaps), err)
	}

	tenant := emulator.Demo()
	for day := 1; day < runs; day++ {
		var events []emulator.Event
		tenant, events = tenant.Advance(1, 1) // the seed the built-in demo tenant moves with
		want := eventChanges(events)
		got := diffChanges(history.Diff(snaps[day-1], snaps[day]))
		if !sameKeys(got, want) {
			t.Errorf("day %d: the diff says\n  %v\nthe emulator did\n  %v", day, keys(got), keys(want))
		}
	}
	kinds := map[history.ChangeKind]bool{}
	for day := 1; day < runs; day++ {
		for _, c := range history.Diff(snaps[day-1], snaps[day]) {
			kinds[c.Kind] = true
		}
	}
	for _, k := range []history.ChangeKind{history.ModelAdded, history.ModelGrown, history.StateChanged,
		history.ModelRenamed, history.ModelMoved, history.ALMChanged, history.UsageChanged} {
		if !kinds[k] {
			t.Errorf("four days of the demo tenant never showed a %q change", k)
		}
	}

	caps, err := db.Forecast(ctx, tenants[0])
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(caps, func(c history.Capacity) bool { return c.Free > 0 && !c.Full.IsZero() })
	if i < 0 || caps[i].Name != "Supply Chain Planning" {
		t.Errorf("the forecast's first workspace to fill is %+v, want Supply Chain Planning", caps)
	}
}

// eventChanges names what a diff should list for the emulator's events,
// as diffChanges names the diff's changes.
func eventChanges(events []emulator.Event) map[string]bool {
	want := map[string]bool{}
	for _, e := range events {
		switch e.Kind {
		case emulator.EventCreated:
			want["added "+e.ModelID] = true
		case emulator.EventGrown:
			want["grown "+e.ModelID] = true
		case emulator.EventArchived:
			want["state "+e.ModelID] = true
		case emulator.EventRenamed:
			want["renamed "+e.ModelID] = true
		case emulator.EventMoved:
			want["moved "+e.ModelID] = true
		case emulator.EventSynced:
			want["alm "+e.ModelID+" behind -> in-sync"] = true
		}
	}
	return want
}

// diffChanges names a diff's model changes of the kinds the emulator's
// events make, and of the kinds it never makes (removed, shrunk).
func diffChanges(changes []history.Change) map[string]bool {
	got := map[string]bool{}
	for _, c := range changes {
		switch c.Kind {
		case history.ModelAdded, history.ModelRemoved, history.ModelGrown, history.ModelShrunk,
			history.StateChanged, history.ModelRenamed, history.ModelMoved:
			got[string(c.Kind)+" "+c.ID] = true
		case history.ALMChanged:
			if c.From == "behind" {
				got["alm "+c.ID+" "+c.From+" -> "+c.To] = true
			}
		}
	}
	return got
}

func sameKeys(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// A run whose files do not land (hygiene.csv is a directory in the way)
// fails and adds nothing to the history, though its run was written into
// the database while the files were.
func TestFailedRunAddsNoHistory(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	if res := clitest.Run(t, run, "-out", out); res.Code != 0 {
		t.Fatalf("first run: exit %d\n%s", res.Code, res.Stderr)
	}
	hygiene := filepath.Join(out, registry.HygieneFile)
	if err := os.Remove(hygiene); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(hygiene, "in the way"), 0o755); err != nil {
		t.Fatal(err)
	}
	if res := clitest.Run(t, run, "-out", out); res.Code == 0 {
		t.Fatalf("a run that could not write %s succeeded:\n%s", hygiene, res.Stdout)
	}
	db, err := history.Open(context.Background(), filepath.Join(out, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tenants, err := db.Tenants(context.Background())
	if err != nil || len(tenants) != 1 {
		t.Fatalf("tenants %q, %v", tenants, err)
	}
	runs, err := db.Runs(context.Background(), tenants[0])
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs after a failed run: %+v, %v; want the first run only", runs, err)
	}
}
