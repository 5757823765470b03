package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestIndependentClient runs a client written in Python from Anaplan's
// documented API alone (testdata/independent_client.py, standard library
// only) against the sandbox: it logs in, pages the tenant, builds the
// registry rows, uploads a file in chunks with one gzip-compressed, runs
// an import, polls it to COMPLETE and fetches a failure dump. What it sees
// must be exactly what the Go toolkit's registry holds.
func TestIndependentClient(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed for the independent client; on Debian: sudo apt-get install python3 (go run ./scripts/testall installs Jupyter, which brings it)")
	}
	authURL, apiURL, _, cancel, done := startRun(t, "-addr", "127.0.0.1:0")
	defer waitRun(t, done)
	defer cancel()

	cmd := exec.Command(python, "testdata/independent_client.py", authURL, apiURL, emulator.DemoUser, emulator.DemoPassword,
		emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("independent client: %v\n%s", err, stderr)
	}
	var seen struct {
		Workspaces, Models         [][]string
		WorkspacePages, ModelPages int
		UploadChunkCount           int
		W1States                   []string
		W1Result, W2Result         struct {
			Successful, FailureDumpAvailable bool
		}
		Dump string
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	// The same registry, read by the Go client.
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(authURL), anaplan.WithAPIURL(apiURL))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Read(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	var ours strings.Builder
	reg.WriteWorkspacesCSV(&ours)
	reg.WriteModelsCSV(&ours)
	theirs := sortedRows(seen.Workspaces, seen.Models)
	if got := sortedCSVRows(t, ours.String()); !slices.Equal(got, theirs) {
		t.Errorf("the registry rows differ:\nGo:     %q\nPython: %q", got, theirs)
	}
	if seen.WorkspacePages < 3 || seen.ModelPages < 4 {
		t.Errorf("paged %d workspace and %d model pages: the test means to page", seen.WorkspacePages, seen.ModelPages)
	}
	if seen.UploadChunkCount != 2 || !seen.W1Result.Successful || seen.W1States[len(seen.W1States)-1] != "COMPLETE" {
		t.Errorf("upload/import: chunkCount %d, states %v, result %+v", seen.UploadChunkCount, seen.W1States, seen.W1Result)
	}
	if seen.W2Result.Successful || !seen.W2Result.FailureDumpAvailable ||
		!strings.Contains(seen.Dump, "_Error_1_") || !strings.Contains(seen.Dump, "BADMODEL") {
		t.Errorf("the bad row's import: %+v, dump:\n%s", seen.W2Result, seen.Dump)
	}
}

// sortedRows joins rows as CSV-ish keys, sorted, for an order-free compare.
func sortedRows(tables ...[][]string) []string {
	var out []string
	for _, rows := range tables {
		for _, r := range rows {
			out = append(out, strings.Join(r, "\x1f"))
		}
	}
	slices.Sort(out)
	return out
}

func sortedCSVRows(t *testing.T, text string) []string {
	t.Helper()
	var rows [][]string
	all, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range all {
		if row[0] != "Code" {
			rows = append(rows, row)
		}
	}
	return sortedRows(rows)
}
