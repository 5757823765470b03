package registry_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

func TestReadModelActionsOfTheRegistryModel(t *testing.T) {
	t.Parallel()
	env := newLoadEnv(t)
	a, err := registry.ReadModelActions(context.Background(), env.model())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != 4 || len(a.Imports) != 4 || len(a.Exports) != 2 || len(a.Processes) != 1 {
		t.Fatalf("%d files, %d imports, %d exports, %d processes; want 4, 4, 2 and 1",
			len(a.Files), len(a.Imports), len(a.Exports), len(a.Processes))
	}
	table := a.Table()
	if want := []string{"KIND", "ID", "NAME", "TYPE", "FILE"}; !slices.Equal(table.Header, want) {
		t.Errorf("header %v, want %v", table.Header, want)
	}
	for _, want := range [][]string{
		{"file", "113000000001", "models.csv", "import data source", ""},
		{"file", "116000000001", "W2 Model Register.csv", "export output", ""},
		// The import's data source by name: Anaplan gives only its id.
		{"import", "112000000001", "W2 Models from models.csv", "HIERARCHY_DATA", "models.csv"},
		{"import", "112000000002", "W1 Workspace Register from workspaces.csv", "MODULE_DATA", "workspaces.csv"},
		{"export", "116000000001", "W2 Model Register.csv", "TABULAR_MULTI_COLUMN", "W2 Model Register.csv"},
		{"process", "118000000000", "Load Model Registry", "", ""},
	} {
		if !slices.ContainsFunc(table.Rows, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("the table lacks the row %q; it is\n%s", want, tableText(t, table))
		}
	}
	if len(table.Rows) != 11 {
		t.Errorf("%d rows, want one per object (11):\n%s", len(table.Rows), tableText(t, table))
	}
}

// TestReadModelActionsNoAccess: Anaplan answers 404 for a model the user may
// see but not open; the error says which list failed and keeps the sentinel.
func TestReadModelActionsNoAccess(t *testing.T) {
	t.Parallel()
	env := newLoadEnv(t)
	m, err := env.client.GetModel(context.Background(), emulator.DemoNoAccessModelID, anaplan.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = registry.ReadModelActions(context.Background(), env.client.Model(m.CurrentWorkspaceID, m.ID))
	if !errors.Is(err, anaplan.ErrNotFound) || !strings.Contains(err.Error(), "listing the files of") {
		t.Errorf("ReadModelActions(no-access model) = %v, want a 404 naming the files list", err)
	}
}

// TestModelActionsTableShowsUnlistedSourcesByID: an import whose data source
// the model does not list (another user's private file) shows its id.
func TestModelActionsTableShowsUnlistedSourcesByID(t *testing.T) {
	t.Parallel()
	a := registry.ModelActions{
		Imports: []anaplan.Import{
			{ID: "112000000009", Name: "Employees", ImportDataSourceID: "113000000042", ImportType: anaplan.ImportHierarchyData},
			{ID: "112000000010", Name: "From another model", ImportType: anaplan.ImportModuleData},
		},
	}
	rows := a.Table().Rows
	if rows[0][4] != "113000000042" || rows[1][4] != "" {
		t.Errorf("FILE cells %q and %q, want the unlisted id and blank", rows[0][4], rows[1][4])
	}
}

func tableText(t *testing.T, table registry.Table) string {
	t.Helper()
	var b strings.Builder
	if err := table.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
