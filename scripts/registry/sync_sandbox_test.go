package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestSyncAgainstTheSandboxReadByAnIndependentClient is the transactional
// issue's acceptance test: scripts/registry -sync twice against
// scripts/sandbox, the second run "0 changes"; then the independent Python
// reader, written from the documentation, reads the W2 list items and the
// W2 Model Register's view data (JSON format=v1 and CSV) and must see every
// model with its workspace and size.
func TestSyncAgainstTheSandboxReadByAnIndependentClient(t *testing.T) {
	clitest.Offline(t)
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed for the independent reader; on Debian: sudo apt-get install python3")
	}
	sb := startSandbox(t, buildSandbox(t))
	sb.pointAt(t, emulator.DemoUser, emulator.DemoPassword)
	out := t.TempDir()
	first := clitest.Run(t, run, "-out", out, "-sync", "-alm=false")
	if first.Code != 0 || strings.HasSuffix(first.Stdout, "\n0 changes\n") {
		t.Fatalf("first sync: exit %d\n%s\n%s", first.Code, first.Stdout, first.Stderr)
	}
	second := clitest.Run(t, run, "-out", out, "-sync", "-alm=false")
	if second.Code != 0 || !strings.HasSuffix(second.Stdout, "\n0 changes\n") {
		t.Fatalf("second sync: exit %d, want 0 changes\n%s\n%s", second.Code, second.Stdout, second.Stderr)
	}

	base := strings.TrimSuffix(sb.apiURL, "/2/0")
	cmd := exec.Command(python, filepath.Join("..", "..", "lib", "emulator", "testdata", "registry_reader.py"),
		sb.authURL, sb.apiURL, emulator.DemoUser, emulator.DemoPassword, emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("the independent reader against %s: %v", base, err)
	}
	var saw struct {
		Items      []struct{ Code, Name, Parent string }
		Workspaces []struct{ Code, Name string }
		JSONRows   []map[string]string `json:"jsonRows"`
		CSVRows    []map[string]string `json:"csvRows"`
	}
	if err := json.Unmarshal(raw, &saw); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	demo := emulator.Demo()
	wsName := map[string]string{}
	for _, w := range demo.Workspaces {
		wsName[w.ID] = w.Name
	}
	// A W1 item is named by its number; its code is the workspace's id.
	for _, w := range saw.Workspaces {
		if n, ok := wsName[w.Code]; ok {
			wsName[w.Name] = n
		}
	}
	var wantCodes, wantRows []string
	for _, m := range demo.Models {
		wantCodes = append(wantCodes, m.ID)
		wantRows = append(wantRows, fmt.Sprintf("%s|%s|%d", m.Name, wsName[m.WorkspaceID], m.MemoryUsage))
	}
	slices.Sort(wantCodes)
	slices.Sort(wantRows)
	var codes []string
	for _, it := range saw.Items {
		codes = append(codes, it.Code)
		if wsName[it.Parent] == "" {
			t.Errorf("model %s has parent %q, not a W1 item of a workspace", it.Code, it.Parent)
		}
	}
	slices.Sort(codes)
	if !slices.Equal(codes, wantCodes) {
		t.Errorf("W2 items the reader saw:\n got %q\nwant %q", codes, wantCodes)
	}
	for form, rows := range map[string][]map[string]string{"JSON": saw.JSONRows, "CSV": saw.CSVRows} {
		var got []string
		for _, r := range rows {
			size, _ := strconv.ParseFloat(r["Current Size"], 64)
			got = append(got, fmt.Sprintf("%s|%s|%d", r["Name"], workspaceShown(r["Workspace"], wsName), int64(size)))
		}
		slices.Sort(got)
		if !slices.Equal(got, wantRows) {
			t.Errorf("W2 Model Register as %s:\n got %q\nwant %q", form, got, wantRows)
		}
	}
}

// workspaceShown is a register row's workspace as a name: the row shows the
// W1 item, by its number in a numbered list.
func workspaceShown(v string, names map[string]string) string {
	if n, ok := names[v]; ok {
		return n
	}
	return v
}
