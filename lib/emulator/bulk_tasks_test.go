package emulator_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// exportRows runs an export and returns its output's data rows.
func (h *harness) exportRows(token, exportID string) []string {
	h.t.Helper()
	h.runTask(token, "exports", exportID)
	lines := strings.Split(strings.TrimSuffix(string(h.get(bulkPath("/files/"+exportID), token).body), "\n"), "\n")
	return lines[1:]
}

func TestCancelAfterTheEngineFinishedRollsBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	h.runTask(token, "imports", importWorkspaces)
	before := h.exportRows(token, exportWorkspaces)
	if len(before) != 2 {
		t.Fatalf("rows before = %v", before)
	}
	h.putFile(token, workspacesFile, workspacesCSV+"W3,Sandbox,1,1\r\n")

	id := h.startTask(token, "imports", importWorkspaces)
	emulator.WaitTasks(h.e) // the engine has loaded W3
	path := bulkPath("/imports/" + importWorkspaces + "/tasks/" + id)
	r := h.do("DELETE", path, "AnaplanAuthToken "+token, "")
	wantStatus(t, r, http.StatusOK)
	if task := r.json(t)["task"].(map[string]any); task["taskState"] != "CANCELLING" || task["result"] != nil {
		t.Fatalf("DELETE answered %v", task)
	}
	// Busy until it is CANCELLED.
	p := bulkPath("/exports/" + exportWorkspaces + "/tasks")
	wantAPIError(t, h.postJSON(p, token, `{"localeName":"en_US"}`), http.StatusConflict, p, "")
	h.clock.Advance(emulator.DefaultTaskDuration / 10)
	task := h.task(token, "imports", importWorkspaces, id)
	res, _ := task["result"].(map[string]any)
	if task["taskState"] != "CANCELLED" || res["successful"] != false || res["objectId"] != importWorkspaces {
		t.Fatalf("after cancelling: %v", task)
	}
	if after := h.exportRows(token, exportWorkspaces); strings.Join(after, "|") != strings.Join(before, "|") {
		t.Errorf("rows after the cancelled import = %v, want %v", after, before)
	}
	// A second DELETE changes nothing.
	if r := h.do("DELETE", path, "AnaplanAuthToken "+token, ""); r.json(t)["task"].(map[string]any)["taskState"] != "CANCELLED" {
		t.Errorf("second DELETE: %s", r.body)
	}
}

func TestCancelledExportKeepsThePreviousOutput(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	h.runTask(token, "imports", importWorkspaces)
	h.runTask(token, "exports", exportWorkspaces)
	output := bulkPath("/files/" + exportWorkspaces)
	before := string(h.get(output, token).body)
	h.runTask(token, "imports", "112000000002") // fills the register: a different output
	id := h.startTask(token, "exports", exportWorkspaces)
	emulator.WaitTasks(h.e)
	wantStatus(t, h.do("DELETE", bulkPath("/exports/"+exportWorkspaces+"/tasks/"+id), "AnaplanAuthToken "+token, ""), http.StatusOK)
	h.finish()
	if got := string(h.get(output, token).body); got != before {
		t.Errorf("output after a cancelled export:\n%s\nwant:\n%s", got, before)
	}
	_, task := h.runTask(token, "exports", exportWorkspaces)
	if task["result"].(map[string]any)["successful"] != true || string(h.get(output, token).body) == before {
		t.Errorf("the next export did not replace the output")
	}
}

// TestCancelARunningImport cancels an import of 50,000 rows right away:
// whether the engine is still reading or has just finished, the task ends
// CANCELLED and the model is left as it was.
func TestCancelARunningImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	var b strings.Builder
	b.WriteString("Code,Name,sizeAllowance,currentSize\n")
	for i := range 50_000 {
		b.WriteString("W" + itoa(i) + ",Workspace " + itoa(i) + ",1,1\n")
	}
	h.uploadInChunks(token, workspacesFile, b.String(), 1<<20)
	id := h.startTask(token, "imports", importWorkspaces)
	r := h.do("DELETE", bulkPath("/imports/"+importWorkspaces+"/tasks/"+id), "AnaplanAuthToken "+token, "")
	if r.json(t)["task"].(map[string]any)["taskState"] != "CANCELLING" {
		t.Fatalf("DELETE: %s", r.body)
	}
	h.finish()
	if task := h.task(token, "imports", importWorkspaces, id); task["taskState"] != "CANCELLED" {
		t.Fatalf("task = %v", task)
	}
	if rows := h.exportRows(token, exportWorkspaces); len(rows) != 0 {
		t.Errorf("%d rows after a cancelled import", len(rows))
	}
}

func TestImportOfAFileNeverUploadedFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	_, task := h.runTask(token, "imports", importModels)
	res := task["result"].(map[string]any)
	detail := res["details"].([]any)[0].(map[string]any)
	if task["currentStep"] != "Failed." || res["successful"] != false || res["failureDumpAvailable"] != false ||
		detail["type"] != "importDataSourceMissing" || !strings.Contains(detail["localMessageText"].(string), `113000000001 ("models.csv") has no content`) {
		t.Errorf("task = %v", task)
	}
	// A process names the import whose file is missing.
	h.putFile(token, workspacesFile, workspacesCSV)
	wantStatus(t, h.postJSON(bulkPath("/files/"+modelsFile), token, `{"chunkCount":-1}`), http.StatusOK)
	_, task = h.runTask(token, "processes", processLoad)
	res = task["result"].(map[string]any)
	nested := res["nestedResults"].([]any)
	if task["currentStep"] != "Failed." || res["objectId"] != processLoad || len(nested) != 1 ||
		nested[0].(map[string]any)["objectId"] != importModels ||
		!strings.Contains(res["details"].([]any)[0].(map[string]any)["localMessageText"].(string), "is not complete (chunkCount -1, 0 chunks received)") {
		t.Errorf("process task = %v", task)
	}
	// Nothing was loaded, not even by the process's first import.
	if rows := h.exportRows(token, exportWorkspaces); len(rows) != 0 {
		t.Errorf("rows = %v", rows)
	}
}

func TestTaskBodies(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	p := bulkPath("/imports/" + importWorkspaces + "/tasks")
	for _, tc := range []struct{ body, message string }{
		{"", `Missing "localeName"`},
		{`{}`, `Missing "localeName"`},
		{`{"localeName":""}`, `Missing "localeName"`},
		{`{"localeName":1}`, "not the expected JSON"},
		{`[]`, "not the expected JSON"},
		{`{"localeName":"en_US","mappingParameters":{}}`, "not the expected JSON"},
		{`{"localeName":"en_US","mappingParameters":[{"entityType":"Version"}]}`, `mappingParameters[0]: "entityType" and "entityName"`},
		{`{"localeName":"en_US","mappingParameters":[{"entityType":"Version","entityName":"Actual"},"x"]}`, "mappingParameters[1]"},
	} {
		r := h.postJSON(p, token, tc.body)
		wantAPIError(t, r, http.StatusBadRequest, p, "")
		if msg := r.json(t)["status"].(map[string]any)["message"].(string); !strings.Contains(msg, tc.message) {
			t.Errorf("body %s: %s, want %q", tc.body, r.body, tc.message)
		}
	}
	if n := h.e.TaskStarts(emulator.RegistryModelID, importWorkspaces); n != 0 {
		t.Errorf("refused starts counted: %d", n)
	}
	for _, body := range []string{
		`{"localeName":"en_GB","mappingParameters":[{"entityType":"Version","entityName":"Actual","importId":"112000000000"}]}`,
		`{"localeName":"en_US","connectorParameters":{"x":1}}`,
	} {
		wantStatus(t, h.postJSON(p, token, body), http.StatusOK)
		h.finish()
	}
	if n := h.e.TaskStarts(emulator.RegistryModelID, importWorkspaces); n != 2 {
		t.Errorf("TaskStarts = %d, want 2", n)
	}
}

// TestTaskTiming follows one task through its states on a 10s duration.
func TestTaskTiming(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{TaskDuration: 10 * time.Second})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	id := h.startTask(token, "imports", importWorkspaces)
	emulator.WaitTasks(h.e)
	var states []string
	last := -1.0
	for range 12 {
		task := h.task(token, "imports", importWorkspaces, id)
		state := task["taskState"].(string)
		if len(states) == 0 || states[len(states)-1] != state {
			states = append(states, state)
		}
		p := task["progress"].(float64)
		if p < last || p < 0 || p > 1 {
			t.Errorf("progress %v after %v", p, last)
		}
		last = p
		if _, ok := task["result"]; ok != (state == "COMPLETE") {
			t.Errorf("%s with result %v", state, task["result"])
		}
		h.clock.Advance(time.Second)
	}
	if strings.Join(states, " ") != "NOT_STARTED IN_PROGRESS COMPLETE" {
		t.Errorf("states = %v", states)
	}
}

func TestTaskListsPageAndSort(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	var ids []string
	for range 3 {
		id, _ := h.runTask(token, "imports", importWorkspaces)
		ids = append(ids, id)
	}
	list := func(query string) []string {
		var out []string
		for _, t := range h.get(bulkPath("/imports/"+importWorkspaces+"/tasks"+query), token).json(t)["tasks"].([]any) {
			out = append(out, t.(map[string]any)["taskId"].(string))
		}
		return out
	}
	if got := list(""); strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("default order = %v, want oldest first %v", got, ids)
	}
	if got := list("?sort=-creationDate"); strings.Join(got, " ") != ids[2]+" "+ids[1]+" "+ids[0] {
		t.Errorf("newest first = %v", got)
	}
	if got := list("?limit=1&offset=1"); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("page 2 = %v", got)
	}
	if got := list("?sort=-nonsense"); strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("unknown sort field = %v", got)
	}
}

func TestModelDefinitions(t *testing.T) {
	t.Parallel()
	demo := emulator.Demo()
	var other string
	for _, m := range demo.Models {
		if m.ID != emulator.RegistryModelID && m.ID != emulator.DemoNoAccessModelID {
			other = m.ID
			break
		}
	}
	def := `{"name":"Regions","lists":[{"name":"Regions"}],
		"files":[{"name":"regions.csv","headers":["Code","Region"]}],
		"imports":[{"name":"Regions from regions.csv","type":"HIERARCHY_DATA","file":"regions.csv","list":"Regions","mapping":{"code":"Code","name":"Region"}}]}`
	h := newHarness(t, emulator.Options{ModelDefinitions: map[string][]byte{other: []byte(def)}})
	token := h.login()
	var ws string
	for _, m := range demo.Models {
		if m.ID == other {
			ws = m.WorkspaceID
		}
	}
	base := "/2/0/workspaces/" + ws + "/models/" + other
	imports := h.get(base+"/imports", token).json(t)["imports"].([]any)
	if len(imports) != 1 || imports[0].(map[string]any)["name"] != "Regions from regions.csv" {
		t.Fatalf("imports = %v", imports)
	}
	h.send("PUT", base+"/files/113000000000", token, "", strings.NewReader("Code,Region\nN,North\nS,South\n"))
	r := h.postJSON(base+"/imports/112000000000/tasks", token, `{"localeName":"en_US"}`)
	id := r.json(t)["task"].(map[string]any)["taskId"].(string)
	h.finish()
	task := h.get(base+"/imports/112000000000/tasks/"+id, token).json(t)["task"].(map[string]any)
	if d := task["result"].(map[string]any)["details"].([]any)[0].(map[string]any); d["localMessageText"] != "Regions: 2 (2/0) rows successful, 0 ignored " {
		t.Errorf("result detail = %v", d)
	}
	// The Model Registry still has its definition.
	if got := h.get(bulkPath("/processes"), token).json(t)["processes"].([]any); len(got) != 1 {
		t.Errorf("registry processes = %v", got)
	}

	for _, tc := range []struct {
		defs map[string][]byte
		want string
	}{
		{map[string][]byte{"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF": []byte(def)}, "the tenant has no model with that ID"},
		{map[string][]byte{other: []byte(`{"name":"x","lists":[{"name":"L","parent":"Nope"}]}`)}, "definition for " + other},
		{map[string][]byte{other: []byte(`{"nmae":"typo"}`)}, "definition for " + other},
	} {
		if _, err := emulator.New(emulator.Options{ModelDefinitions: tc.defs}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New with %s: %v, want an error saying %q", tc.defs, err, tc.want)
		}
	}
	if _, err := emulator.New(emulator.Options{TaskDuration: -time.Second}); err == nil {
		t.Errorf("negative TaskDuration accepted")
	}
}
