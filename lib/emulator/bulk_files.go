package emulator

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Upload limits (anaplan-api.md §5.2, §8): a chunk holds at most 50 MB
// uncompressed (MiB here, so a client cutting 50 MiB chunks is not
// refused), a file at most 1000 chunks. Content the emulator writes
// itself (export output) is cut in chunks of serveChunkSize, the size of
// a dump chunk (H:dump; Anaplan does not document its export chunk size).
const (
	maxChunkSize   = 50 << 20
	maxChunks      = 1000
	serveChunkSize = 10 << 20
)

// bulkFile is an import data source (113…, from the definition or created
// by a POST to an unknown ID) or an export's output file (116…).
type bulkFile struct {
	meta    engine.File
	export  bool
	created bool
	content *blob   // the complete, readable content; nil when none
	upload  *upload // an upload in progress; nil when none
}

// blob is immutable file content: chunk files 0..n-1 in one directory.
// Readers (downloads, imports) hold a reference, so content replaced by a
// new upload is removed only after its last reader is done.
type blob struct {
	dir   string // relative to the data directory
	sizes []int64
	refs  int
	dead  bool // replaced or deleted: remove when refs reaches 0
}

func (c *blob) size() int64 {
	var n int64
	for _, s := range c.sizes {
		n += s
	}
	return n
}

// upload is an upload in progress: the chunk count set with POST
// …/files/{id} (-1 when unknown until …/complete) and the chunks received.
type upload struct {
	dir      string
	declared int
	sizes    map[int]int64
}

func (bm *bulkModel) addFile(f *bulkFile) {
	bm.files[f.meta.ID] = f
	bm.order = append(bm.order, f.meta.ID)
}

// chunkCount is what GET …/files shows: the declared count while an
// upload is in progress (-1 until …/complete, anaplan-api.md §10), else
// the number of chunks of the content.
func (f *bulkFile) chunkCount() int {
	switch {
	case f.upload != nil:
		return f.upload.declared
	case f.content != nil:
		return len(f.content.sizes)
	}
	return 0
}

// fileJSON is the Integration API's file object: the engine's metadata
// plus chunkCount.
type fileJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ChunkCount   int    `json:"chunkCount"`
	Delimiter    string `json:"delimiter,omitempty"`
	Encoding     string `json:"encoding,omitempty"`
	FirstDataRow int    `json:"firstDataRow"`
	Format       string `json:"format,omitempty"`
	HeaderRow    int    `json:"headerRow"`
	Separator    string `json:"separator,omitempty"`
}

func (f *bulkFile) json() fileJSON {
	m := f.meta
	return fileJSON{ID: m.ID, Name: m.Name, ChunkCount: f.chunkCount(), Delimiter: m.Delimiter, Encoding: m.Encoding,
		FirstDataRow: m.FirstDataRow, Format: m.Format, HeaderRow: m.HeaderRow, Separator: m.Separator}
}

// newGenDir returns a fresh directory (relative to the data directory)
// for new content of a file. The caller holds b.mu.
func (b *bulk) newGenDir(modelID, fileID string) (string, error) {
	root, err := b.dir()
	if err != nil {
		return "", err
	}
	b.nextGen++
	rel := filepath.Join("files", modelID, fileID, strconv.FormatInt(b.nextGen, 10))
	if err := os.MkdirAll(filepath.Join(root, rel), 0o700); err != nil {
		return "", err
	}
	return rel, nil
}

// chunkPath is the file holding chunk n of the content in dir.
func (b *bulk) chunkPath(dir string, n int) string {
	return filepath.Join(b.dataDir, dir, strconv.Itoa(n))
}

// beginUpload starts a new upload of f with the declared chunk count,
// dropping any unfinished one. A count of 0 completes at once: the file
// is then empty. The caller holds b.mu.
func (b *bulk) beginUpload(bm *bulkModel, f *bulkFile, declared int) error {
	dir, err := b.newGenDir(bm.id, f.meta.ID)
	if err != nil {
		return err
	}
	b.dropUpload(f)
	f.upload = &upload{dir: dir, declared: declared, sizes: map[int]int64{}}
	if declared == 0 {
		return b.complete(f)
	}
	return nil
}

// dropUpload discards an unfinished upload and its chunks.
func (b *bulk) dropUpload(f *bulkFile) {
	if f.upload == nil {
		return
	}
	b.removeDir(f.upload.dir)
	f.upload = nil
}

// complete turns the upload into the file's content, once chunks 0..n-1
// are all there (n = the declared count, or the chunks received when it
// was -1). The caller holds b.mu.
func (b *bulk) complete(f *bulkFile) error {
	u := f.upload
	n := u.declared
	if n < 0 {
		for i := range u.sizes {
			n = max(n, i+1)
		}
	}
	sizes := make([]int64, max(n, 0))
	for i := range sizes {
		s, ok := u.sizes[i]
		if !ok {
			return fmt.Errorf("file %s: chunk %d of chunks 0 to %d is missing; upload it (PUT …/files/%s/chunks/%d) and complete again",
				f.meta.ID, i, n-1, f.meta.ID, i)
		}
		sizes[i] = s
	}
	f.upload = nil
	b.setContent(f, &blob{dir: u.dir, sizes: sizes})
	return nil
}

// setContent replaces f's content (nil deletes it). The old content goes
// once its readers are done.
func (b *bulk) setContent(f *bulkFile, c *blob) {
	if old := f.content; old != nil {
		old.dead = true
		if old.refs == 0 {
			b.removeDir(old.dir)
		}
	}
	f.content = c
}

// acquire takes a reader's reference on content; release gives it back.
// The caller holds b.mu for acquire; release takes it.
func (b *bulk) acquire(c *blob) *blob {
	c.refs++
	return c
}

func (b *bulk) release(c *blob) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.releaseLocked(c)
}

// releaseLocked is release for a caller that holds b.mu.
func (b *bulk) releaseLocked(c *blob) {
	c.refs--
	if c.refs == 0 && c.dead {
		b.removeDir(c.dir)
	}
}

func (b *bulk) removeDir(rel string) {
	if rel == "" || b.dataDir == "" {
		return
	}
	if err := os.RemoveAll(filepath.Join(b.dataDir, rel)); err != nil {
		b.log.Error("emulator: cannot remove file content", "dir", rel, "error", err)
	}
}

// createFile adds a private file for a POST to an unknown file ID, as
// Anaplan does (anaplan-api.md §5.2: "the server creates a new file and
// returns a different id"; Anaplan Connect creates import data sources by
// POSTing to files/{name}). It gets the next free 113… ID; its name is
// the body's name, else the path segment. A later POST naming it again
// (by ID or by that name) reaches the same file. The caller holds b.mu.
func (bm *bulkModel) createFile(name string, body fileBody) *bulkFile {
	next := int64(113_000_000_000)
	for _, id := range bm.order {
		if v, err := strconv.ParseInt(id, 10, 64); err == nil && v/1_000_000_000 == 113 && v >= next {
			next = v + 1
		}
	}
	if body.Name != "" {
		name = body.Name
	}
	meta := engine.File{
		ID: strconv.FormatInt(next, 10), Name: name, Delimiter: `"`, Encoding: "UTF-8",
		FirstDataRow: 2, Format: "txt", HeaderRow: 1, Separator: ",",
	}
	if body.Delimiter != nil {
		meta.Delimiter = *body.Delimiter
	}
	if body.Encoding != "" {
		meta.Encoding = body.Encoding
	}
	if body.Format != "" {
		meta.Format = body.Format
	}
	if body.Separator != nil {
		meta.Separator = *body.Separator
	}
	if body.HeaderRow != nil {
		meta.HeaderRow = *body.HeaderRow
	}
	if body.FirstDataRow != nil {
		meta.FirstDataRow = *body.FirstDataRow
	}
	f := &bulkFile{meta: meta, created: true}
	// Keep import data sources before export files, as Anaplan lists them.
	at := len(bm.order)
	for i, id := range bm.order {
		if isExportID(id) {
			at = i
			break
		}
	}
	bm.files[meta.ID] = f
	bm.order = slices.Insert(bm.order, at, meta.ID)
	return f
}

// fileByName finds a created file by name (for POST files/{name}).
func (bm *bulkModel) fileByName(name string) *bulkFile {
	for _, id := range bm.order {
		if f := bm.files[id]; f.created && f.meta.Name == name {
			return f
		}
	}
	return nil
}
