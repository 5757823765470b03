package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// seed syncs the demo tenant into its registry model, in the state the
// script's session will find (the emulator's state under TMPDIR).
func seed(t *testing.T) *registry.Registry {
	t.Helper()
	ctx := context.Background()
	opts := session.DefaultOptions()
	opts.EnvFile = filepath.Join(t.TempDir(), "no.env")
	s, err := session.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reg, err := registry.Read(ctx, s.Client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Sync(ctx, s.Client.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID), registry.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestReadAListAsJSONAndAViewAsCSV(t *testing.T) {
	clitest.Offline(t)
	reg := seed(t)
	visible := len(reg.Models) - len(reg.Orphans())

	res := clitest.Run(t, run, "-list", "W2 Models", "-format", "json")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	var items []map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &items); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, res.Stdout)
	}
	if len(items) != visible || !strings.Contains(res.Stderr, "at once") {
		t.Errorf("%d items, want %d; stderr %q", len(items), visible, res.Stderr)
	}

	// The same view through a large read, into a file.
	out := filepath.Join(t.TempDir(), "register.csv")
	res = clitest.Run(t, run, "-view", "W2 Model Register", "-large", "always", "-o", out)
	if res.Code != 0 || !strings.Contains(res.Stderr, "through a large read request") {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s is not RFC 4180 CSV: %v", out, err)
	}
	if len(rows) != visible+1 {
		t.Errorf("%d rows, want a header and %d models", len(rows), visible)
	}
}

func TestReadBadInput(t *testing.T) {
	clitest.Offline(t)
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"neither":     {nil, "exactly one of -list or -view"},
		"both":        {[]string{"-list", "a", "-view", "b"}, "exactly one of -list or -view"},
		"format":      {[]string{"-list", "a", "-format", "xml"}, `-format "xml"`},
		"no such":     {[]string{"-view", "Nope"}, `no view named "Nope"`},
		"no model":    {[]string{"-model", "Nope", "-list", "a"}, `no model named or with id "Nope"`},
		"bad outfile": {[]string{"-list", "W1 Workspaces", "-o", "/nonexistent/dir/x.csv"}, "cannot write /nonexistent/dir/x.csv: the directory /nonexistent/dir does not exist"},
	} {
		res := clitest.Run(t, run, tt.args...)
		if res.Code == 0 || !strings.Contains(res.Stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want it to say %q", name, res.Code, res.Stderr, tt.want)
		}
		if strings.Contains(res.Stderr, ".x.csv.") {
			t.Errorf("%s: stderr names the temporary file: %q", name, res.Stderr)
		}
	}
}

// TestReadViewNamesTheRowColumn: a view's CSV grid leaves its row
// labels' header blank; read names that column after the row dimension
// (from the view's metadata), in CSV and JSON alike, and JSON keeps "&"
// as it is rather than as \u0026.
func TestReadViewNamesTheRowColumn(t *testing.T) {
	clitest.Offline(t)
	seed(t)
	res := clitest.Run(t, run, "-view", "W1 Workspace Register")
	rows, err := csv.NewReader(strings.NewReader(res.Stdout)).ReadAll()
	if res.Code != 0 || err != nil || len(rows) < 2 {
		t.Fatalf("exit %d, %v: %s", res.Code, err, res.Stderr)
	}
	if rows[0][0] != "W1 Workspaces" {
		t.Errorf("CSV header %q: want the row column named after the row dimension, W1 Workspaces", rows[0])
	}
	res = clitest.Run(t, run, "-view", "W1 Workspace Register", "-format", "json")
	var recs []map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &recs); res.Code != 0 || err != nil || len(recs) != len(rows)-1 {
		t.Fatalf("exit %d, %v, %d records for %d CSV rows: %s", res.Code, err, len(recs), len(rows)-1, res.Stderr)
	}
	if _, ok := recs[0][""]; ok || recs[0]["W1 Workspaces"] == "" {
		t.Errorf("JSON record %v: want the row label under W1 Workspaces, no empty key", recs[0])
	}
	if strings.Contains(res.Stdout, `\u0026`) || !strings.Contains(res.Stdout, "&") {
		t.Errorf("JSON escapes & (or the demo lost its FP&A names):\n%s", res.Stdout)
	}
}
