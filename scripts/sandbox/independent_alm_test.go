package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestIndependentALMClient runs an ALM client written in Python from the
// ALM documentation alone (testdata/independent_alm_client.py) against the
// sandbox: every model's latest revision, its applied-to models and each
// source's paged history. What it sees must be what the Go registry's
// lineage holds, and each history must end in the source's latest.
func TestIndependentALMClient(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed for the independent client; on Debian: sudo apt-get install python3")
	}
	authURL, apiURL, _, cancel, done := startRun(t, "-addr", "127.0.0.1:0")
	defer waitRun(t, done)
	defer cancel()

	out, err := exec.Command(python, "testdata/independent_alm_client.py", authURL, apiURL, emulator.DemoUser, emulator.DemoPassword).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("independent ALM client: %v\n%s", err, stderr)
	}
	var seen struct {
		Latest  map[string]string
		Status  map[string]int
		Applied map[string][]string
		History map[string]struct {
			IDs   []string
			Pages int
		}
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	ctx := context.Background()
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword), anaplan.WithAuthURL(authURL), anaplan.WithAPIURL(apiURL))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Read(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	lineage, _, err := registry.ReadLineage(ctx, c, reg, registry.LineageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := map[registry.LineageStatus]int{registry.LineageOK: 200, registry.LineageNone: 200,
		registry.LineageArchived: 422, registry.LineageNoAccess: 404, registry.LineageForbidden: 403}
	for id, l := range lineage {
		if seen.Status[id] != wantStatus[l.Status] {
			t.Errorf("model %s: Python saw %d, Go %s", id, seen.Status[id], l.Status)
		}
		if seen.Latest[id] != l.RevisionID {
			t.Errorf("model %s: latest revision %q (Python) vs %q (Go)", id, seen.Latest[id], l.RevisionID)
		}
		if !slices.Equal(seen.Applied[id], l.Holders) {
			t.Errorf("model %s: applied to %v (Python) vs %v (Go)", id, seen.Applied[id], l.Holders)
		}
	}
	if len(seen.Latest) < 10 || len(seen.History) < 5 {
		t.Fatalf("the Python client saw %d models with revisions and %d sources: the demo lineage is missing", len(seen.Latest), len(seen.History))
	}
	for src, h := range seen.History {
		if len(h.IDs) == 0 || h.IDs[0] != lineage[src].RevisionID || h.Pages < len(h.IDs) {
			t.Errorf("source %s: history %v in %d pages; want newest first, starting with its latest %s, one per page",
				src, h.IDs, h.Pages, lineage[src].RevisionID)
		}
	}
}
