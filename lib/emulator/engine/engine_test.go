package engine_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Shared test fixtures and lookups, all through the public API.

// registryWorkspaces is a workspaces.csv whose names are hard to carry: a
// comma, quotes, an embedded newline, a leading "=", non-ASCII text.
const registryWorkspaces = "Code,Name,sizeAllowance,currentSize\n" +
	"8a81b09d5e8c6f27015e8d4f1a2b0001,\"Finance, EMEA\",1073741824,873741824\n" +
	"8a81b09d5e8c6f27015e8d4f1a2b0002,\"The \"\"Big\"\" One\",2147483648,0\n" +
	"8a81b09d5e8c6f27015e8d4f1a2b0003,\"Multi\nLine\",500,250.5\n" +
	"8a81b09d5e8c6f27015e8d4f1a2b0004,=SUM(A1),0,0\n" +
	"8a81b09d5e8c6f27015e8d4f1a2b0005,Zürich 東京 ✓,10,1\n"

const registryModels = "Code,Name,Workspace,currentSize\n" +
	"75A40874E6B64FA3AE0743278996FB4E,\"Sales, Plan\",8a81b09d5e8c6f27015e8d4f1a2b0001,123456\n" +
	"B3A6C1E5D0F94C2B8E7A1D2C3B4A5F60,\"Sales, Plan\",8a81b09d5e8c6f27015e8d4f1a2b0002,42\n" +
	"C0FFEE00C0FFEE00C0FFEE00C0FFEE00,\"Line\nBreak \"\"Q\"\"\",8a81b09d5e8c6f27015e8d4f1a2b0005,0\n"

func named[T any](t *testing.T, all []T, name string, nameOf func(T) string) T {
	t.Helper()
	for _, x := range all {
		if nameOf(x) == name {
			return x
		}
	}
	t.Fatalf("no object named %q", name)
	var zero T
	return zero
}

func importID(t *testing.T, m *engine.Model, name string) string {
	return named(t, m.Imports(), name, func(i engine.Import) string { return i.Name }).ID
}

func exportID(t *testing.T, m *engine.Model, name string) string {
	return named(t, m.Exports(), name, func(e engine.Export) string { return e.Name }).ID
}

func processID(t *testing.T, m *engine.Model, name string) string {
	return named(t, m.Processes(), name, func(p engine.Process) string { return p.Name }).ID
}

func listID(t *testing.T, m *engine.Model, name string) string {
	return named(t, m.Lists(), name, func(o engine.ObjectRef) string { return o.Name }).ID
}

func moduleID(t *testing.T, m *engine.Model, name string) string {
	return named(t, m.Modules(), name, func(o engine.ObjectRef) string { return o.Name }).ID
}

// runImport runs an import by name and fails the test on an engine error.
func runImport(t *testing.T, m *engine.Model, name, data string) engine.Result {
	t.Helper()
	res, err := m.RunImport(context.Background(), importID(t, m, name), strings.NewReader(data), nil)
	if err != nil {
		t.Fatalf("RunImport(%q): %v", name, err)
	}
	if got := res.RowsSucceeded + res.RowsIgnored + res.RowsFailed; got != res.RowsProcessed {
		t.Fatalf("RunImport(%q): succeeded+ignored+failed = %d, processed = %d", name, got, res.RowsProcessed)
	}
	return res
}

// loadRegistry runs the four Model Registry imports.
func loadRegistry(t *testing.T, m *engine.Model, workspaces, models string) {
	t.Helper()
	for _, step := range []struct{ name, data string }{
		{engine.RegistryImportWorkspaces, workspaces},
		{engine.RegistryImportModels, models},
		{engine.RegistryImportWorkspaceData, workspaces},
		{engine.RegistryImportModelData, models},
	} {
		if res := runImport(t, m, step.name, step.data); !res.Successful {
			t.Fatalf("import %q failed: %+v\n%s", step.name, res.Details, res.Dump)
		}
	}
}

func listItems(t *testing.T, m *engine.Model, list string) []engine.ListItem {
	t.Helper()
	items, err := m.ListItems(listID(t, m, list))
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func moduleRows(t *testing.T, m *engine.Model, module string) []engine.ModuleRow {
	t.Helper()
	rows, err := m.ModuleRows(moduleID(t, m, module))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// readCSV parses CSV bytes (an export or a dump).
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, b)
	}
	return recs
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustLoad(t *testing.T, def string) *engine.Model {
	t.Helper()
	m, err := engine.Load(strings.NewReader(def))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprintf("%q", got), fmt.Sprintf("%q", want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}
