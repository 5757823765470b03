package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func TestRegistryWritesTheDemoTenant(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	res := clitest.Run(t, run, "-out", out)
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	if !strings.Contains(res.Stderr, "built-in emulator") || strings.Count(res.Stderr, "\n") != 1 {
		t.Errorf("stderr should say in one line that the emulator is used, got %q", res.Stderr)
	}
	demo := emulator.Demo()
	for file, want := range map[string]struct {
		header string
		rows   int
	}{
		"workspaces.csv": {"Code,Name,sizeAllowance,currentSize", len(demo.Workspaces)},
		"models.csv":     {"Code,Name,Workspace,currentSize", len(demo.Models)},
		"registry.csv":   {"modelId,modelName,activeState", len(demo.Models)},
	} {
		rows := readCSV(t, filepath.Join(out, file))
		if got := strings.Join(rows[0], ","); !strings.HasPrefix(got, want.header) {
			t.Errorf("%s header = %q, want %q", file, got, want.header)
		}
		if len(rows)-1 != want.rows {
			t.Errorf("%s has %d rows, want %d", file, len(rows)-1, want.rows)
		}
	}
	for _, want := range []string{"Workforce Planning (HR)", "nearly full", "over allowance", "workspace-nearly-full", "workspaces.csv"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.Stdout)
		}
	}
}

func TestRegistryIsReproducible(t *testing.T) {
	clitest.Offline(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if res := clitest.Run(t, run, "-out", dir, "-advance-demo=false"); res.Code != 0 {
			t.Fatalf("exit %d: %s", res.Code, res.Stderr)
		}
	}
	for _, f := range []string{"workspaces.csv", "models.csv", "registry.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if string(x) != string(y) {
			t.Errorf("%s differs between two runs on the same tenant", f)
		}
	}
}

func TestRegistryJSON(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-out", t.TempDir(), "-format", "json")
	var got struct {
		Models int `json:"models"`
		Usage  []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"workspaceUsage"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, res.Stdout)
	}
	if got.Models != len(emulator.Demo().Models) || len(got.Usage) != len(emulator.Demo().Workspaces) {
		t.Errorf("json = %+v", got)
	}
	var doc any
	if err := json.Unmarshal([]byte(res.Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	jsonKeys(doc, "", keys)
	for _, want := range []string{"files.workspaces", "files.hygiene", "modelsByState[].key", "modelsByState[].count",
		"organisation.environments[].key", "organisation.hygiene[].count"} {
		if !keys[want] {
			t.Errorf("the JSON has no key %s", want)
		}
	}
	for k := range keys {
		last := k[strings.LastIndexAny(k, ".]")+1:]
		if last != "" && strings.ToLower(last[:1]) != last[:1] {
			t.Errorf("JSON key %s is not camelCase (a Go field name leaking?)", k)
		}
	}
}

// jsonKeys collects every object key of a decoded JSON document as a path
// ("files.workspaces", "modelsByState[].key").
func jsonKeys(v any, path string, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			p := k
			if path != "" {
				p = path + "." + k
			}
			into[p] = true
			jsonKeys(e, p, into)
		}
	case []any:
		for _, e := range v {
			jsonKeys(e, path+"[]", into)
		}
	}
}

func TestRegistryBadInput(t *testing.T) {
	clitest.Offline(t)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"-bogus"}, 2, "flag provided but not defined"},
		{"bad format", []string{"-format", "xml"}, 2, "unknown format"},
		{"stray argument", []string{"out"}, 2, "unexpected argument"},
		{"output is a file", []string{"-out", file}, 1, "is not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := clitest.Run(t, run, tc.args...)
			if res.Code != tc.code || !strings.Contains(res.Stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", res.Code, res.Stderr, tc.code, tc.want)
			}
		})
	}
}

// TestRegistryWrongPassword names the problem, writes nothing and never
// prints the password.
func TestRegistryWrongPassword(t *testing.T) {
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const password = "not-the-Demo-password-42"
	t.Setenv("ANAPLAN_AUTH_URL", srv.AuthURL())
	t.Setenv("ANAPLAN_API_URL", srv.APIURL())
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", password)
	out := filepath.Join(t.TempDir(), "out")
	res := clitest.Run(t, run, "-out", out)
	if res.Code == 0 {
		t.Fatal("a wrong password exited 0")
	}
	if strings.Contains(res.Stdout+res.Stderr, password) {
		t.Error("the password appears in the output")
	}
	if !strings.Contains(strings.ToLower(res.Stderr), "password") {
		t.Errorf("stderr does not name the problem: %q", res.Stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output dir was created after a failed login: %v", err)
	}
}
