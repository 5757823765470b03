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

// pattern is an endless stream of CSV-like bytes that allocates nothing:
// uploads of any size are generated, never held in memory.
type pattern struct{ off int }

var patternBlock = []byte(strings.Repeat("M0000001,Some Model Name,W1,123456789\n", 1024))

func (p *pattern) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		c := copy(b[n:], patternBlock[p.off:])
		n += c
		p.off = (p.off + c) % len(patternBlock)
	}
	return n, nil
}

// gzipZeros is gzip data of n zero bytes (n >= 1 MiB): gzip members of
// 1 MiB of zeros one after the other, as gzip readers accept them, so the
// test compresses 1 MiB instead of n bytes.
func gzipZeros(t testing.TB, n int64) io.Reader {
	var mib, rest bytes.Buffer
	for buf, size := range map[*bytes.Buffer]int64{&mib: 1 << 20, &rest: n % (1 << 20)} {
		zw, _ := gzip.NewWriterLevel(buf, gzip.BestCompression)
		io.Copy(zw, io.LimitReader(zeroReader{}, size))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var readers []io.Reader
	for range n >> 20 {
		readers = append(readers, bytes.NewReader(mib.Bytes()))
	}
	return io.MultiReader(append(readers, &rest)...)
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

func TestUploadLimitsAndBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	file := bulkPath("/files/" + modelsFile)
	wantStatus(t, h.postJSON(file, token, `{"chunkCount":-1}`), http.StatusOK)
	for _, tc := range []struct {
		name, method, path, contentType string
		body                            io.Reader
		message                         string
	}{
		{"chunk over 50 MB", "PUT", file + "/chunks/0", "application/octet-stream",
			io.LimitReader(&pattern{}, 50<<20+1), "larger than 50 MB uncompressed"},
		{"gzip chunk over 50 MB once decompressed", "PUT", file + "/chunks/0", "application/x-gzip",
			gzipZeros(t, 50<<20+1), "larger than 50 MB uncompressed"},
		{"chunk 1000", "PUT", file + "/chunks/1000", "application/octet-stream", strings.NewReader("x"), "chunks are numbered 0 to 999"},
		{"negative chunk", "PUT", file + "/chunks/-1", "application/octet-stream", strings.NewReader("x"), "chunks are numbered 0 to 999"},
		{"chunk ID not a number", "PUT", file + "/chunks/first", "application/octet-stream", strings.NewReader("x"), "chunks are numbered 0 to 999"},
		{"not gzip", "PUT", file + "/chunks/0", "application/x-gzip", strings.NewReader("Code,Name\n"), "is not gzip data"},
		{"truncated gzip", "PUT", file + "/chunks/0", "application/x-gzip",
			bytes.NewReader(gzipped(t, modelsCSV)[:30]), "gzip data is corrupt"},
		{"single shot gzip", "PUT", file, "application/x-gzip", bytes.NewReader(gzipped(t, modelsCSV)), "You cannot compress a file"},
		{"chunk count 1001", "POST", file, "application/json", strings.NewReader(`{"chunkCount":1001}`), "out of range"},
		{"chunk count -2", "POST", file, "application/json", strings.NewReader(`{"chunkCount":-2}`), "out of range"},
		{"chunk count missing", "POST", file, "application/json", strings.NewReader(`{"id":"` + modelsFile + `"}`), `Missing "chunkCount"`},
		{"chunk count not a number", "POST", file, "application/json", strings.NewReader(`{"chunkCount":"-1"}`), "not the expected JSON"},
		{"upload to an export's output", "POST", bulkPath("/files/" + exportModels), "application/json", strings.NewReader(`{"chunkCount":1}`), "is the output of export"},
		{"chunk of an export's output", "PUT", bulkPath("/files/" + exportModels + "/chunks/0"), "application/octet-stream", strings.NewReader("x"), "is the output of export"},
	} {
		r := h.send(tc.method, tc.path, token, tc.contentType, tc.body)
		wantAPIError(t, r, http.StatusBadRequest, tc.path, "")
		if msg := r.json(t)["status"].(map[string]any)["message"].(string); !strings.Contains(msg, tc.message) {
			t.Errorf("%s: message %q, want it to say %q", tc.name, msg, tc.message)
		}
	}
	// Nothing of the refused chunks was kept.
	if _, ok := h.get(file+"/chunks", token).json(t)["chunks"]; ok {
		t.Errorf("refused chunks are listed")
	}

	// A known count bounds the chunk IDs; gaps stop …/complete.
	wantStatus(t, h.postJSON(file, token, `{"chunkCount":2}`), http.StatusOK)
	r := h.send("PUT", file+"/chunks/2", token, "application/octet-stream", strings.NewReader("x"))
	wantAPIError(t, r, http.StatusBadRequest, file+"/chunks/2", "")
	wantStatus(t, h.postJSON(file, token, `{"chunkCount":-1}`), http.StatusOK)
	for _, n := range []string{"0", "2"} {
		wantStatus(t, h.send("PUT", file+"/chunks/"+n, token, "application/octet-stream", strings.NewReader("x")), http.StatusNoContent)
	}
	r = h.postJSON(file+"/complete", token, "")
	wantAPIError(t, r, http.StatusBadRequest, file+"/complete", "")
	if msg := string(r.body); !strings.Contains(msg, "chunk 1 of chunks 0 to 2 is missing") {
		t.Errorf("complete with a gap: %s", msg)
	}
}

func TestUploadLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	file := bulkPath("/files/" + modelsFile)
	chunkCount := func() any {
		for _, f := range h.get(bulkPath("/files"), token).json(t)["files"].([]any) {
			if f := f.(map[string]any); f["id"] == modelsFile {
				return f["chunkCount"]
			}
		}
		return nil
	}

	// A known count completes by itself with its last chunk; the listing
	// shows -1 only while an unknown count is open.
	wantStatus(t, h.postJSON(file, token, `{"chunkCount":2}`), http.StatusOK)
	wantStatus(t, h.send("PUT", file+"/chunks/1", token, "", strings.NewReader(modelsCSV[20:])), http.StatusNoContent)
	wantStatus(t, h.get(file, token), http.StatusNotFound) // not complete yet
	wantStatus(t, h.send("PUT", file+"/chunks/0", token, "", strings.NewReader(modelsCSV[:20])), http.StatusNoContent)
	if got := h.get(file, token); string(got.body) != modelsCSV || chunkCount() != float64(2) {
		t.Fatalf("after both chunks: %q, chunkCount %v", got.body, chunkCount())
	}
	// A retried chunk PUT after completion is harmless.
	wantStatus(t, h.send("PUT", file+"/chunks/1", token, "", strings.NewReader(modelsCSV[20:])), http.StatusNoContent)
	if got := h.get(file, token); string(got.body) != modelsCSV || chunkCount() != float64(2) {
		t.Fatalf("after a retried chunk: %q, chunkCount %v", got.body, chunkCount())
	}
	// …/complete of complete content answers the file again.
	if r := h.postJSON(file+"/complete", token, "{}"); r.status != http.StatusOK || r.json(t)["file"].(map[string]any)["chunkCount"] != float64(2) {
		t.Errorf("complete again: %d %s", r.status, r.body)
	}

	// A new upload of unknown count shows -1 until …/complete; the old
	// content stays readable meanwhile.
	wantStatus(t, h.postJSON(file, token, `{"chunkCount":-1}`), http.StatusOK)
	if chunkCount() != float64(-1) {
		t.Errorf("chunkCount during an upload = %v", chunkCount())
	}
	wantStatus(t, h.send("PUT", file+"/chunks/0", token, "", strings.NewReader("Code,Name,Workspace,currentSize\n")), http.StatusNoContent)
	if got := h.get(file, token); string(got.body) != modelsCSV {
		t.Errorf("old content during an upload = %q", got.body)
	}
	wantStatus(t, h.postJSON(file+"/complete", token, ""), http.StatusOK)
	if got := h.get(file, token); string(got.body) != "Code,Name,Workspace,currentSize\n" || chunkCount() != float64(1) {
		t.Errorf("after the new upload: %q, chunkCount %v", got.body, chunkCount())
	}

	// A chunk PUT without a chunk count starts an upload of unknown count.
	other := bulkPath("/files/" + workspacesFile)
	wantStatus(t, h.send("PUT", other+"/chunks/0", token, "", strings.NewReader(workspacesCSV)), http.StatusNoContent)
	wantStatus(t, h.postJSON(other+"/complete", token, ""), http.StatusOK)
	if got := h.get(other, token); string(got.body) != workspacesCSV {
		t.Errorf("upload without a chunk count = %q", got.body)
	}

	// DELETE removes the content, not the file.
	wantStatus(t, h.do("DELETE", file, "AnaplanAuthToken "+token, ""), http.StatusNoContent)
	if chunkCount() != float64(0) {
		t.Errorf("chunkCount after DELETE = %v", chunkCount())
	}
	wantAPIError(t, h.get(file, token), http.StatusNotFound, file, "Not Found")
	wantAPIError(t, h.get(file+"/chunks/0", token), http.StatusNotFound, file+"/chunks/0", "Not Found")
}

func TestPostToAnUnknownFileCreatesOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	r := h.postJSON(bulkPath("/files/Extra%20Data.txt"), token, `{"chunkCount":-1,"separator":"\t","encoding":"ISO-8859-1"}`)
	wantStatus(t, r, http.StatusOK)
	f := r.json(t)["file"].(map[string]any)
	if f["id"] != "113000000002" || f["name"] != "Extra Data.txt" || f["separator"] != "\t" || f["encoding"] != "ISO-8859-1" || f["chunkCount"] != float64(-1) {
		t.Fatalf("created file = %v", f)
	}
	// By name or by the new ID, later calls reach the same file.
	if id := h.postJSON(bulkPath("/files/Extra%20Data.txt"), token, `{"chunkCount":1}`).json(t)["file"].(map[string]any)["id"]; id != "113000000002" {
		t.Errorf("second POST by name made %v", id)
	}
	h.putFile(token, "113000000002", "a\tb\n")
	list := h.get(bulkPath("/files"), token).json(t)["files"].([]any)
	var ids []string
	for _, f := range list {
		ids = append(ids, f.(map[string]any)["id"].(string))
	}
	if strings.Join(ids, " ") != "113000000000 113000000001 113000000002 116000000000 116000000001" {
		t.Errorf("files = %v", ids)
	}
	r = h.postJSON(bulkPath("/files/113999999999"), token, `{"name":"named.csv","chunkCount":-1}`)
	if f := r.json(t)["file"].(map[string]any); f["id"] != "113000000003" || f["name"] != "named.csv" {
		t.Errorf("file named by the body = %v", f)
	}
}

// TestBulkRoutesMaskModels: a NO ACCESS model, a model in another
// workspace and an unknown model answer 404 on model-scoped routes, task
// lists answer 200 empty; a model without a definition has nothing.
func TestBulkRoutesMaskModels(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	var noAccessWS, plain string
	for _, m := range emulator.Demo().Models {
		if m.ID == emulator.DemoNoAccessModelID {
			noAccessWS = m.WorkspaceID
		}
		if m.WorkspaceID == emulator.RegistryWorkspaceID && m.ID != emulator.RegistryModelID {
			plain = m.ID
		}
	}
	if plain == "" {
		t.Fatal("no second model in the registry's workspace")
	}
	masked := []string{
		"/2/0/workspaces/" + noAccessWS + "/models/" + emulator.DemoNoAccessModelID,
		"/2/0/workspaces/" + noAccessWS + "/models/" + emulator.RegistryModelID,
		"/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/models/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
	}
	for _, base := range masked {
		for _, p := range []string{"/files", "/imports", "/exports/" + exportModels, "/processes", "/actions", "/files/" + modelsFile + "/chunks"} {
			wantAPIError(t, h.get(base+p, token), http.StatusNotFound, base+p, "Not Found")
		}
		p := base + "/imports/" + importWorkspaces + "/tasks"
		wantAPIError(t, h.postJSON(p, token, `{"localeName":"en_US"}`), http.StatusNotFound, p, "Not Found")
		wantAPIError(t, h.send("PUT", base+"/files/"+modelsFile, token, "", strings.NewReader("x")), http.StatusNotFound, base+"/files/"+modelsFile, "Not Found")
		list := h.get(p, token)
		wantStatus(t, list, http.StatusOK)
		if _, ok := list.json(t)["tasks"]; ok {
			t.Errorf("%s lists tasks", p)
		}
	}
	wantAPIError(t, h.get("/2/0/models/"+emulator.DemoNoAccessModelID+"/files", token), http.StatusNotFound,
		"/2/0/models/"+emulator.DemoNoAccessModelID+"/files", "Not Found")

	base := "/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/models/" + plain
	for _, p := range []string{"/files", "/imports", "/exports", "/processes", "/actions"} {
		r := h.get(base+p, token)
		wantStatus(t, r, http.StatusOK)
		if body := r.json(t); len(body) != 2 {
			t.Errorf("%s of a model without a definition: %s", p, r.body)
		}
	}
	for _, p := range []string{"/files/" + modelsFile, "/imports/" + importModels, "/processes/" + processLoad} {
		wantAPIError(t, h.get(base+p, token), http.StatusNotFound, base+p, "Not Found")
	}
	wantAPIError(t, h.postJSON(base+"/files/x.csv", token, `{"chunkCount":-1}`), http.StatusNotFound, base+"/files/x.csv", "Not Found")
}

// TestDeleteDiscardsAnUploadInProgress: DELETE …/files/{id} during an
// upload of unknown count (chunkCount -1) drops the chunks received and
// the content: the file is empty (chunkCount 0), not half-written, and
// the discarded upload cannot be completed after all. An interrupted
// client relies on this to leave the file clean.
func TestDeleteDiscardsAnUploadInProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	file := bulkPath("/files/" + modelsFile)
	h.uploadInChunks(token, modelsFile, modelsCSV, 1<<20)
	wantStatus(t, h.postJSON(file, token, `{"chunkCount":-1}`), http.StatusOK)
	wantStatus(t, h.send("PUT", file+"/chunks/0", token, "application/octet-stream", strings.NewReader(workspacesCSV)), http.StatusNoContent)
	wantStatus(t, h.do("DELETE", file, "AnaplanAuthToken "+token, ""), http.StatusNoContent)
	for _, f := range h.get(bulkPath("/files"), token).json(t)["files"].([]any) {
		if f := f.(map[string]any); f["id"] == modelsFile && f["chunkCount"] != float64(0) {
			t.Errorf("chunkCount after DELETE of an upload in progress = %v, want 0", f["chunkCount"])
		}
	}
	wantAPIError(t, h.get(file, token), http.StatusNotFound, file, "Not Found")
	if r := h.postJSON(file+"/complete", token, "{}"); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "No upload in progress") {
		t.Errorf("complete after DELETE: %d %s, want 400: the upload was discarded", r.status, r.body)
	}
}
