package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestDemoTenantDoesNotGoBackWhenTheTempDirIsCleared runs the registry
// three times on the built-in demo tenant, deletes the emulator's state
// directory (where the demo's day is counted; a reboot may clear it) but
// keeps the history, and runs it a fourth time: the fourth run reads day
// 3, and its diff against the third lists exactly the emulator's changes
// of day 3: nothing shrinks, nothing disappears.
func TestDemoTenantDoesNotGoBackWhenTheTempDirIsCleared(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	stateDir := filepath.Join(os.TempDir(), "anaplan-registry-emulator") // session.DefaultOptions' StateDir
	for i := range 4 {
		if i == 3 {
			if _, err := os.Stat(filepath.Join(stateDir, "demo-day")); err != nil {
				t.Fatalf("the demo's day is not counted where the test clears it: %v", err)
			}
			if err := os.RemoveAll(stateDir); err != nil {
				t.Fatal(err)
			}
		}
		if res := clitest.Run(t, run, "-out", out); res.Code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, res.Code, res.Stderr)
		}
	}

	ctx := context.Background()
	db, err := history.Open(ctx, filepath.Join(out, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if day, ok, err := db.LatestDemoDay(ctx); err != nil || !ok || day != 3 {
		t.Errorf("the history's latest demo day: %d %v %v, want 3", day, ok, err)
	}
	tenants, err := db.Tenants(ctx)
	if err != nil || len(tenants) != 1 {
		t.Fatalf("tenants %q, %v", tenants, err)
	}
	snaps, err := db.Latest(ctx, tenants[0], 2)
	if err != nil || len(snaps) != 2 {
		t.Fatalf("%d snapshots, %v", len(snaps), err)
	}
	day2, _ := emulator.Demo().Advance(2, 1) // the seed the built-in demo tenant moves with
	_, events := day2.Advance(1, 1)
	got, want := diffChanges(history.Diff(snaps[0], snaps[1])), eventChanges(events)
	if !sameKeys(got, want) {
		t.Errorf("after the state directory was cleared, the diff says\n  %v\nthe emulator did on day 3\n  %v", keys(got), keys(want))
	}
}
