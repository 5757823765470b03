package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestBulkAnswersTheModelOnlyForm runs a whole load through
// /2/0/models/{modelId}/… without the workspace (anaplan-api.md §13):
// upload, import, status, dump, and the workspace form sees the result.
func TestBulkAnswersTheModelOnlyForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	m := "/2/0/models/" + emulator.RegistryModelID

	wantStatus(t, h.postJSON(m+"/files/"+workspacesFile, token, `{"chunkCount":-1}`), http.StatusOK)
	wantStatus(t, h.send("PUT", m+"/files/"+workspacesFile+"/chunks/0", token, "application/octet-stream", strings.NewReader(workspacesCSV)), http.StatusNoContent)
	wantStatus(t, h.postJSON(m+"/files/"+workspacesFile+"/complete", token, `{"id":"`+workspacesFile+`"}`), http.StatusOK)
	if got := h.get(bulkPath("/files/"+workspacesFile), token); string(got.body) != workspacesCSV {
		t.Fatalf("the workspace form downloads %q after a model-form upload", got.body)
	}
	wantStatus(t, h.send("PUT", m+"/files/"+modelsFile, token, "application/octet-stream", strings.NewReader(modelsBadCSV)), http.StatusNoContent)
	if got := h.get(m+"/files/"+modelsFile+"/chunks/0", token); string(got.body) != modelsBadCSV {
		t.Fatalf("model-form chunk download = %q", got.body)
	}

	r := h.postJSON(m+"/imports/"+importModels+"/tasks", token, `{"localeName":"en_US"}`)
	wantStatus(t, r, http.StatusOK)
	id := r.json(t)["task"].(map[string]any)["taskId"].(string)
	h.finish()
	task := h.get(m+"/imports/"+importModels+"/tasks/"+id, token).json(t)["task"].(map[string]any)
	if task["taskState"] != "COMPLETE" || task["result"].(map[string]any)["failureDumpAvailable"] != true {
		t.Fatalf("model-form task = %v", task)
	}
	if same := h.task(token, "imports", importModels, id); same["taskId"] != id {
		t.Errorf("the workspace form does not see the task: %v", same)
	}
	list := h.get(m+"/imports/"+importModels+"/tasks", token).json(t)["tasks"].([]any)
	if len(list) != 1 {
		t.Errorf("model-form task list = %v", list)
	}
	dump := h.get(m+"/imports/"+importModels+"/tasks/"+id+"/dump", token)
	wantStatus(t, dump, http.StatusOK)
	if !strings.Contains(string(dump.body), "NOPE") {
		t.Errorf("model-form dump = %q", dump.body)
	}
	wantStatus(t, h.get(m+"/imports/"+importModels+"/tasks/"+id+"/dump/chunks/0", token), http.StatusOK)
	wantStatus(t, h.do("DELETE", m+"/files/"+modelsFile, "AnaplanAuthToken "+token, ""), http.StatusNoContent)
	if got := h.get(bulkPath("/files/"+modelsFile), token); got.status != http.StatusNotFound {
		t.Errorf("after a model-form DELETE the content is still served: %d", got.status)
	}
}
