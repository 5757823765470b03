package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestOutputTargetThatIsADirectory: with out/registry.csv a directory, the
// run fails naming it, and workspaces.csv and models.csv keep the previous
// run's content (the registry is all or none), with no temp file beside.
func TestOutputTargetThatIsADirectory(t *testing.T) {
	clitest.Offline(t)
	out := newOutputs(t)
	blocker := filepath.Join(out.previous, "registry.csv")
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	res := clitest.Run(t, run, "-out", out.previous)
	if last := lastLine(res.Stderr); res.Code != 1 || !strings.Contains(last, blocker) || !strings.Contains(last, "is a directory") {
		t.Fatalf("exit %d, last line %q: want 1 and an error naming %s as a directory", res.Code, last, blocker)
	}
	for _, name := range []string{"workspaces.csv", "models.csv"} {
		if got, _ := os.ReadFile(filepath.Join(out.previous, name)); string(got) != out.old[name] {
			t.Errorf("%s was replaced by a run that failed: %.80q", name, got)
		}
	}
	entries, _ := os.ReadDir(out.previous)
	if len(entries) != 3 {
		t.Errorf("the output directory holds %d entries, want the 3 previous ones", len(entries))
	}
}
