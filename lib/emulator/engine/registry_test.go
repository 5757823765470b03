package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

func TestModelRegistryDefinitionLoads(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	if m.Name() != "Model Registry" {
		t.Errorf("Name() = %q", m.Name())
	}
	diff(t, "lists", m.Lists(), []engine.ObjectRef{
		{ID: "101000000000", Name: "W1 Workspaces"}, {ID: "101000000001", Name: "W2 Models"},
	})
	diff(t, "modules", m.Modules(), []engine.ObjectRef{
		{ID: "102000000000", Name: "W1 Workspace Register"}, {ID: "102000000001", Name: "W2 Model Register"},
	})
	diff(t, "files", jsonOf(t, m.Files()), `[`+
		`{"id":"113000000000","name":"workspaces.csv","delimiter":"\"","encoding":"UTF-8","firstDataRow":2,"format":"txt","headerRow":1,"separator":","},`+
		`{"id":"113000000001","name":"models.csv","delimiter":"\"","encoding":"UTF-8","firstDataRow":2,"format":"txt","headerRow":1,"separator":","},`+
		`{"id":"116000000000","name":"W1 Workspace Register.csv","firstDataRow":0,"headerRow":0},`+
		`{"id":"116000000001","name":"W2 Model Register.csv","firstDataRow":0,"headerRow":0}]`)
	if f, err := m.File("116000000001"); err != nil || f.Name != "W2 Model Register.csv" {
		t.Errorf("File(export id) = %+v, %v", f, err)
	}
	if _, err := m.File("113000000002"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("File(unknown) err = %v, want ErrNotFound", err)
	}
	if _, err := m.RunImport(context.Background(), "112000000000", nil, nil); err == nil || !strings.Contains(err.Error(), `upload file "workspaces.csv" (id 113000000000) first`) {
		t.Errorf("RunImport(nil data) err = %v", err)
	}
	if _, err := m.RunImport(context.Background(), "112000000004", strings.NewReader(""), nil); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("RunImport(unknown id) err = %v, want ErrNotFound", err)
	}
	diff(t, "imports", jsonOf(t, m.Imports()), `[`+
		`{"id":"112000000000","name":"W1 Workspaces from workspaces.csv","importDataSourceId":"113000000000","importType":"HIERARCHY_DATA"},`+
		`{"id":"112000000001","name":"W2 Models from models.csv","importDataSourceId":"113000000001","importType":"HIERARCHY_DATA"},`+
		`{"id":"112000000002","name":"W1 Workspace Register from workspaces.csv","importDataSourceId":"113000000000","importType":"MODULE_DATA"},`+
		`{"id":"112000000003","name":"W2 Model Register from models.csv","importDataSourceId":"113000000001","importType":"MODULE_DATA"}]`)
	diff(t, "exports", jsonOf(t, m.Exports()), `[`+
		`{"id":"116000000000","name":"W1 Workspace Register.csv","exportType":"TABULAR_MULTI_COLUMN","exportFormat":"text/csv","encoding":"UTF-8","layout":"TABULAR_MULTI_COLUMN"},`+
		`{"id":"116000000001","name":"W2 Model Register.csv","exportType":"TABULAR_MULTI_COLUMN","exportFormat":"text/csv","encoding":"UTF-8","layout":"TABULAR_MULTI_COLUMN"}]`)
	diff(t, "processes", m.Processes(), []engine.Process{{ID: "118000000000", Name: "Load Model Registry"}})

	md, err := m.ImportMetadata("112000000001")
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "import metadata", jsonOf(t, md), `{"name":"W2 Models from models.csv","type":"FILE","source":{`+
		`"textEncoding":"UTF-8","columnSeparator":",","textDelimiter":"\"","headerRow":1,"firstDataRow":2,`+
		`"decimalSeparator":".","headerNames":["Code","Name","Workspace","currentSize"],"columnCount":4}}`)

	pm, err := m.ProcessMetadata("118000000000")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range pm.Actions {
		actions = append(actions, a.ID+" "+a.ActionType+" "+a.Name+" <- "+a.ImportDataSourceID)
	}
	diff(t, "process actions", actions, []string{
		"112000000000 IMPORT W1 Workspaces from workspaces.csv <- 113000000000",
		"112000000001 IMPORT W2 Models from models.csv <- 113000000001",
		"112000000002 IMPORT W1 Workspace Register from workspaces.csv <- 113000000000",
		"112000000003 IMPORT W2 Model Register from models.csv <- 113000000001",
	})

	lis, err := m.LineItems("")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, li := range lis {
		got = append(got, li.ID+" "+li.ModuleName+"."+li.Name+" "+li.Format+" "+li.Formula)
	}
	diff(t, "line items", got, []string{
		"206000000000 W1 Workspace Register.Name TEXT 'W1 Workspaces'.Workspace Name",
		"206000000001 W1 Workspace Register.Size Allowance NUMBER ",
		"206000000002 W1 Workspace Register.Current Size NUMBER ",
		"206000000003 W2 Model Register.Workspace LIST PARENT(ITEM('W2 Models'))",
		"206000000004 W2 Model Register.Name TEXT ",
		"206000000005 W2 Model Register.Current Size NUMBER ",
	})

	lm, err := m.ListMetadata("101000000001")
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "list metadata", jsonOf(t, lm), `{"id":"101000000001","name":"W2 Models","properties":[{"name":"Model Name","format":"TEXT"}],`+
		`"parent":{"id":"101000000000","name":"W1 Workspaces"},"numberedList":true,"itemCount":0,"nextitemIndex":1}`)

	// The definition handed out is a copy.
	def := engine.ModelRegistryDefinition()
	def[0] = 'x'
	if engine.ModelRegistryDefinition()[0] != '{' {
		t.Error("ModelRegistryDefinition returned the embedded bytes, not a copy")
	}
}

func TestModelRegistryImports(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()

	res := runImport(t, m, engine.RegistryImportWorkspaces, registryWorkspaces)
	diff(t, "W1 result", jsonOf(t, res), `{"successful":true,"failureDumpAvailable":false,"objectId":"112000000000",`+
		`"objectName":"W1 Workspaces from workspaces.csv","details":[{"localMessageText":"W1 Workspaces: 5 (5/0) rows successful, 0 ignored ",`+
		`"occurrences":0,"type":"hierarchyRowsProcessed","values":["hierarchyName","W1 Workspaces","successRowCount","5",`+
		`"successCreateCount","5","successUpdateCount","0","warningsRowCount","0","warningsCreateCount","0","warningsUpdateCount","0",`+
		`"failedCount","0","ignoredCount","0","totalRowCount","5","totalCreateCount","5","totalUpdateCount","0","invalidCount","0",`+
		`"updatedCount","0","renamedCount","0","createdCount","5"]}]}`)
	if res.Dump != nil {
		t.Errorf("dump for a clean import: %q", res.Dump)
	}
	runImport(t, m, engine.RegistryImportModels, registryModels)
	res = runImport(t, m, engine.RegistryImportWorkspaceData, registryWorkspaces)
	diff(t, "W1 register detail", res.Details[0].LocalMessageText, "W1 Workspace Register: 5 rows successful, 0 ignored ")
	runImport(t, m, engine.RegistryImportModelData, registryModels)

	ws := listItems(t, m, "W1 Workspaces")
	wantNames := []string{"Finance, EMEA", `The "Big" One`, "Multi\nLine", "=SUM(A1)", "Zürich 東京 ✓"}
	for i, it := range ws {
		diff(t, "W1 item", []string{it.ID, it.Code, it.Name, it.Properties["Workspace Name"], it.Parent, it.ListID},
			[]string{"20000000000" + string(rune('1'+i)), "8a81b09d5e8c6f27015e8d4f1a2b000" + string(rune('1'+i)), wantNames[i], wantNames[i], "", ""})
	}
	models := listItems(t, m, "W2 Models")
	diff(t, "W2 items", jsonOf(t, models), `[`+
		`{"id":"201000000001","name":"Sales, Plan","code":"75A40874E6B64FA3AE0743278996FB4E","parent":"Finance, EMEA","parentId":"200000000001","listId":"101000000000","listName":"W1 Workspaces","properties":{"Model Name":"Sales, Plan"}},`+
		`{"id":"201000000002","name":"Sales, Plan","code":"B3A6C1E5D0F94C2B8E7A1D2C3B4A5F60","parent":"The \"Big\" One","parentId":"200000000002","listId":"101000000000","listName":"W1 Workspaces","properties":{"Model Name":"Sales, Plan"}},`+
		`{"id":"201000000003","name":"Line\nBreak \"Q\"","code":"C0FFEE00C0FFEE00C0FFEE00C0FFEE00","parent":"Zürich 東京 ✓","parentId":"200000000005","listId":"101000000000","listName":"W1 Workspaces","properties":{"Model Name":"Line\nBreak \"Q\""}}]`)

	// The Name line item is the formula 'W1 Workspaces'.Workspace Name.
	var w1 []string
	for _, r := range moduleRows(t, m, "W1 Workspace Register") {
		w1 = append(w1, r.Items[0].Name+" | "+strings.Join(r.Values, " | "))
	}
	diff(t, "W1 Workspace Register", w1, []string{
		"Finance, EMEA | Finance, EMEA | 1073741824 | 873741824",
		`The "Big" One | The "Big" One | 2147483648 | 0`,
		"Multi\nLine | Multi\nLine | 500 | 250.5",
		"=SUM(A1) | =SUM(A1) | 0 | 0",
		"Zürich 東京 ✓ | Zürich 東京 ✓ | 10 | 1",
	})
	// Workspace is PARENT(ITEM('W2 Models')).
	var w2 []string
	for _, r := range moduleRows(t, m, "W2 Model Register") {
		w2 = append(w2, r.Items[0].ID+" | "+strings.Join(r.Values, " | "))
	}
	diff(t, "W2 Model Register", w2, []string{
		"201000000001 | Finance, EMEA | Sales, Plan | 123456",
		`201000000002 | The "Big" One | Sales, Plan | 42`,
		"201000000003 | Zürich 東京 ✓ | Line\nBreak \"Q\" | 0",
	})
	cell, err := m.Cell("102000000001", "206000000003", "201000000003")
	if err != nil || cell != "Zürich 東京 ✓" {
		t.Errorf("Cell(Workspace of model 3) = %q, %v", cell, err)
	}

	// A second run of the same file updates every item: nothing is created.
	res = runImport(t, m, engine.RegistryImportWorkspaces, registryWorkspaces)
	diff(t, "re-import", res.Details[0].LocalMessageText, "W1 Workspaces: 5 (0/5) rows successful, 0 ignored ")
	if n := len(listItems(t, m, "W1 Workspaces")); n != 5 {
		t.Errorf("after re-import the list has %d items, want 5", n)
	}
}

// A model moving to another workspace and a renamed workspace are updates.
func TestModelRegistryUpdatesMoveAndRename(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	loadRegistry(t, m, registryWorkspaces, registryModels)
	moved := "Code,Name,Workspace,currentSize\n75A40874E6B64FA3AE0743278996FB4E,Renamed,8a81b09d5e8c6f27015e8d4f1a2b0004,7\n"
	res := runImport(t, m, engine.RegistryImportModels, moved)
	diff(t, "detail", res.Details[0].LocalMessageText, "W2 Models: 1 (0/1) rows successful, 0 ignored ")
	runImport(t, m, engine.RegistryImportModelData, moved)
	r := moduleRows(t, m, "W2 Model Register")[0]
	diff(t, "moved model", r.Values, []string{"=SUM(A1)", "Renamed", "7"})
}
