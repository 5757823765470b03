package anaplan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// The interrupted-upload tests cut an upload at one request: the
// harness answers it in place of the emulator by cancelling the client's
// context and waiting until the client has hung up, so the request is
// lost in transit, as with a Ctrl-C. No sleeps: the client's hang-up is
// the barrier.

const interruptedFile = "113000000000"

// cancelAt makes the request "METHOD path" (first time only) cancel
// cancel and vanish; later ones pass.
func cancelAt(h *harness, key string, cancel context.CancelFunc) {
	var seen atomic.Int32
	h.answer(key, func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) > 1 {
			h.api(w, r)
			return
		}
		cancel()
		_, _ = io.Copy(io.Discard, r.Body) // ends when the client hangs up, or has sent it all
		<-r.Context().Done()               // the client has hung up
	})
}

// serverChunkCount is the file's chunkCount as GET …/files shows it.
func serverChunkCount(t *testing.T, h *harness, id string) int {
	t.Helper()
	status, body := h.get("/workspaces/" + bulkWS + "/models/" + bulkModel + "/files")
	if status != http.StatusOK {
		t.Fatalf("GET files: %d %s", status, body)
	}
	var v struct {
		Files []anaplan.File `json:"files"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	for _, f := range v.Files {
		if f.ID == id {
			return f.ChunkCount
		}
	}
	t.Fatalf("file %s is not listed", id)
	return 0
}

const chunkPath = "/2/0/workspaces/" + bulkWS + "/models/" + bulkModel + "/files/" + interruptedFile

// TestUploadInterruptedMidwayIsDiscarded: cancelled while chunk 2 of 6
// is in transit, the upload deletes what it sent instead of leaving the
// server file half-written (chunkCount -1), and says so.
func TestUploadInterruptedMidwayIsDiscarded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := newBulk(h)
	b.putChunks(interruptedFile, []byte("Code,Name\nOLD,Old content\n"))
	m, _ := b.model(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cancelAt(h, "PUT "+chunkPath+"/chunks/2", cancel)

	_, err := m.Upload(ctx, interruptedFile, unsized{bytes.NewReader(csvData(6 * mb))}, anaplan.UploadOptions{ChunkSize: mb, Parallel: 1, NoGzip: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := serverChunkCount(t, h, interruptedFile); n != 0 {
		t.Errorf("the server file has chunkCount %d after the interrupted upload, want 0 (discarded, not -1)", n)
	}
	if got := b.fileContent(interruptedFile); got != nil {
		t.Errorf("the server file still holds %d bytes, want none", len(got))
	}
	var ie *anaplan.UploadInterruptedError
	if !errors.As(err, &ie) || ie.Outcome != anaplan.UploadDiscarded || ie.Chunks != 2 {
		t.Fatalf("err = %#v, want an UploadInterruptedError: discarded after 2 chunks", err)
	}
	if !strings.Contains(err.Error(), "discarded the 2 chunks sent; the server file holds no uploaded data") {
		t.Errorf("err = %q, want it to say the 2 chunks were discarded", err)
	}
	if len(b.completes) != 0 {
		t.Error("an interrupted upload was marked complete")
	}
}

// TestUploadInterruptedAfterTheLastChunkIsCompleted: cancelled while
// POST …/complete is in transit, every chunk is on the server, so the
// upload completes it on a fresh context: the file holds the new data.
func TestUploadInterruptedAfterTheLastChunkIsCompleted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := newBulk(h)
	m, _ := b.model(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cancelAt(h, "POST "+chunkPath+"/complete", cancel)
	data := csvData(3 * mb)

	_, err := m.Upload(ctx, interruptedFile, bytes.NewReader(data), anaplan.UploadOptions{ChunkSize: mb, Parallel: 2, NoGzip: true})
	var ie *anaplan.UploadInterruptedError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ie) || ie.Outcome != anaplan.UploadCompleted {
		t.Fatalf("err = %v, want context.Canceled with the upload completed", err)
	}
	if ie.File.ChunkCount != 3 || !strings.Contains(err.Error(), "upload was completed") {
		t.Errorf("err = %q, file %+v; want the 3-chunk file completed", err, ie.File)
	}
	if n := serverChunkCount(t, h, interruptedFile); n != 3 {
		t.Errorf("the server file has chunkCount %d, want 3", n)
	}
	if !bytes.Equal(b.fileContent(interruptedFile), data) {
		t.Error("the server file does not hold the uploaded data")
	}
}

// TestUploadInterruptedBeforeItBeganLeavesTheFile: cancelled while the
// chunk count is being declared and the declaration never arrived, the
// server file is as it was: nothing to discard, and nothing is deleted.
func TestUploadInterruptedBeforeItBeganLeavesTheFile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := newBulk(h)
	old := b.putChunks(interruptedFile, []byte("Code,Name\nOLD,Old content\n"))
	m, _ := b.model(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cancelAt(h, "POST "+chunkPath, cancel)

	_, err := m.Upload(ctx, interruptedFile, strings.NewReader("Code,Name\nNEW,New content\n"), anaplan.UploadOptions{})
	var ie *anaplan.UploadInterruptedError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ie) || ie.Outcome != anaplan.UploadUnchanged {
		t.Fatalf("err = %v, want context.Canceled with the file unchanged", err)
	}
	if !bytes.Equal(b.fileContent(interruptedFile), old) || h.count("DELETE "+chunkPath) != 0 {
		t.Errorf("the server file changed (or was deleted) though the upload never began")
	}
}

// TestUploadFailingForGoodIsDiscarded: not only a Ctrl-C; a chunk that
// fails for good leaves no half-written file either.
func TestUploadFailingForGoodIsDiscarded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := newBulk(h)
	b.failPut[1] = 100
	m, _ := b.model(t, anaplan.WithRetryPolicy(anaplan.RetryPolicy{MaxAttempts: 2}))
	_, err := m.Upload(t.Context(), interruptedFile, bytes.NewReader(csvData(3*mb)), anaplan.UploadOptions{ChunkSize: mb, Parallel: 1, NoGzip: true})
	var ie *anaplan.UploadInterruptedError
	if !errors.Is(err, anaplan.ErrServer) || !errors.As(err, &ie) || ie.Outcome != anaplan.UploadDiscarded {
		t.Fatalf("err = %v, want the 503 with the upload discarded", err)
	}
	if n := serverChunkCount(t, h, interruptedFile); n != 0 {
		t.Errorf("chunkCount %d after a failed upload, want 0", n)
	}
}
