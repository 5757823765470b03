package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

func TestRegistryLoad(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	res := clitest.Run(t, run, "-out", out, "-load")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	for _, want := range []string{`Loaded into "Model Registry"`, "W2 Models from models.csv", "39"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.Stdout)
		}
	}
	if !strings.Contains(res.Stderr, "uploaded models.csv") || !strings.Contains(res.Stderr, "W2 Model Register from models.csv: COMPLETE") {
		t.Errorf("stderr lacks the progress lines:\n%s", res.Stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "dumps")); !os.IsNotExist(err) {
		t.Errorf("a clean load created a dumps directory: %v", err)
	}
}

// TestRegistryLoadReportsFailedRows serves a registry model whose W2 Models
// import maps the parent from the wrong column, so every row is rejected:
// the script exits non-zero and names the dump, which holds the rows.
func TestRegistryLoadReportsFailedRows(t *testing.T) {
	clitest.Offline(t)
	def := bytes.Replace(engine.ModelRegistryDefinition(), []byte(`"parent": "Workspace"`), []byte(`"parent": "Name"`), 1)
	srv, err := emulator.Start("", emulator.Options{ModelDefinitions: map[string][]byte{emulator.RegistryModelID: def}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("ANAPLAN_AUTH_URL", srv.AuthURL())
	t.Setenv("ANAPLAN_API_URL", srv.APIURL())
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	out := t.TempDir()
	res := clitest.Run(t, run, "-out", out, "-load", "-process", "Load Model Registry")
	if res.Code != 1 || !strings.Contains(res.Stderr, "rows failed to load") {
		t.Fatalf("exit %d, stderr %q: want a failure naming the failed rows", res.Code, res.Stderr)
	}
	dump := filepath.Join(out, "dumps", "W2 Models from models.csv.dump.csv")
	if !strings.Contains(res.Stderr, dump) {
		t.Errorf("stderr does not name the dump %s: %q", dump, res.Stderr)
	}
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\n"); lines < len(emulator.Demo().Models) {
		t.Errorf("dump has %d lines for %d rejected models:\n%s", lines, len(emulator.Demo().Models), b)
	}
}

func TestRegistryLoadUnknownModel(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-out", t.TempDir(), "-load", "-model", "No Such Model")
	if res.Code != 1 || !strings.Contains(res.Stderr, `no model named "No Such Model"`) {
		t.Errorf("exit %d, stderr %q", res.Code, res.Stderr)
	}
}
