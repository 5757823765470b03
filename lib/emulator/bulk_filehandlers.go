package emulator

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
)

// Handlers for …/files (anaplan-api.md §5.1-5.3): list, set the chunk
// count (or create a file), upload chunks, complete, single-shot upload,
// download whole or by chunk, delete.

// listFiles serves GET …/files: every import data source and export
// output file with its chunkCount.
func (e *Emulator) listFiles(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.bulkScope(w, r, false)
	if !ok {
		return
	}
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	var files []fileJSON
	if bm != nil {
		e.bulk.mu.Lock()
		for _, id := range bm.order {
			files = append(files, bm.files[id].json())
		}
		e.bulk.mu.Unlock()
	}
	out, paging := pageObjects(r, files, page, func(f fileJSON) (string, string) { return f.ID, f.Name })
	writeJSON(w, http.StatusOK, struct {
		envelope
		Files []fileJSON `json:"files,omitempty"`
	}{modelSuccess(r, m.ID, "file", paging), out})
}

// fileBody is the body of POST …/files/{fileId}: {"chunkCount":N}, or
// {"id":…,"chunkCount":N}, or a full file object (anaplan-api.md §5.2).
type fileBody struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	ChunkCount   *int    `json:"chunkCount"`
	Delimiter    *string `json:"delimiter"`
	Encoding     string  `json:"encoding"`
	FirstDataRow *int    `json:"firstDataRow"`
	Format       string  `json:"format"`
	HeaderRow    *int    `json:"headerRow"`
	Separator    *string `json:"separator"`
}

// postFile serves POST …/files/{fileId}: it starts an upload with the
// given chunk count (-1 when unknown until …/complete). An unknown fileId
// creates a new private file (see createFile). Other metadata fields are
// accepted; an existing file keeps its definition's metadata, which is
// what its imports parse by.
func (e *Emulator) postFile(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	var body fileBody
	if _, err := decodeBody(w, r, &body); err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	switch {
	case body.ChunkCount == nil:
		e.writeAPIError(w, r, http.StatusBadRequest, `Missing "chunkCount": send {"chunkCount":-1} when the number of chunks is not known yet (then POST …/complete after the last chunk), or {"chunkCount":N}`)
		return
	case *body.ChunkCount < -1 || *body.ChunkCount > maxChunks:
		e.writeAPIError(w, r, http.StatusBadRequest, "chunkCount "+strconv.Itoa(*body.ChunkCount)+" is out of range: use -1 (unknown, complete later) or 0 to 1000")
		return
	}
	id := r.PathValue("fileId")
	b := e.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	f := bm.files[id]
	if f == nil {
		f = bm.fileByName(id)
	}
	if f == nil {
		f = bm.createFile(id, body)
	}
	if f.export {
		e.writeAPIError(w, r, http.StatusBadRequest, exportFileMessage(f))
		return
	}
	if err := b.beginUpload(bm, f, *body.ChunkCount); err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	b.save()
	writeJSON(w, http.StatusOK, struct {
		envelope
		File fileJSON `json:"file"`
	}{modelSuccess(r, m.ID, "file", nil), f.json()})
}

func exportFileMessage(f *bulkFile) string {
	return "File " + f.meta.ID + " is the output of export " + f.meta.ID + " (" + f.meta.Name +
		"): run the export to fill it. Upload import data to an import's importDataSourceId (GET …/imports)."
}

// putChunk serves PUT …/files/{fileId}/chunks/{chunkId}: 204 once the
// chunk is on disk. A chunk PUT without a chunk count set starts an upload
// of unknown length (-1); re-sending a chunk of complete content replaces
// it, so a retried PUT is harmless.
func (e *Emulator) putChunk(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	n, valid := parseChunkID(r.PathValue("chunkId"))
	if !valid || n >= maxChunks {
		e.writeAPIError(w, r, http.StatusBadRequest, "Chunk ID '"+r.PathValue("chunkId")+"' is out of range: chunks are numbered 0 to 999 (a file has at most 1000 chunks)")
		return
	}
	b := e.bulk
	b.mu.Lock()
	f := bm.files[r.PathValue("fileId")]
	var (
		u   *upload
		c   *blob
		dir string
		err error
	)
	switch {
	case f == nil:
		b.mu.Unlock()
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	case f.export:
		b.mu.Unlock()
		e.writeAPIError(w, r, http.StatusBadRequest, exportFileMessage(f))
		return
	case f.upload == nil && f.content != nil && n < len(f.content.sizes):
		c, dir = f.content, f.content.dir
	default:
		if f.upload == nil {
			err = b.beginUpload(bm, f, -1)
		}
		if err == nil {
			u, dir = f.upload, f.upload.dir
			if u.declared >= 0 && n >= u.declared {
				b.mu.Unlock()
				e.writeAPIError(w, r, http.StatusBadRequest, "Chunk "+strconv.Itoa(n)+" is out of range: file "+f.meta.ID+
					" has chunkCount "+strconv.Itoa(u.declared)+" (chunks 0 to "+strconv.Itoa(u.declared-1)+"); set a new count with POST …/files/"+f.meta.ID)
				return
			}
		}
	}
	b.mu.Unlock()
	if err != nil {
		e.writeBulkError(w, r, err)
		return
	}

	tmp, size, err := receiveChunk(filepath.Join(b.dataDir, dir), r.Body, isGzip(r), maxChunkSize, "Chunk "+strconv.Itoa(n))
	if err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if (u != nil && f.upload != u) || (c != nil && f.content != c) {
		os.Remove(tmp)
		e.writeAPIError(w, r, http.StatusBadRequest, "The upload of file "+f.meta.ID+" was restarted or deleted while chunk "+strconv.Itoa(n)+" arrived; send the chunk again")
		return
	}
	if err := os.Rename(tmp, b.chunkPath(dir, n)); err != nil {
		os.Remove(tmp)
		e.writeBulkError(w, r, err)
		return
	}
	if c != nil {
		c.sizes[n] = size
	} else {
		u.sizes[n] = size
		if u.declared > 0 && len(u.sizes) == u.declared {
			if err := b.complete(f); err != nil {
				e.writeBulkError(w, r, err)
				return
			}
		}
	}
	b.save()
	w.WriteHeader(http.StatusNoContent)
}

// completeFile serves POST …/files/{fileId}/complete: the chunks
// received become the file's content and its chunkCount. The body (file
// metadata, {} or none, depending on the client) is not needed.
func (e *Emulator) completeFile(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxJSONBody))
	b := e.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	f := bm.files[r.PathValue("fileId")]
	switch {
	case f == nil:
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	case f.upload == nil && f.content == nil:
		e.writeAPIError(w, r, http.StatusBadRequest, "No upload in progress for file "+f.meta.ID+
			`: set the chunk count first (POST …/files/`+f.meta.ID+` {"chunkCount":-1}), upload the chunks, then complete`)
		return
	case f.upload != nil:
		if err := b.complete(f); err != nil {
			e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
			return
		}
		b.save()
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		File fileJSON `json:"file"`
	}{modelSuccess(r, m.ID, "file", nil), f.json()})
}

// putFile serves PUT …/files/{fileId}: the whole file in one request,
// uncompressed ("You cannot compress a file that you are uploading as a
// single file", anaplan-api.md §5.2). It is stored in 50 MB chunks.
func (e *Emulator) putFile(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	if isGzip(r) {
		e.writeAPIError(w, r, http.StatusBadRequest, "You cannot compress a file that you are uploading as a single file: "+
			"send it uncompressed (Content-Type application/octet-stream), or upload gzip-compressed chunks to …/chunks/{n}")
		return
	}
	b := e.bulk
	b.mu.Lock()
	f := bm.files[r.PathValue("fileId")]
	if f == nil {
		b.mu.Unlock()
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	if f.export {
		b.mu.Unlock()
		e.writeAPIError(w, r, http.StatusBadRequest, exportFileMessage(f))
		return
	}
	dir, err := b.newGenDir(bm.id, f.meta.ID)
	b.mu.Unlock()
	if err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	sizes, err := receiveSplit(filepath.Join(b.dataDir, dir), r.Body, maxChunkSize, maxChunks)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		b.removeDir(dir)
		e.writeBulkError(w, r, err)
		return
	}
	b.dropUpload(f)
	b.setContent(f, &blob{dir: dir, sizes: sizes})
	b.save()
	w.WriteHeader(http.StatusNoContent)
}

// getFile serves GET …/files/{fileId}: the whole content as
// application/octet-stream (even a CSV); 404 when it has none (OAS-int).
func (e *Emulator) getFile(w http.ResponseWriter, r *http.Request) {
	rd, ok := e.openFile(w, r)
	if !ok {
		return
	}
	defer rd.Close()
	writeBytesHeader(w, "application/octet-stream", rd.Size())
	if _, err := io.Copy(w, rd); err != nil {
		e.log.Debug("emulator: file download interrupted", "path", r.URL.Path, "error", err)
	}
}

// openFile resolves the file of the request and opens its content; 404
// for an unknown file or one without content.
func (e *Emulator) openFile(w http.ResponseWriter, r *http.Request) (*chunkReader, bool) {
	_, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return nil, false
	}
	b := e.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	f := bm.files[r.PathValue("fileId")]
	if f == nil || f.content == nil || len(f.content.sizes) == 0 {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return nil, false
	}
	return b.openContent(f.content), true
}

// listChunks serves GET …/files/{fileId}/chunks.
func (e *Emulator) listChunks(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	e.bulk.mu.Lock()
	f := bm.files[r.PathValue("fileId")]
	n := 0
	if f != nil && f.content != nil {
		n = len(f.content.sizes)
	}
	e.bulk.mu.Unlock()
	if f == nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	e.writeChunkList(w, r, m.ID, n)
}

// getChunk serves GET …/files/{fileId}/chunks/{chunkId}: raw bytes.
func (e *Emulator) getChunk(w http.ResponseWriter, r *http.Request) {
	rd, ok := e.openFile(w, r)
	if !ok {
		return
	}
	defer rd.Close()
	n, valid := parseChunkID(r.PathValue("chunkId"))
	if !valid || n >= len(rd.paths) {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	f, err := os.Open(rd.paths[n])
	if err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	writeBytesHeader(w, "application/octet-stream", info.Size())
	if _, err := io.Copy(w, f); err != nil {
		e.log.Debug("emulator: chunk download interrupted", "path", r.URL.Path, "error", err)
	}
}

// deleteFile serves DELETE …/files/{fileId}: 204, the uploaded content
// is gone (chunkCount 0). The file itself stays, as "default content and
// the import data source model object remain" (anaplan-api.md §5.2).
func (e *Emulator) deleteFile(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	b := e.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	f := bm.files[r.PathValue("fileId")]
	if f == nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	b.dropUpload(f)
	b.setContent(f, nil)
	b.save()
	w.WriteHeader(http.StatusNoContent)
}
