package anaplan_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func TestModelMetadata(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	f.set(func(f *harness) { f.pageCap = 1 }) // one item per page: lists must follow paging
	m, _ := b.model(t)
	ctx := t.Context()

	files, err := anaplan.Collect(m.ListFiles(ctx))
	if err != nil || len(files) != 4 {
		t.Fatalf("Files: %d, %v", len(files), err)
	}
	if files[0] != (anaplan.File{ID: "113000000000", Name: "workspaces.csv", Delimiter: `"`, Encoding: "UTF-8", FirstDataRow: 2, Format: "txt", HeaderRow: 1, Separator: ","}) {
		t.Errorf("file = %+v", files[0])
	}
	imports, err := anaplan.Collect(m.ListImports(ctx))
	if err != nil || len(imports) != 4 {
		t.Fatalf("Imports: %v, %v", imports, err)
	}
	if imports[0].ImportType != anaplan.ImportHierarchyData || imports[0].ImportDataSourceID != "113000000000" || imports[3].ImportType != anaplan.ImportModuleData {
		t.Errorf("imports = %+v", imports)
	}
	exports, err := anaplan.Collect(m.ListExports(ctx))
	if err != nil || len(exports) != 2 || exports[0].ExportType != anaplan.ExportTabularMultiColumn || exports[0].ExportFormat != "text/csv" {
		t.Errorf("Exports: %+v, %v", exports, err)
	}
	processes, err := anaplan.Collect(m.ListProcesses(ctx))
	if err != nil || len(processes) != 1 || processes[0].Name != "Load Model Registry" {
		t.Errorf("Processes: %+v, %v", processes, err)
	}
	actions, err := anaplan.Collect(m.ListActions(ctx))
	if err != nil || len(actions) != 0 {
		t.Errorf("Actions: %+v, %v (the engine has none)", actions, err)
	}

	meta, err := m.ImportMetadata(ctx, "112000000000")
	if err != nil || meta.Type != "FILE" || strings.Join(meta.Source.HeaderNames, ",") != "Code,Name,sizeAllowance,currentSize" || meta.Source.FirstDataRow != 2 {
		t.Errorf("ImportMetadata: %+v, %v", meta, err)
	}
	for _, show := range []bool{false, true} {
		pm, err := m.ProcessMetadata(ctx, "118000000000", anaplan.ProcessMetadataOptions{ShowImportDataSource: show})
		if err != nil || len(pm.Actions) != 4 {
			t.Fatalf("ProcessMetadata: %+v, %v", pm, err)
		}
		if (pm.Actions[0].ImportDataSource != nil) != show {
			t.Errorf("showImportDataSource=%v: importDataSource %+v", show, pm.Actions[0].ImportDataSource)
		}
		if pm.Actions[0].ActionType != anaplan.ActionImport {
			t.Errorf("actions = %+v", pm.Actions)
		}
	}
	q := f.queriesOf("GET /2/0/workspaces/" + bulkWS + "/models/" + bulkModel + "/processes/118000000000")
	if len(q) != 2 || q[0].Has("showImportDataSource") || q[1].Get("showImportDataSource") != "true" {
		t.Errorf("process metadata queries = %v", q)
	}
}

// TestModelMetadataOpenEnums: types Anaplan may add later decode as they
// came (the emulator only serves the known ones, so the answers are odd
// on purpose).
func TestModelMetadataOpenEnums(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	base := "GET /2/0/workspaces/" + bulkWS + "/models/" + bulkModel
	f.answer(base+"/imports", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, envelope("import", "imports", []any{map[string]any{
			"id": "112000000009", "name": "Future", "importDataSourceId": "113000000000", "importType": "SOME_FUTURE_TYPE"}}))
	})
	f.answer(base+"/actions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, envelope("action", "actions", []any{map[string]any{
			"id": "117000000000", "name": "Delete old models", "actionType": "DELETE_BY_SELECTION"}}))
	})
	f.answer(base+"/processes/118000000000", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, envelope("process", "processMetadata", map[string]any{
			"name": "Load", "actions": []any{map[string]any{"id": "117000000000", "name": "Delete old models", "actionType": "MYSTERY"}}}))
	})
	m, _ := b.model(t)
	ctx := t.Context()
	if imports, err := anaplan.Collect(m.ListImports(ctx)); err != nil || len(imports) != 1 || imports[0].ImportType != "SOME_FUTURE_TYPE" {
		t.Errorf("unknown importType: %+v, %v", imports, err)
	}
	if actions, err := anaplan.Collect(m.ListActions(ctx)); err != nil || len(actions) != 1 || actions[0].ActionType != anaplan.ActionDeleteBySelection {
		t.Errorf("Actions: %+v, %v", actions, err)
	}
	if a, err := m.FindAction(ctx, "Delete old models"); err != nil || a.ID != "117000000000" {
		t.Errorf("FindAction: %+v, %v", a, err)
	}
	if pm, err := m.ProcessMetadata(ctx, "118000000000", anaplan.ProcessMetadataOptions{}); err != nil || len(pm.Actions) != 1 || pm.Actions[0].ActionType != "MYSTERY" {
		t.Errorf("unknown actionType: %+v, %v", pm, err)
	}
}

func TestFindByName(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	ctx := t.Context()
	imp, err := m.FindImport(ctx, "W2 Models from models.csv")
	if err != nil || imp.ID != "112000000001" {
		t.Errorf("FindImport: %+v, %v", imp, err)
	}
	if file, err := m.FindFile(ctx, "models.csv"); err != nil || file.ID != "113000000001" {
		t.Errorf("FindFile: %+v, %v", file, err)
	}
	if exp, err := m.FindExport(ctx, "W1 Workspace Register.csv"); err != nil || exp.ID != "116000000000" {
		t.Errorf("FindExport: %+v, %v", exp, err)
	}
	if p, err := m.FindProcess(ctx, "Load Model Registry"); err != nil || p.ID != "118000000000" {
		t.Errorf("FindProcess: %+v, %v", p, err)
	}
	_, err = m.FindImport(ctx, "w2 models from models.csv")
	want := `anaplan: model ` + bulkModel + ` in workspace ` + bulkWS + ` has no import named "w2 models from models.csv"; its imports are: "W1 Workspaces from workspaces.csv", "W2 Models from models.csv", "W1 Workspace Register from workspaces.csv", "W2 Model Register from models.csv"`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if _, err := m.FindProcess(ctx, "Nope"); err == nil || !strings.Contains(err.Error(), `its processes are: "Load Model Registry"`) {
		t.Errorf("FindProcess: %v", err)
	}
	if _, err := m.FindAction(ctx, "Nope"); err == nil || !strings.Contains(err.Error(), "it has no actions at all") {
		t.Errorf("no actions: %v", err)
	}
}

func TestModelHandleChecksIDs(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	if _, err := anaplan.Collect(c.Model("", bulkModel).ListFiles(t.Context())); err == nil || !strings.Contains(err.Error(), "workspace ID is empty") {
		t.Errorf("empty workspace: %v", err)
	}
	if _, err := anaplan.Collect(c.Model(bulkWS, " ").ListImports(t.Context())); err == nil || !strings.Contains(err.Error(), "model ID is empty") {
		t.Errorf("empty model: %v", err)
	}
	if f.count("POST /token/authenticate") != 0 {
		t.Error("empty IDs reached the network")
	}
	m := c.Model(bulkWS, bulkModel)
	if m.WorkspaceID() != bulkWS || m.ModelID() != bulkModel || m.String() != "model "+bulkModel+" in workspace "+bulkWS {
		t.Errorf("handle = %v", m)
	}
}
