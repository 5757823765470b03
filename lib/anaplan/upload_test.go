package anaplan_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

const mb = 1 << 20

// csvPattern is 1 MB and a bit of CSV-like text: compressible, but not
// trivially. Its odd length makes every chunk of a tiling differ.
var csvPattern = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < mb+17; i++ {
		fmt.Fprintf(&b, "M%07d,Model %d of workspace %d,%032x,%d\n", i, i*7919%100003, i%17, uint64(i)*0x9E3779B97F4A7C15, i*i%1000003)
	}
	return b.Bytes()[:mb+17]
})

// csvData is n bytes tiled from csvPattern.
func csvData(n int) []byte {
	out := make([]byte, n)
	for off := 0; off < n; off += len(csvPattern()) {
		copy(out[off:], csvPattern())
	}
	return out
}

// unsized hides a reader's Len, as a network stream would.
type unsized struct{ r io.Reader }

func (u unsized) Read(p []byte) (int, error) { return u.r.Read(p) }

func TestUploadInChunks(t *testing.T) {
	t.Parallel()
	for _, gz := range []bool{true, false} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			b := newBulk(f)
			m, _ := b.model(t)
			data := csvData(mb + mb/2)
			var progress []anaplan.UploadProgress
			file, err := m.Upload(t.Context(), "113000000001", bytes.NewReader(data), anaplan.UploadOptions{
				ChunkSize: mb, NoGzip: !gz, Parallel: 1,
				Progress: func(p anaplan.UploadProgress) { progress = append(progress, p) },
			})
			if err != nil {
				t.Fatalf("Upload: %v", err)
			}
			if file.ID != "113000000001" || file.Name != "models.csv" || file.ChunkCount != 2 {
				t.Errorf("file = %+v, want models.csv with 2 chunks", file)
			}
			if !bytes.Equal(b.fileContent("113000000001"), data) {
				t.Errorf("the server holds different bytes than were uploaded")
			}
			wantType, sentLess := "application/octet-stream", false
			if gz {
				wantType, sentLess = "application/x-gzip", true
			}
			puts := b.snapshotPuts()
			if len(puts) != 2 {
				t.Fatalf("server saw %d chunk PUTs, want 2", len(puts))
			}
			for i, want := range []int{mb, mb / 2} {
				p := puts[i]
				if p.Index != i || p.Raw != want || p.ContentType != wantType || (p.Wire < p.Raw) != sentLess {
					t.Errorf("PUT %d = %+v, want %d raw bytes as %s (compressed %v)", i, p, want, wantType, sentLess)
				}
			}
			if len(b.counts) != 1 || b.counts[0] != -1 {
				t.Errorf("chunk counts set = %v, want [-1] before the chunks", b.counts)
			}
			var completed map[string]any
			if err := json.Unmarshal([]byte(b.completes[0]), &completed); err != nil {
				t.Fatalf("complete body %q: %v", b.completes[0], err)
			}
			if completed["id"] != "113000000001" || completed["chunkCount"] != float64(2) || completed["name"] != "models.csv" || completed["headerRow"] != float64(1) {
				t.Errorf("complete body = %v, want the file's metadata with chunkCount 2", completed)
			}
			last := progress[len(progress)-1]
			total := int64(len(data))
			if last.BytesRead != total || last.BytesUploaded != total || last.Chunks != 2 || last.TotalBytes != total || last.FileID != "113000000001" {
				t.Errorf("last progress = %+v, want all %d bytes in 2 chunks", last, total)
			}
			if gz != (last.WireBytes < total) {
				t.Errorf("progress wire bytes %d vs %d raw (gzip %v)", last.WireBytes, total, gz)
			}
			for i := 1; i < len(progress); i++ {
				if progress[i].BytesUploaded < progress[i-1].BytesUploaded || progress[i].BytesRead < progress[i-1].BytesRead {
					t.Errorf("progress went backwards: %+v then %+v", progress[i-1], progress[i])
				}
			}
		})
	}
}

func TestUploadExactMultipleOfChunkSize(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	data := csvData(2 * mb)
	file, err := m.Upload(t.Context(), "113000000000", unsized{bytes.NewReader(data)}, anaplan.UploadOptions{ChunkSize: mb, NoGzip: true})
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if file.ChunkCount != 2 || len(b.snapshotPuts()) != 2 {
		t.Errorf("chunkCount %d, %d PUTs; want 2 and 2 (no empty trailing chunk)", file.ChunkCount, len(b.snapshotPuts()))
	}
	if !bytes.Equal(b.fileContent("113000000000"), data) {
		t.Error("content differs")
	}
}

func TestUploadParallelIsBounded(t *testing.T) {
	t.Parallel()
	for _, parallel := range []int{1, 3} {
		t.Run(fmt.Sprint(parallel), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { uploadParallelIsBounded(t, parallel) })
		})
	}
}

func uploadParallelIsBounded(t *testing.T, parallel int) {
	f := newBubbleHarness(t)
	b := newBulk(f)
	// Each PUT is held until the client has sent every PUT it
	// would (everything else in the bubble is blocked): room for
	// one too many to arrive.
	b.holdPut = func(int) { settleBubble() }
	m, _ := b.model(t)
	data := csvData(8 * mb)
	if _, err := m.Upload(t.Context(), "113000000000", bytes.NewReader(data), anaplan.UploadOptions{ChunkSize: mb, Parallel: parallel, NoGzip: true}); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	b.mu.Lock()
	maxFlight := b.maxFlight
	order := make([]int, len(b.puts))
	for i, p := range b.puts {
		order[i] = p.Index
	}
	b.mu.Unlock()
	if maxFlight != parallel {
		t.Errorf("at most %d PUTs were in flight, want exactly %d", maxFlight, parallel)
	}
	if parallel == 1 && fmt.Sprint(order) != "[0 1 2 3 4 5 6 7]" {
		t.Errorf("PUT order %v, want sequential", order)
	}
	if !bytes.Equal(b.fileContent("113000000000"), data) {
		t.Error("content differs")
	}
}

func TestUploadRetriesAFailedChunk(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.failPut[1] = 1 // 503 once
	m, w := b.model(t)
	data := csvData(3 * mb)
	if _, err := m.Upload(t.Context(), "113000000000", bytes.NewReader(data), anaplan.UploadOptions{ChunkSize: mb, NoGzip: true}); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if n := f.count("PUT /2/0/workspaces/" + bulkWS + "/models/" + bulkModel + "/files/113000000000/chunks/1"); n != 2 {
		t.Errorf("chunk 1 was PUT %d times, want 2 (one 503, one retry)", n)
	}
	if len(w.all()) != 1 {
		t.Errorf("retry waits = %v, want one", w.all())
	}
	if !bytes.Equal(b.fileContent("113000000000"), data) {
		t.Error("content differs after the retry")
	}
}

func TestUploadChunkFailureStopsTheUpload(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.failPut[2] = 100
	b.stallAfter = 2 // the other worker waits at chunk 3 until the failure cancels it
	m, _ := b.model(t, anaplan.WithRetryPolicy(anaplan.RetryPolicy{MaxAttempts: 2}))
	gen := &generator{pattern: csvPattern(), size: 64 * mb}
	_, err := m.Upload(t.Context(), "113000000000", gen, anaplan.UploadOptions{ChunkSize: mb, Parallel: 2, NoGzip: true})
	if !errors.Is(err, anaplan.ErrServer) || !strings.Contains(err.Error(), "chunk 2") || !strings.Contains(err.Error(), "113000000000") {
		t.Fatalf("err = %v, want a 503 naming chunk 2 and the file", err)
	}
	if read := gen.pos.Load(); read > 8*mb {
		t.Errorf("the upload read %d MB after its chunk 2 failed for good; it should stop reading", read/mb)
	}
	if len(b.completes) != 0 {
		t.Error("a failed upload was marked complete")
	}
}

func TestUploadSurvivesTokenLossMidway(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	var once sync.Once
	b.holdPut = func(index int) {
		if index == 1 {
			once.Do(f.revokeAll)
		}
	}
	m, _ := b.model(t)
	data := csvData(3 * mb)
	if _, err := m.Upload(t.Context(), "113000000000", bytes.NewReader(data), anaplan.UploadOptions{ChunkSize: mb, Parallel: 1, NoGzip: true}); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if f.count("POST /token/authenticate") != 2 {
		t.Errorf("authenticated %d times, want 2 (once more after the 401)", f.count("POST /token/authenticate"))
	}
	if !bytes.Equal(b.fileContent("113000000000"), data) {
		t.Error("content differs after re-authentication")
	}
}

func TestUploadUnknownFileID(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	_, err := m.Upload(t.Context(), "113000000999", strings.NewReader("Code,Name\nA,B\n"), anaplan.UploadOptions{})
	if err == nil {
		t.Fatal("Upload to an unknown ID succeeded")
	}
	for _, want := range []string{"113000000999", "113000000002", "created a new file", "ImportDataSourceID"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if len(b.snapshotPuts()) != 0 {
		t.Error("chunks were sent to the wrong file")
	}
}

func TestUploadRefusesBadOptionsBeforeSending(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	small := strings.NewReader("x")
	tests := []struct {
		name string
		r    io.Reader
		opts anaplan.UploadOptions
		want string
	}{
		{"chunk too small", small, anaplan.UploadOptions{ChunkSize: 512 << 10}, "0.5 MB is outside Anaplan's limits of 1 to 50 MB"},
		{"chunk too large", small, anaplan.UploadOptions{ChunkSize: 51 * mb}, "51 MB is outside"},
		{"negative parallel", small, anaplan.UploadOptions{Parallel: -1}, "parallelism -1"},
		{"negative size", small, anaplan.UploadOptions{Size: -5}, "size -5"},
		{"too many chunks", small, anaplan.UploadOptions{ChunkSize: mb, Size: 2048 * mb}, "2048 MB in chunks of 1 MB needs more than 1000 chunks, Anaplan's limit per file; set UploadOptions.ChunkSize to at least 3 MB"},
		{"too large for any chunk", small, anaplan.UploadOptions{Size: 60000 * mb}, "even 50 MB chunks cannot hold it"},
		{"sized reader too large", bytes.NewReader(make([]byte, 9*mb)), anaplan.UploadOptions{ChunkSize: mb}.WithMaxChunksForTest(8), "needs more than 8 chunks"},
		{"empty", strings.NewReader(""), anaplan.UploadOptions{}, "no data"},
		{"nil reader", nil, anaplan.UploadOptions{}, "reader is nil"},
	}
	for _, tt := range tests {
		_, err := m.Upload(t.Context(), "113000000000", tt.r, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := m.Upload(t.Context(), "", small, anaplan.UploadOptions{}); err == nil || !strings.Contains(err.Error(), "file ID is empty") {
		t.Errorf("empty file ID: err = %v", err)
	}
	if n := f.count("POST /token/authenticate"); n != 0 {
		t.Errorf("bad options reached the network (%d authentications)", n)
	}
}

func TestUploadStreamBeyondTheChunkLimit(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	opts := anaplan.UploadOptions{ChunkSize: mb, NoGzip: true}.WithMaxChunksForTest(3)
	if _, err := m.Upload(t.Context(), "113000000000", unsized{bytes.NewReader(csvData(3 * mb))}, opts); err != nil {
		t.Fatalf("3 chunks with a limit of 3: %v", err)
	}
	_, err := m.Upload(t.Context(), "113000000000", unsized{bytes.NewReader(csvData(3*mb + 1))}, opts)
	if err == nil || !strings.Contains(err.Error(), "needs more than 3 chunks") || !strings.Contains(err.Error(), "ChunkSize larger") {
		t.Fatalf("err = %v, want the chunk limit explained", err)
	}
	if len(b.completes) != 1 {
		t.Errorf("%d completes, want only the first upload's", len(b.completes))
	}
}

// failingReader yields n bytes, then fails.
type failingReader struct{ n int }

var errDisk = errors.New("disk on fire")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errDisk
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestUploadReadErrorStopsTheUpload(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	_, err := m.Upload(t.Context(), "113000000000", &failingReader{n: 3*mb + 10}, anaplan.UploadOptions{ChunkSize: mb, NoGzip: true})
	if !errors.Is(err, errDisk) || !strings.Contains(err.Error(), "reading the data to upload") {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	if len(b.completes) != 0 {
		t.Error("an upload whose reader failed was marked complete")
	}
}

func TestUploadFile(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	data := csvData(mb + 123)
	path := filepath.Join(t.TempDir(), "workspaces.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var total int64
	file, err := m.UploadFile(t.Context(), "113000000000", path, anaplan.UploadOptions{ChunkSize: mb, NoGzip: true, Progress: func(p anaplan.UploadProgress) { total = p.TotalBytes }})
	if err != nil {
		t.Fatalf("UploadFile: %v", err)
	}
	if file.ChunkCount != 2 || total != int64(len(data)) || !bytes.Equal(b.fileContent("113000000000"), data) {
		t.Errorf("chunkCount %d, total %d; want 2 chunks of %d bytes", file.ChunkCount, total, len(data))
	}
	if _, err := m.UploadFile(t.Context(), "113000000000", filepath.Join(t.TempDir(), "missing.csv"), anaplan.UploadOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

// generator yields size bytes by cycling over a pattern, and records how far
// it has been read.
type generator struct {
	pattern []byte
	size    int64
	pos     atomic.Int64
}

func (g *generator) Read(p []byte) (int, error) {
	pos := g.pos.Load()
	if pos >= g.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && pos < g.size {
		k := copy(p[n:min(len(p), n+int(g.size-pos))], g.pattern[pos%int64(len(g.pattern)):])
		n += k
		pos += int64(k)
	}
	g.pos.Store(pos)
	return n, nil
}

// TestUploadReadsAheadBoundedly proves the streaming bound through the
// public door: bytes read from the reader but not yet acknowledged by the
// server must all sit in the client's buffers, and they never exceed
// chunk × (parallel+1) (plain) or chunk × (2·parallel+1) (gzip, where a
// chunk's raw buffer is reused as soon as it is compressed). Parallel 1
// reads no chunk ahead: one chunk plain, two with gzip (one compressed in
// flight, the next being read).
func TestUploadReadsAheadBoundedly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		parallel int
		gz       bool
		bound    int64 // in chunks
	}{
		{2, false, 3}, {2, true, 5}, {1, false, 1}, {1, true, 2},
	} {
		parallel, gz := tc.parallel, tc.gz
		t.Run(fmt.Sprintf("parallel=%d,gzip=%v", parallel, gz), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { uploadReadsAheadBoundedly(t, parallel, gz, tc.bound) })
		})
	}
}

func uploadReadsAheadBoundedly(t *testing.T, parallel int, gz bool, boundChunks int64) {
	const chunk = mb
	f := newBubbleHarness(t)
	b := newBulk(f)
	gen := &generator{pattern: csvPattern(), size: 6 * mb}
	var worst atomic.Int64
	b.holdPut = func(int) {
		settleBubble() // the client has read as far ahead as it would
		b.mu.Lock()
		var acked int64
		for _, p := range b.puts {
			acked += int64(p.Raw)
		}
		b.mu.Unlock()
		if ahead := gen.pos.Load() - acked; ahead > worst.Load() {
			worst.Store(ahead)
		}
	}
	m, _ := b.model(t)
	// Huffman-only compression: this is about buffers, and real
	// compression is slow under -race.
	opts := anaplan.UploadOptions{ChunkSize: chunk, Parallel: parallel, NoGzip: !gz}.WithGzipLevelForTest(gzip.HuffmanOnly)
	file, err := m.Upload(t.Context(), "113000000000", gen, opts)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if file.ChunkCount != 6 {
		t.Errorf("chunkCount = %d, want 6", file.ChunkCount)
	}
	bound := boundChunks * chunk
	if worst.Load() > bound {
		t.Errorf("the client read %d bytes ahead of the server, more than %d", worst.Load(), bound)
	}
	if worst.Load() < chunk {
		t.Errorf("read-ahead %d never reached one chunk: the measurement is broken", worst.Load())
	}
}

// TestUploadMemoryIsBounded uploads 200 MB from a generator and checks the
// heap never grows by more than a few chunks (a client that held the data
// would need 200 MB). Not parallel: it reads the process's heap.
func TestUploadMemoryIsBounded(t *testing.T) {
	const chunk, parallel, size = 4 * mb, 2, 200 * mb
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	gen := &generator{pattern: csvPattern(), size: size}

	defer debug.SetGCPercent(debug.SetGCPercent(25))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak.Load() {
			peak.Store(ms.HeapAlloc)
		}
	}
	b.holdPut = func(int) { sample() }
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
				sample()
			}
		}
	}()
	// NoGzip keeps this fast under -race; the gzip path's buffers are
	// bounded by TestUploadReadsAheadBoundedly.
	file, err := m.Upload(t.Context(), "113000000000", gen, anaplan.UploadOptions{ChunkSize: chunk, Parallel: parallel, NoGzip: true})
	close(done)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if file.ChunkCount != size/chunk {
		t.Errorf("chunkCount = %d, want %d", file.ChunkCount, size/chunk)
	}
	growth := int64(peak.Load()) - int64(base)
	limit := int64(6*chunk + 16*mb)
	t.Logf("heap grew by %.1f MB at most while uploading %d MB (limit %.0f MB)", float64(growth)/mb, size/mb, float64(limit)/mb)
	if growth > limit {
		t.Errorf("heap grew by %.1f MB uploading %d MB in %d MB chunks; want at most %.0f MB", float64(growth)/mb, size/mb, chunk/mb, float64(limit)/mb)
	}
}

func TestUploadStopsWithTheContext(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	ctx, cancel := context.WithCancel(t.Context())
	b.holdPut = func(index int) {
		if index == 1 {
			cancel()
		}
	}
	_, err := m.Upload(ctx, "113000000000", unsized{bytes.NewReader(csvData(6 * mb))}, anaplan.UploadOptions{ChunkSize: mb, Parallel: 1, NoGzip: true})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err = %v, want context canceled", err)
	}
	if len(b.completes) != 0 {
		t.Error("a cancelled upload was marked complete")
	}
}
