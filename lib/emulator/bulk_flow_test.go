package emulator_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestTutorialFlow is the tutorial's load on raw HTTP: list the files and
// imports, upload both CSVs three ways, run the process, poll it to
// COMPLETE on the injected clock, then export the model register.
func TestTutorialFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()

	files := h.get(bulkPath("/files"), token).json(t)["files"].([]any)
	if len(files) != 4 {
		t.Fatalf("files = %v", files)
	}
	for _, f := range files {
		if f.(map[string]any)["chunkCount"] != float64(0) {
			t.Errorf("file before upload: %v", f)
		}
	}
	imports := h.get(bulkPath("/imports/"), token).json(t)["imports"].([]any)
	if len(imports) != 4 || imports[1].(map[string]any)["importDataSourceId"] != modelsFile {
		t.Fatalf("imports = %v", imports)
	}

	// models.csv in three chunks of unknown count, then …/complete.
	done := h.uploadInChunks(token, modelsFile, modelsCSV, 40)
	if f := done["file"].(map[string]any); f["chunkCount"] != float64(3) || f["id"] != modelsFile || f["name"] != "models.csv" {
		t.Errorf("complete: file = %v", f)
	}
	chunks := h.get(bulkPath("/files/"+modelsFile+"/chunks"), token).json(t)["chunks"].([]any)
	if len(chunks) != 3 || chunks[2].(map[string]any)["name"] != "Chunk 2" {
		t.Errorf("chunks = %v", chunks)
	}
	if got := h.get(bulkPath("/files/"+modelsFile), token); string(got.body) != modelsCSV || got.header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("download = %q (%s)", got.body, got.header.Get("Content-Type"))
	}

	// workspaces.csv as one gzip-compressed chunk of a known count: no
	// …/complete needed.
	r := h.postJSON(bulkPath("/files/"+workspacesFile), token, `{"chunkCount":1}`)
	wantStatus(t, r, http.StatusOK)
	if f := r.json(t)["file"].(map[string]any); f["chunkCount"] != float64(1) || f["encoding"] != "UTF-8" {
		t.Errorf("set chunk count: %v", f)
	}
	wantStatus(t, h.send("PUT", bulkPath("/files/"+workspacesFile+"/chunks/0"), token, "application/x-gzip",
		bytes.NewReader(gzipped(t, workspacesCSV))), http.StatusNoContent)
	if got := h.get(bulkPath("/files/"+workspacesFile+"/chunks/0"), token); string(got.body) != workspacesCSV {
		t.Errorf("gzip chunk stored as %q", got.body)
	}
	// ... and again in one shot: same content.
	h.putFile(token, workspacesFile, workspacesCSV)
	if got := h.get(bulkPath("/files/"+workspacesFile), token); string(got.body) != workspacesCSV {
		t.Errorf("single-shot upload stored as %q", got.body)
	}

	// Run the process and poll it on the clock.
	id := h.startTask(token, "processes", processLoad)
	if !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(id) {
		t.Errorf("taskId %q: want 32 uppercase hex digits", id)
	}
	task := h.task(token, "processes", processLoad, id)
	if task["taskState"] != "NOT_STARTED" || task["type"] != "taskInformation" || task["creationTime"] != float64(testStart.UnixMilli()) {
		t.Errorf("right after start: %v", task)
	}
	wantAPIError(t, h.postJSON(bulkPath("/imports/"+importModels+"/tasks"), token, `{"localeName":"en_US"}`),
		http.StatusConflict, bulkPath("/imports/"+importModels+"/tasks"), "")
	emulator.WaitTasks(h.e)
	h.clock.Advance(emulator.DefaultTaskDuration / 2)
	task = h.task(token, "processes", processLoad, id)
	if p, _ := task["progress"].(float64); task["taskState"] != "IN_PROGRESS" || p <= 0 || p >= 1 {
		t.Errorf("half way: %v", task)
	}
	if _, ok := task["result"]; ok {
		t.Errorf("result before the task finished: %v", task)
	}
	h.clock.Advance(emulator.DefaultTaskDuration / 2)
	task = h.task(token, "processes", processLoad, id)
	if task["taskState"] != "COMPLETE" || task["currentStep"] != "Complete." || task["progress"] != float64(1) {
		t.Fatalf("after the duration: %v", task)
	}
	res := task["result"].(map[string]any)
	if res["successful"] != true || res["failureDumpAvailable"] != false || res["objectId"] != processLoad {
		t.Errorf("result = %v", res)
	}
	nested := res["nestedResults"].([]any)
	wantDetails := []string{
		"W1 Workspaces: 2 (2/0) rows successful, 0 ignored ",
		"W2 Models: 3 (3/0) rows successful, 0 ignored ",
		"W1 Workspace Register: 2 rows successful, 0 ignored ",
		"W2 Model Register: 3 rows successful, 0 ignored ",
	}
	if len(nested) != len(wantDetails) {
		t.Fatalf("nestedResults = %v", nested)
	}
	for i, n := range nested {
		d := n.(map[string]any)["details"].([]any)[0].(map[string]any)
		if d["localMessageText"] != wantDetails[i] {
			t.Errorf("nested %d: %v", i, d)
		}
	}

	// Export the model register: the file whose ID is the export's.
	_, task = h.runTask(token, "exports", exportModels)
	if res := task["result"].(map[string]any); res["successful"] != true || res["objectId"] != exportModels {
		t.Errorf("export result = %v", res)
	}
	want := "W2 Models,Code,Workspace,Name,Current Size\n" +
		"Model Registry,M1,Admin Tools,Model Registry,125829120\n" +
		"FP&A,M2,Finance,FP&A,500000000\n" +
		"\"Sales, EMEA\",M3,Finance,\"Sales, EMEA\",42\n"
	if got := h.get(bulkPath("/files/"+exportModels), token); string(got.body) != want {
		t.Errorf("export output:\n%s\nwant:\n%s", got.body, want)
	}
	for _, f := range h.get("/2/0/models/"+emulator.RegistryModelID+"/files", token).json(t)["files"].([]any) {
		if f := f.(map[string]any); f["id"] == exportModels && f["chunkCount"] != float64(1) {
			t.Errorf("export file listed as %v", f)
		}
	}

	if n := h.e.TaskStarts(emulator.RegistryModelID, processLoad); n != 1 {
		t.Errorf("TaskStarts(process) = %d", n)
	}
	if n := h.e.TaskStarts(emulator.RegistryModelID, importModels); n != 0 {
		t.Errorf("TaskStarts(refused import) = %d", n)
	}
	list := h.get(bulkPath("/processes/"+processLoad+"/tasks"), token).json(t)["tasks"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["taskId"] != id || list[0].(map[string]any)["taskState"] != "COMPLETE" {
		t.Errorf("task list = %v", list)
	}
}

// TestFailureDump runs an import whose file has a bad row: the task
// completes unsuccessfully with a dump, served whole and in chunks; the
// process form of the dump names the failing action.
func TestFailureDump(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	h.putFile(token, modelsFile, modelsBadCSV)
	h.runTask(token, "imports", importWorkspaces)

	id, task := h.runTask(token, "imports", importModels)
	res := task["result"].(map[string]any)
	if res["successful"] != false || res["failureDumpAvailable"] != true || res["objectId"] != importModels {
		t.Fatalf("result = %v", res)
	}
	wantDump := "_Status_,Code,Name,Workspace,currentSize,_Line_,_Error_1_\n" +
		"E,M9,Orphan,NOPE,7,3,Invalid parent: Item not located in W1 Workspaces list: NOPE\n"
	dump := bulkPath("/imports/" + importModels + "/tasks/" + id + "/dump")
	got := h.get(dump, token)
	wantStatus(t, got, http.StatusOK)
	if string(got.body) != wantDump || !strings.HasPrefix(got.header.Get("Content-Type"), "text/plain") {
		t.Errorf("dump (%s):\n%s", got.header.Get("Content-Type"), got.body)
	}
	chunks := h.get(dump+"/chunks", token).json(t)["chunks"].([]any)
	if len(chunks) != 1 || chunks[0].(map[string]any)["id"] != "0" {
		t.Errorf("dump chunks = %v", chunks)
	}
	if got := h.get(dump+"/chunks/0", token); string(got.body) != wantDump {
		t.Errorf("dump chunk 0 = %q", got.body)
	}
	wantAPIError(t, h.get(dump+"/chunks/1", token), http.StatusNotFound, dump+"/chunks/1", "Not Found")
	// A task ID resolves only under its own import.
	other := bulkPath("/imports/" + importWorkspaces + "/tasks/" + id)
	wantAPIError(t, h.get(other, token), http.StatusNotFound, other, "Not Found")

	// The process reports the failing action in nestedResults; its dump
	// is under …/dumps/{objectId}.
	pid, task := h.runTask(token, "processes", processLoad)
	res = task["result"].(map[string]any)
	if res["successful"] != false || res["failureDumpAvailable"] != true {
		t.Fatalf("process result = %v", res)
	}
	var failing []string
	for _, n := range res["nestedResults"].([]any) {
		if n := n.(map[string]any); n["failureDumpAvailable"] == true {
			failing = append(failing, n["objectId"].(string))
		}
	}
	// M9's row fails in the list import and again in the module import.
	if strings.Join(failing, " ") != importModels+" "+importModelData {
		t.Fatalf("nestedResults = %v", res["nestedResults"])
	}
	pdump := bulkPath("/processes/" + processLoad + "/tasks/" + pid + "/dumps/" + importModels)
	if got := h.get(pdump, token); string(got.body) != wantDump {
		t.Errorf("process dump = %q (status %d)", got.body, got.status)
	}
	if chunks := h.get(pdump+"/chunks", token).json(t)["chunks"].([]any); len(chunks) != 1 {
		t.Errorf("process dump chunks = %v", chunks)
	}
	if got := h.get(pdump+"/chunks/0", token); string(got.body) != wantDump {
		t.Errorf("process dump chunk = %q", got.body)
	}
	other = bulkPath("/processes/" + processLoad + "/tasks/" + pid + "/dumps/" + importWorkspaces)
	wantAPIError(t, h.get(other, token), http.StatusNotFound, other, "Not Found")

	// A clean run of the import removes its dump (H:dump).
	h.putFile(token, modelsFile, modelsCSV)
	_, task = h.runTask(token, "imports", importModels)
	if task["result"].(map[string]any)["successful"] != true {
		t.Fatalf("clean run: %v", task)
	}
	wantAPIError(t, h.get(dump, token), http.StatusNotFound, dump, "Not Found")
	if got := h.get(pdump, token); got.status != http.StatusOK {
		t.Errorf("the process's dump went with the import's: %d", got.status)
	}
	// Dumps expire 48 hours after their last access (tokens sooner).
	h.clock.Advance(47 * time.Hour)
	wantStatus(t, h.get(pdump+"/chunks", h.login()), http.StatusOK)
	h.clock.Advance(47 * time.Hour)
	wantStatus(t, h.get(pdump, h.login()), http.StatusOK)
	h.clock.Advance(49 * time.Hour)
	wantAPIError(t, h.get(pdump, h.login()), http.StatusNotFound, pdump, "Not Found")
}

// TestDumpOfACleanRunIs404: no failures, no dump.
func TestDumpOfACleanRunIs404(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, workspacesFile, workspacesCSV)
	id := h.startTask(token, "imports", importWorkspaces)
	dump := bulkPath("/imports/" + importWorkspaces + "/tasks/" + id + "/dump")
	wantAPIError(t, h.get(dump, token), http.StatusNotFound, dump, "Not Found") // not finished
	h.finish()
	for _, p := range []string{dump, dump + "/chunks", dump + "/chunks/0"} {
		wantAPIError(t, h.get(p, token), http.StatusNotFound, p, "Not Found")
	}
}
