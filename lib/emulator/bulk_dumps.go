package emulator

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Failure dumps (anaplan-api.md §5.5): a CSV of the rejected rows with
// _Status_, the row's columns, _Line_ and _Error_1_, served as text/plain
// (the reference's and the OpenAPI document's media type) whole or in
// chunks of at most 10 MB. A dump is kept 48 hours after it was last
// read, and only for the latest failing run of its import or process.

// dumpRetention is how long a dump lives after its last access (H:dump).
const dumpRetention = 48 * time.Hour

// dumpContentType is the media type of a dump: text/plain (H:dump, OAS).
const dumpContentType = "text/plain; charset=UTF-8"

// dumpRecord is a dump on disk.
type dumpRecord struct {
	Path   string    `json:"path"` // relative to the data directory
	Size   int64     `json:"size"`
	Access time.Time `json:"access"`
}

// dropDump removes a task's dump for one object. The caller holds b.mu.
func (b *bulk) dropDump(bm *bulkModel, t *task, objectID string) {
	d := t.Dumps[objectID]
	if d == nil {
		return
	}
	b.removeFile(d.Path)
	delete(t.Dumps, objectID)
	if len(t.Dumps) == 0 {
		t.Dumps = nil
		if bm.dumps[t.ObjectID] == t.ID {
			delete(bm.dumps, t.ObjectID)
		}
	}
}

// openDump opens the dump of objectID written by the task of a dump
// route, writing 404 when the task is unknown or unfinished or the dump is
// missing, replaced or expired. Reading it counts as an access.
func (e *Emulator) openDump(w http.ResponseWriter, r *http.Request, kind, idParam, objectID string) (string, *os.File, int64, bool) {
	m, bm, t, ok := e.resolveTask(w, r, kind, idParam)
	if !ok {
		return "", nil, 0, false
	}
	b := e.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.sweep(bm, now)
	d := t.Dumps[objectID]
	if v := b.view(t, now); v.state != stateComplete || d == nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return "", nil, 0, false
	}
	f, err := os.Open(filepath.Join(b.dataDir, d.Path))
	if err != nil {
		e.writeBulkError(w, r, err)
		return "", nil, 0, false
	}
	d.Access = now
	return m.ID, f, d.Size, true
}

// dumpChunks is the number of chunks of a dump of size bytes.
func dumpChunks(size int64) int {
	return int((size + serveChunkSize - 1) / serveChunkSize)
}

// serveDump writes a whole dump, or chunk n of it when chunk >= 0 (404
// when out of range).
func (e *Emulator) serveDump(w http.ResponseWriter, r *http.Request, f *os.File, size int64, chunk int) {
	defer f.Close()
	var src io.Reader = f
	if chunk >= 0 {
		if chunk >= dumpChunks(size) {
			e.writeAPIError(w, r, http.StatusNotFound, "")
			return
		}
		off := int64(chunk) * serveChunkSize
		n := min(serveChunkSize, size-off)
		src, size = io.NewSectionReader(f, off, n), n
	}
	writeBytesHeader(w, dumpContentType, size)
	if _, err := io.Copy(w, src); err != nil {
		e.log.Debug("emulator: dump download interrupted", "path", r.URL.Path, "error", err)
	}
}

// getImportDump serves GET …/imports/{importId}/tasks/{taskId}/dump.
func (e *Emulator) getImportDump(w http.ResponseWriter, r *http.Request) {
	if _, f, size, ok := e.openDump(w, r, kindImport, "importId", r.PathValue("importId")); ok {
		e.serveDump(w, r, f, size, -1)
	}
}

// listImportDumpChunks serves …/imports/{importId}/tasks/{taskId}/dump/chunks.
func (e *Emulator) listImportDumpChunks(w http.ResponseWriter, r *http.Request) {
	if modelID, f, size, ok := e.openDump(w, r, kindImport, "importId", r.PathValue("importId")); ok {
		f.Close()
		e.writeChunkList(w, r, modelID, dumpChunks(size))
	}
}

// getImportDumpChunk serves …/imports/{importId}/tasks/{taskId}/dump/chunks/{chunkId}.
func (e *Emulator) getImportDumpChunk(w http.ResponseWriter, r *http.Request) {
	if _, f, size, ok := e.openDump(w, r, kindImport, "importId", r.PathValue("importId")); ok {
		e.serveDump(w, r, f, size, chunkArg(r))
	}
}

// getProcessDump serves GET …/processes/{processId}/tasks/{taskId}/dumps/{objectId},
// the dump of the process's action objectId (from nestedResults).
func (e *Emulator) getProcessDump(w http.ResponseWriter, r *http.Request) {
	if _, f, size, ok := e.openDump(w, r, kindProcess, "processId", r.PathValue("objectId")); ok {
		e.serveDump(w, r, f, size, -1)
	}
}

// listProcessDumpChunks serves …/processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks.
func (e *Emulator) listProcessDumpChunks(w http.ResponseWriter, r *http.Request) {
	if modelID, f, size, ok := e.openDump(w, r, kindProcess, "processId", r.PathValue("objectId")); ok {
		f.Close()
		e.writeChunkList(w, r, modelID, dumpChunks(size))
	}
}

// getProcessDumpChunk serves …/processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks/{chunkId}.
func (e *Emulator) getProcessDumpChunk(w http.ResponseWriter, r *http.Request) {
	if _, f, size, ok := e.openDump(w, r, kindProcess, "processId", r.PathValue("objectId")); ok {
		e.serveDump(w, r, f, size, chunkArg(r))
	}
}

// chunkArg is the route's chunk ID, or a value no dump has when invalid.
func chunkArg(r *http.Request) int {
	n, ok := parseChunkID(r.PathValue("chunkId"))
	if !ok {
		return maxChunks * maxChunks
	}
	return n
}
