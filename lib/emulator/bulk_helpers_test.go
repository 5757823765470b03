package emulator_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The Model Registry's objects (engine.ModelRegistry), by ID.
const (
	workspacesFile   = "113000000000"
	modelsFile       = "113000000001"
	importWorkspaces = "112000000000"
	importModels     = "112000000001"
	importModelData  = "112000000003"
	processLoad      = "118000000000"
	exportWorkspaces = "116000000000"
	exportModels     = "116000000001"
)

// Registry CSVs in the shapes the tutorial uploads.
const (
	workspacesCSV = "Code,Name,sizeAllowance,currentSize\r\n" +
		"W1,Admin Tools,2147483648,1073741824\r\n" +
		"W2,Finance,1073741824,536870912\r\n"
	modelsCSV = "Code,Name,Workspace,currentSize\r\n" +
		"M1,Model Registry,W1,125829120\r\n" +
		"M2,FP&A,W2,500000000\r\n" +
		"M3,\"Sales, EMEA\",W2,42\r\n"
	// modelsBadCSV has one row whose workspace does not exist (line 3).
	modelsBadCSV = "Code,Name,Workspace,currentSize\r\n" +
		"M1,Model Registry,W1,125829120\r\n" +
		"M9,Orphan,NOPE,7\r\n"
)

// bulkPath is a path under the Model Registry model.
func bulkPath(rest string) string {
	return "/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/models/" + emulator.RegistryModelID + rest
}

// send does a request with a raw body and content type.
func (h *harness) send(method, path, token, contentType string, body io.Reader) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (h *harness) postJSON(path, token, body string) response {
	h.t.Helper()
	return h.do("POST", path, "AnaplanAuthToken "+token, body)
}

// uploadInChunks uploads data to a file in chunks of size bytes with
// chunkCount -1 and …/complete, and returns the complete response.
func (h *harness) uploadInChunks(token, fileID, data string, size int) map[string]any {
	h.t.Helper()
	wantStatus(h.t, h.postJSON(bulkPath("/files/"+fileID), token, `{"chunkCount":-1}`), http.StatusOK)
	n := 0
	for off := 0; off < len(data); off += size {
		chunk := data[off:min(off+size, len(data))]
		wantStatus(h.t, h.send("PUT", bulkPath("/files/"+fileID+"/chunks/"+itoa(n)), token, "application/octet-stream", strings.NewReader(chunk)), http.StatusNoContent)
		n++
	}
	r := h.postJSON(bulkPath("/files/"+fileID+"/complete"), token, `{"id":"`+fileID+`"}`)
	wantStatus(h.t, r, http.StatusOK)
	return r.json(h.t)
}

// putFile uploads data in one request.
func (h *harness) putFile(token, fileID, data string) {
	h.t.Helper()
	wantStatus(h.t, h.send("PUT", bulkPath("/files/"+fileID), token, "application/octet-stream", strings.NewReader(data)), http.StatusNoContent)
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// startTask starts an import, export or process task and returns its ID.
func (h *harness) startTask(token, kind, objectID string) string {
	h.t.Helper()
	r := h.postJSON(bulkPath("/"+kind+"/"+objectID+"/tasks"), token, `{"localeName":"en_US"}`)
	wantStatus(h.t, r, http.StatusOK)
	task := r.json(h.t)["task"].(map[string]any)
	if task["taskState"] != "NOT_STARTED" {
		h.t.Fatalf("new task = %v", task)
	}
	return task["taskId"].(string)
}

// finish lets every running task complete: the engine runs end and the
// clock passes the default task duration.
func (h *harness) finish() {
	emulator.WaitTasks(h.e)
	h.clock.Advance(emulator.DefaultTaskDuration)
}

// task returns GET …/{kind}/{id}/tasks/{taskId}'s "task".
func (h *harness) task(token, kind, objectID, taskID string) map[string]any {
	h.t.Helper()
	r := h.get(bulkPath("/"+kind+"/"+objectID+"/tasks/"+taskID), token)
	wantStatus(h.t, r, http.StatusOK)
	return r.json(h.t)["task"].(map[string]any)
}

// runTask starts a task, lets it finish and returns its final status.
func (h *harness) runTask(token, kind, objectID string) (string, map[string]any) {
	h.t.Helper()
	id := h.startTask(token, kind, objectID)
	h.finish()
	task := h.task(token, kind, objectID, id)
	if task["taskState"] != "COMPLETE" {
		h.t.Fatalf("task after the duration = %v", task)
	}
	return id, task
}
