package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestRegistrySyncTwice syncs the demo tenant into its registry model
// twice: the second run finds nothing to write.
func TestRegistrySyncTwice(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	first := clitest.Run(t, run, "-out", out, "-sync")
	if first.Code != 0 {
		t.Fatalf("first sync: exit %d: %s", first.Code, first.Stderr)
	}
	if !strings.Contains(first.Stdout, `Synced into "Model Registry"`) || strings.Contains(first.Stdout, "\n0 changes\n") {
		t.Errorf("first sync wrote nothing:\n%s", first.Stdout)
	}
	second := clitest.Run(t, run, "-out", out, "-sync", "-advance-demo=false")
	if second.Code != 0 || !strings.HasSuffix(second.Stdout, "\n0 changes\n") {
		t.Errorf("second sync: exit %d, stdout:\n%s\nstderr: %s", second.Code, second.Stdout, second.Stderr)
	}
	for _, want := range []string{"W1 Workspaces:  0 added, 0 updated, 0 removed", "cells:          0 written"} {
		if !strings.Contains(second.Stdout, want) {
			t.Errorf("second sync lacks %q:\n%s", want, second.Stdout)
		}
	}
}

func TestRegistryPruneNeedsSync(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-out", t.TempDir(), "-prune")
	if res.Code != 2 || !strings.Contains(res.Stderr, "-prune needs -sync") {
		t.Errorf("exit %d, stderr %q; want a usage error", res.Code, res.Stderr)
	}
}
