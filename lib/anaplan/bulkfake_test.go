package anaplan_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// This file adds one model's bulk API to the fake (../shared/anaplan-api.md
// §5): files with chunked upload (chunkCount -1, 204 chunk PUTs, gunzip of
// application/x-gzip, complete), chunked download, metadata lists, and
// tasks whose life is scripted per object, one step per status read. Edge
// cases the emulator cannot produce on demand (a 503 on one chunk, held
// PUTs, a new file for an unknown ID, unknown task states) live here.

const (
	bulkWS    = "8a81b09d599f5c9a015a0f6b9f2d0001"
	bulkModel = "75A40874E6B64FA3AE0743278996850F"
)

type fakeFile struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ChunkCount   int    `json:"chunkCount"`
	Delimiter    string `json:"delimiter,omitempty"`
	Encoding     string `json:"encoding,omitempty"`
	FirstDataRow int    `json:"firstDataRow"`
	Format       string `json:"format,omitempty"`
	HeaderRow    int    `json:"headerRow"`
	Separator    string `json:"separator,omitempty"`

	chunks map[int][]byte
}

func (f *fakeFile) content() []byte {
	var b bytes.Buffer
	for i := range len(f.chunks) {
		b.Write(f.chunks[i])
	}
	return b.Bytes()
}

// fakePut is what the fake saw of one chunk PUT.
type fakePut struct {
	Index       int
	ContentType string
	Wire, Raw   int
}

// fakeStep is one state of a scripted task; Result is set on terminal steps.
type fakeStep struct {
	State    string
	Progress float64
	Step     string
	Result   map[string]any
}

type fakeTask struct {
	kind, objectID, id string
	steps              []fakeStep
	pos                int
	cancelled          int // 0 no; 1 CANCELLING; 2 CANCELLED
	dump               []byte
	nestedDumps        map[string][]byte
}

func (t *fakeTask) current() fakeStep {
	switch t.cancelled {
	case 1:
		return fakeStep{State: "CANCELLING", Progress: t.steps[t.pos].Progress, Step: "Cancelling."}
	case 2:
		return fakeStep{State: "CANCELLED", Progress: t.steps[t.pos].Progress, Step: "Cancelled.",
			Result: map[string]any{"successful": false, "failureDumpAvailable": false, "objectId": t.objectID}}
	}
	return t.steps[t.pos]
}

// fakeScript is how tasks of one object behave.
type fakeScript struct {
	steps       []fakeStep
	dump        []byte
	nestedDumps map[string][]byte
}

type fakeBulk struct {
	f *fakeAnaplan

	mu         sync.Mutex
	files      []*fakeFile
	imports    []map[string]any
	exports    []map[string]any
	processes  []map[string]any
	actions    []map[string]any
	scripts    map[string]fakeScript
	tasks      map[string]*fakeTask
	taskBodies []string
	completes  []string
	puts       []fakePut
	inflight   int
	maxFlight  int
	failPut    map[int]int // chunk index -> 503s still to answer
	holdPut    func(index int)
	dumpChunk  int   // dump chunk size for …/dump/chunks
	counts     []int // chunkCount values set by POST …/files/{id}
	// discard keeps only the sizes of uploaded chunks, not their bytes,
	// so a large upload does not fill the test's heap.
	discard bool
	seq     int
}

// newBulk gives the fake a model with two files, two imports, an export, a
// process and an action.
func newBulk(f *fakeAnaplan) *fakeBulk {
	b := &fakeBulk{
		f: f,
		files: []*fakeFile{
			{ID: "113000000000", Name: "workspaces.csv", Delimiter: "\"", Encoding: "UTF-8", FirstDataRow: 2, Format: "txt", HeaderRow: 1, Separator: ",", chunks: map[int][]byte{}},
			{ID: "113000000001", Name: "models.csv", Delimiter: "\"", Encoding: "UTF-8", FirstDataRow: 2, Format: "txt", HeaderRow: 1, Separator: ",", chunks: map[int][]byte{}},
			{ID: "116000000000", Name: "Register.csv", chunks: map[int][]byte{}},
		},
		imports: []map[string]any{
			{"id": "112000000000", "name": "W1 Workspaces from workspaces.csv", "importDataSourceId": "113000000000", "importType": "HIERARCHY_DATA"},
			{"id": "112000000001", "name": "W2 Models from models.csv", "importDataSourceId": "113000000001", "importType": "SOME_FUTURE_TYPE"},
		},
		exports:   []map[string]any{{"id": "116000000000", "name": "Register.csv", "exportType": "TABULAR_MULTI_COLUMN", "exportFormat": "text/csv", "encoding": "UTF-8", "layout": "TABULAR_MULTI_COLUMN"}},
		processes: []map[string]any{{"id": "118000000000", "name": "Load Registry"}},
		actions:   []map[string]any{{"id": "117000000000", "name": "Delete old models", "actionType": "DELETE_BY_SELECTION"}},
		scripts:   map[string]fakeScript{},
		tasks:     map[string]*fakeTask{},
		failPut:   map[int]int{},
		dumpChunk: 10 << 20,
	}
	f.set(func(f *fakeAnaplan) { f.bulk = b })
	return b
}

// model is a handle on the fake's model through a fresh client.
func (b *fakeBulk) model(t *testing.T, opts ...anaplan.Option) (*anaplan.ModelHandle, *waits) {
	c, w := b.f.client(t, opts...)
	return c.Model(bulkWS, bulkModel), w
}

func (b *fakeBulk) file(id string) *fakeFile {
	for _, f := range b.files {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// script sets how tasks of objectID behave.
func (b *fakeBulk) script(objectID string, s fakeScript) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.scripts[objectID] = s
}

func (b *fakeBulk) snapshotPuts() []fakePut {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]fakePut(nil), b.puts...)
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

func (b *fakeBulk) fileContent(id string) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.file(id).content()
}

func (b *fakeBulk) task(id string) *fakeTask {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tasks[id]
}

func (b *fakeBulk) serve(w http.ResponseWriter, r *http.Request, wid, mid string, p []string) {
	if wid != bulkWS || mid != bulkModel {
		apiError(w, r, http.StatusNotFound, "Not Found")
		return
	}
	key := r.Method + " " + shape(p)
	switch key {
	case "GET files":
		b.list(w, r, "file", "files", func() []any {
			out := make([]any, len(b.files))
			for i, f := range b.files {
				out[i] = *f
			}
			return out
		})
	case "POST files/*":
		b.setChunkCount(w, r, p[1])
	case "PUT files/*/chunks/*":
		b.putChunk(w, r, p[1], p[3])
	case "POST files/*/complete":
		b.complete(w, r, p[1])
	case "GET files/*/chunks":
		b.withFile(w, r, p[1], func(f *fakeFile) { b.chunkList(w, r, len(f.chunks)) })
	case "GET files/*/chunks/*":
		b.withFile(w, r, p[1], func(f *fakeFile) {
			n, err := strconv.Atoi(p[3])
			if c, ok := f.chunks[n]; err == nil && ok {
				octets(w, c)
				return
			}
			apiError(w, r, http.StatusNotFound, "Not Found")
		})
	case "GET files/*":
		b.withFile(w, r, p[1], func(f *fakeFile) {
			if len(f.chunks) == 0 {
				apiError(w, r, http.StatusNotFound, "Not Found")
				return
			}
			octets(w, f.content())
		})
	case "DELETE files/*":
		b.withFile(w, r, p[1], func(f *fakeFile) {
			f.chunks, f.ChunkCount = map[int][]byte{}, 0
			w.WriteHeader(http.StatusNoContent)
		})
	case "GET imports", "GET exports", "GET processes", "GET actions":
		b.mu.Lock()
		items := map[string][]map[string]any{"imports": b.imports, "exports": b.exports, "processes": b.processes, "actions": b.actions}[p[0]]
		b.mu.Unlock()
		b.list(w, r, p[0][:len(p[0])-1], p[0], func() []any {
			out := make([]any, len(items))
			for i, it := range items {
				out[i] = it
			}
			return out
		})
	case "GET imports/*":
		writeJSON(w, http.StatusOK, envelope("importMetadata", "importMetadata", map[string]any{
			"name": "W1 Workspaces from workspaces.csv", "type": "FILE",
			"source": map[string]any{"textEncoding": "UTF-8", "columnSeparator": ",", "textDelimiter": "\"", "headerRow": 1, "firstDataRow": 2,
				"decimalSeparator": ".", "headerNames": []string{"Code", "Name"}, "columnCount": 2},
		}))
	case "GET processes/*":
		action := map[string]any{"id": "112000000000", "name": "W1 Workspaces from workspaces.csv", "actionType": "IMPORT",
			"importDataSourceId": "113000000000", "importType": "HIERARCHY_DATA"}
		if r.URL.Query().Get("showImportDataSource") == "true" {
			action["importDataSource"] = map[string]any{"importDataSourceId": "113000000000", "type": "FILE"}
		}
		writeJSON(w, http.StatusOK, envelope("process", "processMetadata", map[string]any{
			"name": "Load Registry", "actions": []any{action, map[string]any{"id": "117000000000", "name": "Delete old models", "actionType": "MYSTERY"}},
		}))
	case "POST imports/*/tasks", "POST exports/*/tasks", "POST processes/*/tasks", "POST actions/*/tasks":
		b.startTask(w, r, p[0], p[1])
	case "GET imports/*/tasks/*", "GET exports/*/tasks/*", "GET processes/*/tasks/*", "GET actions/*/tasks/*":
		b.withTask(w, r, p, func(t *fakeTask) {
			if t.cancelled == 1 {
				defer func() { t.cancelled = 2 }()
			} else if t.cancelled == 0 && t.pos < len(t.steps)-1 {
				defer func() { t.pos++ }()
			}
			writeJSON(w, http.StatusOK, envelope("task", "task", taskJSON(t)))
		})
	case "DELETE imports/*/tasks/*", "DELETE exports/*/tasks/*", "DELETE processes/*/tasks/*", "DELETE actions/*/tasks/*":
		b.withTask(w, r, p, func(t *fakeTask) {
			if s := t.current().State; s != "COMPLETE" && s != "CANCELLED" {
				t.cancelled = 1
			}
			writeJSON(w, http.StatusOK, envelope("task", "task", taskJSON(t)))
		})
	case "GET imports/*/tasks/*/dump", "GET imports/*/tasks/*/dump/chunks", "GET imports/*/tasks/*/dump/chunks/*":
		b.withTask(w, r, p, func(t *fakeTask) { b.serveDump(w, r, t.dump, p[5:]) })
	case "GET processes/*/tasks/*/dumps/*", "GET processes/*/tasks/*/dumps/*/chunks", "GET processes/*/tasks/*/dumps/*/chunks/*":
		b.withTask(w, r, p, func(t *fakeTask) { b.serveDump(w, r, t.nestedDumps[p[5]], p[6:]) })
	default:
		apiError(w, r, http.StatusNotFound, "Not Found")
	}
}

// shape replaces the IDs of a path with "*": files/113…/chunks/0 ->
// files/*/chunks/*.
func shape(p []string) string {
	out := make([]string, len(p))
	for i, s := range p {
		switch s {
		case "files", "chunks", "complete", "imports", "exports", "processes", "actions", "tasks", "dump", "dumps":
			out[i] = s
		default:
			out[i] = "*"
		}
	}
	return strings.Join(out, "/")
}

func octets(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (b *fakeBulk) list(w http.ResponseWriter, r *http.Request, schema, key string, items func() []any) {
	b.mu.Lock()
	all := items()
	b.mu.Unlock()
	b.f.page(w, r, schema, key, len(all), func(i int) any { return all[i] })
}

func (b *fakeBulk) chunkList(w http.ResponseWriter, r *http.Request, n int) {
	b.f.page(w, r, "chunk", "chunks", n, func(i int) any {
		return map[string]string{"id": strconv.Itoa(i), "name": fmt.Sprintf("Chunk %d", i)}
	})
}

func (b *fakeBulk) withFile(w http.ResponseWriter, r *http.Request, id string, do func(*fakeFile)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.file(id)
	if f == nil {
		apiError(w, r, http.StatusNotFound, "Not Found")
		return
	}
	do(f)
}

// setChunkCount is POST …/files/{id}; like Anaplan, an unknown ID makes a
// new file (with a new ID).
func (b *fakeBulk) setChunkCount(w http.ResponseWriter, r *http.Request, id string) {
	var body struct {
		ChunkCount *int `json:"chunkCount"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.ChunkCount == nil || r.Header.Get("Content-Type") != "application/json" {
		apiError(w, r, http.StatusBadRequest, "Bad Request")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.file(id)
	if f == nil {
		b.seq++
		f = &fakeFile{ID: fmt.Sprintf("1130000001%02d", b.seq), Name: id, FirstDataRow: 2, HeaderRow: 1, Separator: ",", Delimiter: "\"", Encoding: "UTF-8", Format: "txt"}
		b.files = append(b.files, f)
	}
	f.ChunkCount, f.chunks = *body.ChunkCount, map[int][]byte{}
	b.counts = append(b.counts, *body.ChunkCount)
	writeJSON(w, http.StatusOK, envelope("file", "file", *f))
}

func (b *fakeBulk) putChunk(w http.ResponseWriter, r *http.Request, id, n string) {
	index, err := strconv.Atoi(n)
	if err != nil || index < 0 {
		apiError(w, r, http.StatusBadRequest, "Bad Request")
		return
	}
	b.mu.Lock()
	f := b.file(id)
	hold := b.holdPut
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
	b.mu.Lock()
	discard := b.discard
	b.mu.Unlock()
	// The body is read (and gunzipped) as it streams in: wire counts the
	// bytes sent, raw the bytes they stand for.
	var wire, raw countingBuffer
	raw.keep = !discard
	body := io.TeeReader(r.Body, &wire)
	ct := r.Header.Get("Content-Type")
	var bad error
	switch ct {
	case "application/x-gzip":
		zr, err := gzip.NewReader(body)
		if err == nil {
			_, err = io.Copy(&raw, zr)
		}
		bad = err
	case "application/octet-stream":
		_, bad = io.Copy(&raw, body)
	default:
		bad = fmt.Errorf("Content-Type %q", ct)
	}
	_, _ = io.Copy(io.Discard, body)
	switch {
	case f == nil:
		apiError(w, r, http.StatusNotFound, "Not Found")
		return
	case fail:
		apiError(w, r, http.StatusServiceUnavailable, "Service Unavailable")
		return
	case bad != nil:
		b.f.t.Logf("fake: bad chunk %d: %v", index, bad)
		apiError(w, r, http.StatusBadRequest, "Bad Request")
		return
	}
	b.mu.Lock()
	f.chunks[index] = raw.Bytes()
	b.puts = append(b.puts, fakePut{Index: index, ContentType: ct, Wire: wire.n, Raw: raw.n})
	b.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// countingBuffer counts what is written and keeps it only when asked.
type countingBuffer struct {
	buf  bytes.Buffer
	keep bool
	n    int
}

func (c *countingBuffer) Write(p []byte) (int, error) {
	c.n += len(p)
	if c.keep {
		return c.buf.Write(p)
	}
	return len(p), nil
}

func (c *countingBuffer) Bytes() []byte { return c.buf.Bytes() }

func (b *fakeBulk) complete(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.completes = append(b.completes, string(body))
	f := b.file(id)
	if f == nil {
		apiError(w, r, http.StatusNotFound, "Not Found")
		return
	}
	f.ChunkCount = len(f.chunks)
	writeJSON(w, http.StatusOK, envelope("file", "file", *f))
}

func (b *fakeBulk) startTask(w http.ResponseWriter, r *http.Request, kind, objectID string) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.taskBodies = append(b.taskBodies, string(body))
	s, ok := b.scripts[objectID]
	if !ok {
		s = fakeScript{steps: []fakeStep{
			{State: "NOT_STARTED"},
			{State: "IN_PROGRESS", Progress: 0.5, Step: "Processing ..."},
			{State: "COMPLETE", Progress: 1, Step: "Complete.", Result: map[string]any{"successful": true, "failureDumpAvailable": false, "objectId": objectID}},
		}}
	}
	b.seq++
	t := &fakeTask{kind: kind, objectID: objectID, id: fmt.Sprintf("%032X", 0xA000+b.seq), steps: s.steps, dump: s.dump, nestedDumps: s.nestedDumps}
	b.tasks[t.id] = t
	writeJSON(w, http.StatusOK, envelope("task", "task", map[string]any{"taskId": t.id, "taskState": "NOT_STARTED", "creationTime": 1571258416552}))
}

func (b *fakeBulk) withTask(w http.ResponseWriter, r *http.Request, p []string, do func(*fakeTask)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.tasks[p[3]]
	if t == nil || t.kind != p[0] || t.objectID != p[1] {
		apiError(w, r, http.StatusNotFound, "Not Found")
		return
	}
	do(t)
}

func taskJSON(t *fakeTask) map[string]any {
	s := t.current()
	out := map[string]any{"type": "taskInformation", "taskId": t.id, "taskState": s.State, "progress": s.Progress,
		"currentStep": s.Step, "creationTime": 1571258347545}
	if s.Result != nil {
		out["result"] = s.Result
	}
	return out
}

// serveDump answers …/dump (whole), …/dump/chunks and …/dump/chunks/{n}.
func (b *fakeBulk) serveDump(w http.ResponseWriter, r *http.Request, dump []byte, rest []string) {
	if dump == nil {
		apiError(w, r, http.StatusNotFound, "Not Found")
		return
	}
	var chunks [][]byte
	for off := 0; off < len(dump); off += b.dumpChunk {
		chunks = append(chunks, dump[off:min(off+b.dumpChunk, len(dump))])
	}
	switch len(rest) {
	case 0:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(dump)
	case 1:
		b.chunkList(w, r, len(chunks))
	default:
		n, err := strconv.Atoi(rest[1])
		if err != nil || n < 0 || n >= len(chunks) {
			apiError(w, r, http.StatusNotFound, "Not Found")
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(chunks[n])
	}
}
