package anaplan

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Anaplan's limits on chunked uploads: chunks of 1 to 50 MB (uncompressed),
// at most 1000 chunks per file. MB is 2^20 bytes, as in Anaplan Connect and
// the Python clients.
const (
	MinChunkSize = 1 << 20
	MaxChunkSize = 50 << 20
	MaxChunks    = 1000
)

// Upload defaults, chosen from BenchmarkUpload and BenchmarkUploadWAN
// (figures in upload_bench_test.go). Over loopback, plain chunks go at
// 0.8-1.9 GB/s whatever the settings, so the CPU, not the chunk size,
// bounds an upload; memory grows with chunk × parallel (see rawBuffers).
// Chunks above 8 MB bought no speed; 8 MB still allows 8 GB files under
// the 1000-chunk limit (1 MB chunks would cap them at 1 GB). Gzip at flate's BestSpeed sends
// 31% of the CSV's bytes; the default level sends 29% at a third to a
// tenth of the speed. Behind a 20 MB/s link with 100 ms per request, gzip
// uploads CSV 1.5-2x faster than plain chunks, and a second PUT in flight
// hides the per-request latency and the compression; more PUTs than CPUs
// only add memory.
const (
	DefaultChunkSize = 8 << 20
	// DefaultUploadParallel caps the default parallelism, which is one PUT
	// per CPU, at least 2 and at most this.
	DefaultUploadParallel = 4
	// gzipLevel is compress/flate's BestSpeed.
	gzipLevel = gzip.BestSpeed
)

// UploadOptions tune Upload. The zero value is right for most uploads.
type UploadOptions struct {
	// ChunkSize is the size of each chunk before compression, between
	// MinChunkSize and MaxChunkSize; 0 means DefaultChunkSize. A file may
	// have at most 1000 chunks, so files over 8 GB need larger chunks.
	ChunkSize int64
	// NoGzip sends chunks as they are (application/octet-stream) instead of
	// gzip-compressed (application/x-gzip), as every Anaplan client does by
	// default.
	NoGzip bool
	// Parallel is how many chunk PUTs may be in flight at once; 0 means
	// one per CPU, between 2 and DefaultUploadParallel; 1 uploads strictly
	// in order, holding a single chunk. Memory is about ChunkSize ×
	// (Parallel + 1), less with gzip on few CPUs (compressed copies are
	// about a third of a chunk).
	Parallel int
	// Size is the number of bytes the reader will yield, when the caller
	// knows it: Upload then checks the 1000-chunk limit before sending
	// anything, and Progress reports a total. 0 means unknown; it is found
	// for *os.File and readers with a Len method (bytes.Reader, ...).
	Size int64
	// Progress, if not nil, is called after each chunk is read and after
	// each chunk is acknowledged. Calls never overlap; keep it quick.
	Progress func(UploadProgress)

	// maxChunks replaces MaxChunks in tests (see export_test.go).
	maxChunks int
	// gzipLevel replaces the compression level in benchmarks.
	gzipLevel int
}

// UploadProgress is a snapshot of an upload.
type UploadProgress struct {
	FileID string
	// BytesRead counts bytes read from the reader so far.
	BytesRead int64
	// BytesUploaded counts the (uncompressed) bytes of acknowledged chunks;
	// WireBytes what was sent for them after compression.
	BytesUploaded, WireBytes int64
	// Chunks counts acknowledged chunks.
	Chunks int
	// TotalBytes is the size to upload, -1 when unknown.
	TotalBytes int64
}

// uploadPlan is UploadOptions checked and completed.
type uploadPlan struct {
	chunkSize int64
	gzip      bool
	level     int
	parallel  int
	maxChunks int
	size      int64 // -1: unknown
	progress  func(UploadProgress)
}

func (o UploadOptions) plan(r io.Reader) (uploadPlan, error) {
	p := uploadPlan{
		chunkSize: o.ChunkSize,
		gzip:      !o.NoGzip,
		level:     o.gzipLevel,
		parallel:  o.Parallel,
		maxChunks: o.maxChunks,
		size:      o.Size,
		progress:  o.Progress,
	}
	if p.chunkSize == 0 {
		p.chunkSize = DefaultChunkSize
	}
	if p.chunkSize < MinChunkSize || p.chunkSize > MaxChunkSize {
		return p, &ChunkSizeError{ChunkSize: p.chunkSize, MaxChunks: MaxChunks}
	}
	if p.parallel < 0 {
		return p, fmt.Errorf("anaplan: upload parallelism %d is negative; use 0 for the default or 1 to upload in order", p.parallel)
	}
	if p.parallel == 0 {
		p.parallel = DefaultUploadParallelism()
	}
	if p.maxChunks <= 0 {
		p.maxChunks = MaxChunks
	}
	if p.level == 0 {
		p.level = gzipLevel
	}
	if p.size < 0 {
		return p, fmt.Errorf("anaplan: upload size %d is negative; use 0 when unknown", p.size)
	}
	if p.size == 0 {
		p.size = knownSize(r)
	}
	if p.size > 0 {
		if need := (p.size + p.chunkSize - 1) / p.chunkSize; need > int64(p.maxChunks) {
			return p, tooManyChunks(p.size, p.chunkSize, p.maxChunks)
		}
	}
	return p, nil
}

// rawBuffers is how many chunk buffers an upload may hold: one per PUT in
// flight, and one read ahead so that reading overlaps sending. With gzip a
// PUT gives its raw chunk back once it is compressed, and compression is
// CPU-bound, so one raw chunk per CPU keeps every CPU busy; more would only
// hold memory. Parallel 1 asks for the least: no read-ahead, one chunk.
// (BENCHMARKS.md, scenario 2, measures what each costs.)
func (p uploadPlan) rawBuffers() int {
	n := p.parallel
	if p.gzip {
		n = min(n, max(runtime.GOMAXPROCS(0), 1))
	}
	if p.parallel > 1 {
		n++
	}
	return n
}

// knownSize is what remains to read from r when that is cheap to know,
// else -1.
func knownSize(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case *os.File:
		fi, err := v.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		pos, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return max(fi.Size()-pos, 0)
	}
	return -1
}

// UploadFile uploads the file at path (see Upload).
func (m *ModelHandle) UploadFile(ctx context.Context, fileID, path string, opts UploadOptions) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, wrapf(err, "upload")
	}
	defer f.Close()
	return m.Upload(ctx, fileID, f, opts)
}

// Upload replaces the content of a model's file (an import data source)
// with what r yields, in chunks, and returns the file as Anaplan records
// it.
//
// It streams: r is read one chunk at a time into a small set of reused
// buffers, so memory stays near ChunkSize × (Parallel + 1) whatever the
// size (see UploadOptions.Parallel). It declares an unknown chunk count
// (-1), PUTs the chunks (gzipped unless NoGzip, up to Parallel at once; a
// PUT is idempotent, so one that fails on the network or with 502/503/504
// is retried) and then marks the upload complete.
//
// fileID must name an existing file: Anaplan would silently create a new
// file for an unknown ID, so Upload checks the ID Anaplan answers with and
// stops with an error naming both. Empty input is refused before anything
// is sent: Anaplan needs at least one chunk, and an empty reader is more
// often a bug (an unflushed writer, a consumed reader) than an intent.
func (m *ModelHandle) Upload(ctx context.Context, fileID string, r io.Reader, opts UploadOptions) (File, error) {
	if err := requireID("file", fileID); err != nil {
		return File{}, err
	}
	if r == nil {
		return File{}, errors.New("anaplan: upload: the reader is nil")
	}
	base, err := m.path("files", fileID)
	if err != nil {
		return File{}, err
	}
	plan, err := opts.plan(r)
	if err != nil {
		return File{}, err
	}
	u := &upload{
		m:       m,
		fileID:  fileID,
		base:    base,
		plan:    plan,
		buffers: make(chan []byte, plan.rawBuffers()),
		zipped:  make(chan *bytes.Buffer, plan.parallel),
		stats:   UploadProgress{FileID: fileID, TotalBytes: plan.size},
	}
	f, err := u.run(ctx, r)
	if err != nil {
		return File{}, wrapf(err, "uploading file %s of %s", fileID, m)
	}
	return f, nil
}

// upload is one Upload in progress.
type upload struct {
	m      *ModelHandle
	fileID string
	base   string // escaped path of the file
	plan   uploadPlan

	// buffers holds chunk buffers for reuse; allocated counts those made,
	// at most plan.rawBuffers().
	buffers   chan []byte
	allocated int
	// zipped holds compressed-chunk buffers for reuse (one per PUT).
	zipped chan *bytes.Buffer
	gzips  sync.Pool // *gzip.Writer

	mu    sync.Mutex // guards stats and serializes Progress
	stats UploadProgress
}

func (u *upload) run(ctx context.Context, r io.Reader) (File, error) {
	buf, n, eof, err := u.readChunk(ctx, r)
	if err != nil {
		return File{}, err
	}
	if n == 0 {
		u.release(buf)
		return File{}, errors.New("the reader yielded no data; Anaplan needs at least one chunk (an empty CSV still has a header row)")
	}
	meta, err := u.start(ctx)
	if err != nil {
		if ctx.Err() != nil {
			// Interrupted while declaring the upload: Anaplan may have
			// set chunkCount -1 before the answer was lost.
			return File{}, u.settle(ctx, err, nil, 0, false)
		}
		return File{}, err
	}
	// From here on the server file is half-written (chunkCount -1) until
	// the upload completes: every way out that does not complete it goes
	// through settle, which completes or discards it.
	gctxParent, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(gctxParent)
	g.SetLimit(u.plan.parallel)
	chunks := 0
	for {
		index, data := chunks, buf[:n]
		chunks++
		g.Go(func() error { return u.put(gctx, index, data) })
		if eof {
			break
		}
		if err = gctx.Err(); err != nil {
			break // a PUT failed for good: read no further
		}
		if buf, n, eof, err = u.readChunk(gctx, r); err != nil {
			break
		}
		if n == 0 {
			u.release(buf)
			break
		}
		if chunks >= u.plan.maxChunks {
			u.release(buf)
			err = &ChunkSizeError{ChunkSize: u.plan.chunkSize, DataSize: -1, MaxChunks: u.plan.maxChunks}
			break
		}
	}
	if err != nil {
		// The upload cannot complete: stop the PUTs in flight. If a PUT
		// failure caused this (its error cancelled gctx), report that.
		stop()
		if werr := g.Wait(); werr != nil && !errors.Is(werr, context.Canceled) {
			err = werr
		}
		return File{}, u.settle(ctx, err, meta, chunks, false)
	}
	if err := g.Wait(); err != nil {
		return File{}, u.settle(ctx, err, meta, chunks, false)
	}
	answer, err := u.postComplete(ctx, meta, chunks)
	if err != nil {
		// Every chunk is there: completing on a fresh context saves the
		// upload when ctx was cancelled; otherwise the upload is discarded.
		return File{}, u.settle(ctx, err, meta, chunks, ctx.Err() != nil)
	}
	return u.completed(answer, chunks)
}

// readChunk fills a buffer from r. eof reports that r has nothing more.
func (u *upload) readChunk(ctx context.Context, r io.Reader) (buf []byte, n int, eof bool, err error) {
	if buf, err = u.buffer(ctx); err != nil {
		return nil, 0, false, err
	}
	n, err = io.ReadFull(r, buf)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		eof, err = true, nil
	case err != nil:
		u.release(buf)
		return nil, 0, false, fmt.Errorf("reading the data to upload: %w", err)
	}
	if n > 0 {
		u.report(func(s *UploadProgress) { s.BytesRead += int64(n) })
	}
	return buf, n, eof, nil
}

// buffer takes a chunk buffer, making one while fewer than its capacity exist.
func (u *upload) buffer(ctx context.Context) ([]byte, error) {
	select {
	case b := <-u.buffers:
		return b, nil
	default:
	}
	if u.allocated < cap(u.buffers) {
		u.allocated++
		return make([]byte, u.plan.chunkSize), nil
	}
	select {
	case b := <-u.buffers:
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// release returns a chunk buffer for reuse.
func (u *upload) release(b []byte) {
	u.buffers <- b[:cap(b)]
}

// start declares an upload of unknown length (chunkCount -1) and returns
// the file's metadata, to send back on completion.
func (u *upload) start(ctx context.Context) (map[string]json.RawMessage, error) {
	body, err := jsonBody(map[string]int{"chunkCount": -1})
	if err != nil {
		return nil, err
	}
	var answer struct {
		File map[string]json.RawMessage `json:"file"`
	}
	// Declaring the upload again before any chunk leaves the file as
	// declaring it once: safe to retry after a lost answer.
	if err := u.m.c.do(ctx, request{method: http.MethodPost, path: u.base, body: body, repeatable: true}, &answer); err != nil {
		return nil, err
	}
	if err := u.checkFile("setting the chunk count", answer.File); err != nil {
		return nil, err
	}
	return answer.File, nil
}

// checkFile guards against Anaplan's habit of creating a new file when
// asked about an unknown ID: the answer must be about fileID.
func (u *upload) checkFile(step string, file map[string]json.RawMessage) error {
	if file == nil {
		return fmt.Errorf("%s: the answer has no \"file\"", step)
	}
	var id, name string
	_ = json.Unmarshal(file["id"], &id)
	_ = json.Unmarshal(file["name"], &name)
	if id != u.fileID {
		return fmt.Errorf("%s: Anaplan answered with file %q (%q), not %s: that is not a file ID of this model, so Anaplan matched it by name or created a new file; nothing was uploaded. Upload to an existing file by ID: see Files, FindFile or an import's ImportDataSourceID",
			step, id, name, u.fileID)
	}
	return nil
}

// put uploads chunk index from data (a chunk buffer it releases).
func (u *upload) put(ctx context.Context, index int, data []byte) error {
	raw := int64(len(data))
	contentType, payload := "application/octet-stream", data
	if u.plan.gzip {
		zb, err := u.compress(ctx, data)
		u.release(data)
		if err != nil {
			return err
		}
		defer func() { u.zipped <- zb }()
		contentType, payload = "application/x-gzip", zb.Bytes()
	} else {
		defer u.release(data)
	}
	body := &fencedBody{data: payload}
	defer body.fence()
	err := u.m.c.do(ctx, request{
		method: http.MethodPut,
		path:   u.base + apiPath("chunks", strconv.Itoa(index)),
		body:   &requestBody{contentType: contentType, length: int64(len(payload)), replayable: true, open: body.open},
	}, nil)
	if err != nil {
		return fmt.Errorf("chunk %d: %w", index, err)
	}
	wire := int64(len(payload))
	u.report(func(s *UploadProgress) {
		s.BytesUploaded += raw
		s.WireBytes += wire
		s.Chunks++
	})
	return nil
}

// compress gzips data into a reused buffer.
func (u *upload) compress(ctx context.Context, data []byte) (*bytes.Buffer, error) {
	var zb *bytes.Buffer
	select {
	case zb = <-u.zipped:
		zb.Reset()
	default:
		// Sized for CSV's usual ratio (about a third) so that it is
		// allocated once, not grown through a series of copies.
		zb = bytes.NewBuffer(make([]byte, 0, len(data)/2))
	}
	zw, _ := u.gzips.Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(zb, u.plan.level); err != nil {
			return nil, err
		}
	} else {
		zw.Reset(zb)
	}
	defer u.gzips.Put(zw)
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return zb, ctx.Err()
}

// postComplete marks the upload done (POST …/complete) with the file's
// metadata and the number of chunks sent, and returns the file Anaplan
// answers; completed checks what it recorded.
func (u *upload) postComplete(ctx context.Context, meta map[string]json.RawMessage, chunks int) (map[string]json.RawMessage, error) {
	meta["chunkCount"] = json.RawMessage(strconv.Itoa(chunks))
	body, err := jsonBody(meta)
	if err != nil {
		return nil, err
	}
	var answer struct {
		File map[string]json.RawMessage `json:"file"`
	}
	// Completing a completed upload answers the same file: safe to retry.
	if err := u.m.c.do(ctx, request{method: http.MethodPost, path: u.base + "/complete", body: body, repeatable: true}, &answer); err != nil {
		return nil, fmt.Errorf("completing the upload: %w", err)
	}
	return answer.File, nil
}

// completed checks the file a completion answered with.
func (u *upload) completed(file map[string]json.RawMessage, chunks int) (File, error) {
	if err := u.checkFile("completing the upload", file); err != nil {
		return File{}, err
	}
	raw, _ := json.Marshal(file)
	var f File
	if err := json.Unmarshal(raw, &f); err != nil {
		return File{}, fmt.Errorf("completing the upload: decoding the file: %w", err)
	}
	if f.ChunkCount != chunks {
		return f, fmt.Errorf("completing the upload: Anaplan recorded %d chunks, %d were sent", f.ChunkCount, chunks)
	}
	return f, nil
}

// report updates the counters and calls Progress, one call at a time.
func (u *upload) report(update func(*UploadProgress)) {
	u.mu.Lock()
	defer u.mu.Unlock()
	update(&u.stats)
	if u.plan.progress != nil {
		u.plan.progress(u.stats)
	}
}

// fencedBody serves a chunk's bytes to every attempt of its PUT, and is
// fenced off once the PUT is over: net/http may go on reading a request
// body after RoundTrip returns (when a server answers before reading it),
// and the buffer is about to hold the next chunk.
type fencedBody struct {
	mu     sync.Mutex
	data   []byte
	fenced bool
}

var errFenced = errors.New("anaplan: chunk body read after its request ended")

func (b *fencedBody) open() (io.ReadCloser, error) {
	return &fencedReader{b: b}, nil
}

func (b *fencedBody) fence() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fenced, b.data = true, nil
}

// fencedReader reads a fencedBody from the start.
type fencedReader struct {
	b   *fencedBody
	off int
}

func (r *fencedReader) Read(p []byte) (int, error) {
	r.b.mu.Lock()
	defer r.b.mu.Unlock()
	if r.b.fenced {
		return 0, errFenced
	}
	if r.off >= len(r.b.data) {
		return 0, io.EOF
	}
	n := copy(p, r.b.data[r.off:])
	r.off += n
	return n, nil
}

func (r *fencedReader) Close() error { return nil }
