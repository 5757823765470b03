package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

var target = []string{"-workspace", emulator.RegistryWorkspaceID, "-model", emulator.RegistryModelID}

func args(extra ...string) []string { return append(append([]string{}, target...), extra...) }

func writeCSV(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const workspacesCSV = "Code,Name,sizeAllowance,currentSize\n" +
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\"Finance, EMEA\",100,50\n" +
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,Sales,100,99\n"

func TestImportList(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, args("-list")...)
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	for _, want := range []string{"workspaces.csv", "W2 Models from models.csv", "Load Model Registry"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("list lacks %q:\n%s", want, res.Stdout)
		}
	}
}

// TestImportRunsAcrossInvocations loads the lists in two runs, as a cron
// job would: the second run's parents come from the first.
func TestImportRunsAcrossInvocations(t *testing.T) {
	clitest.Offline(t)
	ws := writeCSV(t, "workspaces.csv", workspacesCSV)
	res := clitest.Run(t, run, args("-file", ws, "-import", "W1 Workspaces from workspaces.csv", "-format", "json")...)
	if res.Code != 0 || !strings.Contains(res.Stdout, `"Loaded": 2`) {
		t.Fatalf("exit %d\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
	models := writeCSV(t, "m.csv", "Code,Name,Workspace,currentSize\nM1,Plan,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,10\n")
	// By id this time, into the data source named explicitly.
	res = clitest.Run(t, run, args("-file", models, "-source", "models.csv", "-import", "112000000001")...)
	if res.Code != 0 || !strings.Contains(res.Stdout, "W2 Models from models.csv") {
		t.Fatalf("exit %d\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestImportFailedRowsExitOneWithDump(t *testing.T) {
	clitest.Offline(t)
	models := writeCSV(t, "m.csv", "Code,Name,Workspace,currentSize\nM1,Orphan,nosuchworkspace,10\nM2,Also,nosuchworkspace,x\n")
	dumps := filepath.Join(t.TempDir(), "dumps")
	res := clitest.Run(t, run, args("-file", models, "-import", "W2 Models from models.csv", "-dumps", dumps)...)
	if res.Code != 1 || !strings.Contains(res.Stderr, "2 rows failed") {
		t.Fatalf("exit %d, stderr %q", res.Code, res.Stderr)
	}
	b, err := os.ReadFile(filepath.Join(dumps, "W2 Models from models.csv.dump.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "_Error_1_") || !strings.Contains(string(b), "Orphan") {
		t.Errorf("dump:\n%s", b)
	}
}

func TestImportProcess(t *testing.T) {
	clitest.Offline(t)
	ws := writeCSV(t, "workspaces.csv", workspacesCSV)
	res := clitest.Run(t, run, args("-file", ws, "-source", "workspaces.csv", "-process", "Load Model Registry")...)
	// models.csv was never uploaded: the process does not start its imports
	// and the script passes on Anaplan's reason.
	if res.Code != 1 || !strings.Contains(res.Stderr, "models.csv") {
		t.Fatalf("exit %d, stderr %q: want a failure naming the missing models.csv", res.Code, res.Stderr)
	}
	models := writeCSV(t, "models.csv", "Code,Name,Workspace,currentSize\nM1,Plan,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,10\n")
	clitest.Run(t, run, args("-file", models, "-source", "models.csv", "-import", "W2 Models from models.csv", "-dumps", t.TempDir())...)
	res = clitest.Run(t, run, args("-process", "Load Model Registry")...)
	if res.Code != 0 || strings.Count(res.Stdout, "from ") != 4 {
		t.Errorf("exit %d: want the four imports of the process reported\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestImportUsage(t *testing.T) {
	clitest.Offline(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-import", "x"}, "-workspace and -model are required"},
		{args(), "exactly one of -import or -process"},
		{args("-import", "a", "-process", "b"), "exactly one of -import or -process"},
		{args("-process", "p", "-file", "f.csv"), "-source"},
		{args("-import", "a", "-chunk-size", "60"), "-chunk-size: out of range; use 1 to 50"},
		{args("-import", "No such import"), `no import named "No such import"`},
	} {
		res := clitest.Run(t, run, tc.args...)
		if res.Code == 0 || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tc.args, res.Code, res.Stderr, tc.want)
		}
	}
}

// TestImportMissingFileBeforeLogin: a -file that does not exist is a
// usage error naming it, found before the script logs in.
func TestImportMissingFileBeforeLogin(t *testing.T) {
	clitest.Offline(t)
	missing := filepath.Join(t.TempDir(), "data.csv")
	res := clitest.Run(t, run, args("-import", "a", "-file", missing)...)
	if res.Code != 2 || !strings.Contains(res.Stderr, "-file "+missing+" does not exist") {
		t.Errorf("exit %d, stderr %q; want exit 2 saying -file %s does not exist", res.Code, res.Stderr, missing)
	}
	if strings.Contains(res.Stderr, "emulator") || strings.Contains(res.Stderr, "stat ") {
		t.Errorf("connected, or said stat:\n%s", res.Stderr)
	}
}
