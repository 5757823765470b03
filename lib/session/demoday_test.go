package session_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/session"
)

// TestRaiseDemoDayOnlyMovesForward raises the demo's day in an empty state
// directory, then tries to lower it: the count goes up, never down, and
// DemoDay reads what is counted.
func TestRaiseDemoDayOnlyMovesForward(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if day, err := session.DemoDay(dir); err != nil || day != 0 {
		t.Fatalf("DemoDay of a missing directory: %d, %v", day, err)
	}
	for _, step := range []struct{ raise, want int }{{5, 5}, {3, 5}, {9, 9}} {
		if err := session.RaiseDemoDay(dir, step.raise); err != nil {
			t.Fatal(err)
		}
		if day, err := session.DemoDay(dir); err != nil || day != step.want {
			t.Errorf("after RaiseDemoDay(%d): day %d, %v; want %d", step.raise, day, err, step.want)
		}
	}
	if err := session.RaiseDemoDay(dir, -1); err == nil {
		t.Error("RaiseDemoDay(-1) accepted")
	}
	if err := os.WriteFile(filepath.Join(dir, "demo-day"), []byte("soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := session.RaiseDemoDay(dir, 10); err == nil || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("RaiseDemoDay over a damaged count: %v, want the error to say what to do", err)
	}
}
