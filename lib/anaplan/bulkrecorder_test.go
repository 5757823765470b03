package anaplan_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// bulkRecorder watches the bulk API for the upload and task tests: what
// the client sent, how many chunk PUTs were in flight, and it injects
// what those tests ask for (a 503 on one chunk, a held PUT, scripted task
// states). Everything else is the emulator's.
type bulkRecorder struct {
	h *harness

	mu         sync.Mutex
	counts     []int    // chunkCount of each POST …/files/{id}
	completes  []string // bodies of POST …/complete
	taskBodies []string // bodies of POST …/tasks
	puts       []chunkPut
	inflight   int
	maxFlight  int
	failPut    map[int]int // chunk index -> 503s still to answer
	holdPut    func(index int)
	// stallAfter, when positive, keeps every chunk above that index
	// unanswered until its request is cancelled: the upload can then read
	// no further than its buffers while an earlier chunk fails.
	stallAfter int
	scripts    map[string][]taskStep // object ID -> states, one per status read
	reads      map[string]int        // task ID -> status reads so far
	// dumps, when set, are the failure dumps served instead of the
	// emulator's (by import ID, or a process's nested object ID), in
	// chunks of dumpChunk bytes: for scripted tasks, which have none.
	dumps     map[string][]byte
	dumpChunk int
}

// chunkPut is what the recorder saw of one chunk PUT.
type chunkPut struct {
	Index       int
	ContentType string
	Wire, Raw   int
}

// taskStep is one scripted task state; Result is set on terminal steps.
type taskStep struct {
	State    string
	Progress float64
	Step     string
	Result   map[string]any
}

// newBulk starts recording the bulk API of the harness.
func newBulk(h *harness) *bulkRecorder {
	b := &bulkRecorder{h: h, failPut: map[int]int{}, scripts: map[string][]taskStep{}, reads: map[string]int{}}
	h.set(func(h *harness) { h.bulk = b })
	return b
}

// model is a handle on the Model Registry through a fresh client.
func (b *bulkRecorder) model(t testing.TB, opts ...anaplan.Option) (*anaplan.ModelHandle, *waits) {
	c, w := b.h.client(t, opts...)
	return c.Model(bulkWS, bulkModel), w
}

// script makes the status reads of objectID's tasks walk through steps
// (the last one repeats), instead of the emulator's clock-driven states.
func (b *bulkRecorder) script(objectID string, steps []taskStep) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.scripts[objectID] = steps
}

func (b *bulkRecorder) snapshotPuts() []chunkPut {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]chunkPut(nil), b.puts...)
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// fileContent downloads a file's content from the emulator; nil when the
// file has none.
func (b *bulkRecorder) fileContent(id string) []byte {
	status, body := b.h.get("/workspaces/" + bulkWS + "/models/" + bulkModel + "/files/" + id)
	if status != http.StatusOK {
		return nil
	}
	return body
}

// serve records or answers a bulk request; false passes it on.
func (b *bulkRecorder) serve(w http.ResponseWriter, r *http.Request, route string, next http.Handler) bool {
	_, rest, ok := strings.Cut(route, "/models/{modelId}/")
	if !ok {
		return false
	}
	shape := r.Method + " " + rest
	switch {
	case shape == "POST files/{fileId}":
		var v struct {
			ChunkCount *int `json:"chunkCount"`
		}
		if json.Unmarshal(peekBody(r), &v) == nil && v.ChunkCount != nil {
			b.mu.Lock()
			b.counts = append(b.counts, *v.ChunkCount)
			b.mu.Unlock()
		}
	case shape == "POST files/{fileId}/complete":
		body := peekBody(r)
		b.mu.Lock()
		b.completes = append(b.completes, string(body))
		b.mu.Unlock()
	case r.Method == "POST" && strings.HasSuffix(rest, "/tasks"):
		body := peekBody(r)
		b.mu.Lock()
		b.taskBodies = append(b.taskBodies, string(body))
		b.mu.Unlock()
	case shape == "PUT files/{fileId}/chunks/{chunkId}":
		b.putChunk(w, r, next)
		return true
	case r.Method == "GET" && strings.HasSuffix(rest, "/tasks/{taskId}"):
		return b.scripted(w, r, next)
	case r.Method == "GET" && strings.Contains(rest, "/tasks/{taskId}/dump"):
		return b.serveDump(w, r, rest)
	}
	return false
}

// serveDump answers …/dump[s/{objectId}][/chunks[/{chunkId}]] from dumps.
func (b *bulkRecorder) serveDump(w http.ResponseWriter, r *http.Request, rest string) bool {
	b.mu.Lock()
	dumps, size := b.dumps, b.dumpChunk
	b.mu.Unlock()
	if dumps == nil {
		return false
	}
	if size == 0 {
		size = 10 << 20
	}
	object := r.PathValue("objectId")
	if object == "" {
		object = r.PathValue("importId")
	}
	dump, ok := dumps[object]
	if !ok {
		apiError(w, r, http.StatusNotFound, "Not Found")
		return true
	}
	var chunks [][]byte
	for off := 0; off < len(dump); off += size {
		chunks = append(chunks, dump[off:min(off+size, len(dump))])
	}
	switch {
	case strings.HasSuffix(rest, "/chunks"):
		writeChunkList(w, len(chunks))
	case strings.HasSuffix(rest, "/chunks/{chunkId}"):
		n := atoi(r.PathValue("chunkId"))
		if n < 0 || n >= len(chunks) {
			apiError(w, r, http.StatusNotFound, "Not Found")
			return true
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(chunks[n])
	default:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(dump)
	}
	return true
}

// writeChunkList answers a chunk list of n chunks, as Anaplan does.
func writeChunkList(w http.ResponseWriter, n int) {
	var chunks []any
	for i := range n {
		chunks = append(chunks, map[string]string{"id": fmt.Sprint(i), "name": fmt.Sprintf("Chunk %d", i)})
	}
	body := map[string]any{
		"meta":   map[string]any{"schema": "https://api.anaplan.com/2/0/objects/chunk", "paging": map[string]any{"currentPageSize": n, "totalSize": n, "offset": 0}},
		"status": map[string]any{"code": 200, "message": "Success"},
	}
	if n > 0 {
		body["chunks"] = chunks
	}
	writeJSON(w, http.StatusOK, body)
}

func (b *bulkRecorder) putChunk(w http.ResponseWriter, r *http.Request, next http.Handler) {
	index := atoi(r.PathValue("chunkId"))
	b.mu.Lock()
	hold := b.holdPut
	stall := b.stallAfter > 0 && index > b.stallAfter
	fail := b.failPut[index] > 0
	if fail {
		b.failPut[index]--
	}
	b.inflight++
	b.maxFlight = max(b.maxFlight, b.inflight)
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.inflight--
		b.mu.Unlock()
	}()
	if hold != nil {
		hold(index)
	}
	if stall {
		// The server notices a client hanging up only once the body is read.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
		return
	}
	ct := r.Header.Get("Content-Type")
	wire := &countingReader{r: r.Body}
	r.Body = io.NopCloser(wire)
	if fail {
		_, _ = io.Copy(io.Discard, r.Body)
		apiError(w, r, http.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	var raw func() int
	if ct == "application/x-gzip" {
		// Count what the compressed bytes stand for (gzip chunks are
		// small in these tests: buffering one is fine).
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		n := 0
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			m, _ := io.Copy(io.Discard, zr)
			n = int(m)
		}
		raw = func() int { return n }
	} else {
		raw = func() int { return wire.n } // streamed: a large upload stays off the heap
	}
	rec := &statusWriter{ResponseWriter: w}
	next.ServeHTTP(rec, r)
	if rec.status == http.StatusNoContent {
		b.mu.Lock()
		b.puts = append(b.puts, chunkPut{Index: index, ContentType: ct, Wire: wire.n, Raw: raw()})
		b.mu.Unlock()
	}
}

// scripted answers a task status read from the object's script, if any.
func (b *bulkRecorder) scripted(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
	object := ""
	for _, p := range []string{"importId", "exportId", "processId", "actionId"} {
		object += r.PathValue(p)
	}
	id := r.PathValue("taskId")
	b.mu.Lock()
	steps := b.scripts[object]
	n := b.reads[id]
	b.reads[id]++
	b.mu.Unlock()
	if steps == nil {
		return false
	}
	// The emulator checks the task exists (404 otherwise).
	probe := &statusWriter{ResponseWriter: discardWriter{header: http.Header{}}}
	next.ServeHTTP(probe, r)
	if probe.status != http.StatusOK {
		apiError(w, r, probe.status, http.StatusText(probe.status))
		return true
	}
	s := steps[min(n, len(steps)-1)]
	task := map[string]any{"type": "taskInformation", "taskId": id, "taskState": s.State, "progress": s.Progress,
		"currentStep": s.Step, "creationTime": testStart.UnixMilli()}
	if s.Result != nil {
		task["result"] = s.Result
	}
	writeJSON(w, http.StatusOK, envelope("task", "task", task))
	return true
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d discardWriter) WriteHeader(int)             {}

// putChunks stores chunks as the content of a file of the model, the way
// a client would upload them, and returns the content.
func (b *bulkRecorder) putChunks(fileID string, chunks ...[]byte) []byte {
	h := b.h
	h.t.Helper()
	base := "/workspaces/" + bulkWS + "/models/" + bulkModel + "/files/" + fileID
	if s := h.do("POST", base, "application/json", fmt.Appendf(nil, `{"chunkCount":%d}`, len(chunks))); s != http.StatusOK {
		h.t.Fatalf("set chunk count of %s: %d", fileID, s)
	}
	var all []byte
	for i, c := range chunks {
		if s := h.do("PUT", fmt.Sprintf("%s/chunks/%d", base, i), "application/octet-stream", c); s != http.StatusNoContent {
			h.t.Fatalf("chunk %d of %s: %d", i, fileID, s)
		}
		all = append(all, c...)
	}
	return all
}
