package emulator_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestGigabyteUploadStreams uploads 21 chunks of 50 MiB (1.05 GiB),
// completes the upload and reads the last chunk back, checking every
// byte, while the process allocates a small fraction of that: chunks
// stream to disk and back, and …/complete copies nothing. Not parallel,
// so the allocation count is this test's own. Under -race it moves 300 MiB.
func TestGigabyteUploadStreams(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	token := h.login()
	file := bulkPath("/files/" + modelsFile)
	const chunk = 50 << 20
	chunks := 21
	if raceDetector {
		chunks = 6 // 300 MiB: -race checks every byte of every read and write
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	wantStatus(t, h.postJSON(file, token, `{"chunkCount":-1}`), http.StatusOK)
	do := func(method, path string, body io.Reader, size int64) *http.Response {
		req, err := http.NewRequest(method, h.srv.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = size
		req.Header.Set("Authorization", "AnaplanAuthToken "+token)
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for i := range chunks {
		resp := do("PUT", file+"/chunks/"+strconv.Itoa(i), io.LimitReader(&pattern{}, chunk), chunk)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("chunk %d: status %d", i, resp.StatusCode)
		}
	}
	done := h.postJSON(file+"/complete", token, "")
	if n := done.json(t)["file"].(map[string]any)["chunkCount"]; n != float64(chunks) {
		t.Fatalf("chunkCount = %v", n)
	}

	// Read the last chunk back (the whole-file download takes the same
	// path: TestTutorialFlow).
	resp := do("GET", file+"/chunks/"+strconv.Itoa(chunks-1), nil, 0)
	defer resp.Body.Close()
	want := io.LimitReader(&pattern{}, chunk)
	got, exp := make([]byte, 1<<20), make([]byte, 1<<20)
	total := int64(0)
	for {
		n, err := io.ReadFull(resp.Body, got)
		if n > 0 {
			if _, err := io.ReadFull(want, exp[:n]); err != nil || !bytes.Equal(got[:n], exp[:n]) {
				t.Fatalf("last chunk differs from byte %d on (%v)", total, err)
			}
			total += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if total != chunk {
		t.Fatalf("last chunk has %d bytes, want %d", total, chunk)
	}

	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// Client, server and test together: generous, but far below the
	// 2 GiB that buffering the upload and the download would take.
	t.Logf("uploading %d MiB allocated %d MiB", chunk*chunks>>20, (after.TotalAlloc-before.TotalAlloc)>>20)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("uploading %d MiB allocated %d MiB", chunk*chunks>>20, alloc>>20)
	}
}

// BenchmarkChunkUpload measures PUT …/chunks/{n} of 10 MiB chunks through
// the real HTTP handler over loopback, to disk.
func BenchmarkChunkUpload(b *testing.B) {
	benchmarkChunkUpload(b, false)
}

// BenchmarkChunkUploadGzip is the same with gzip-compressed chunks
// (Content-Type application/x-gzip), as Anaplan's own clients send them;
// MB/s counts uncompressed bytes.
func BenchmarkChunkUploadGzip(b *testing.B) {
	benchmarkChunkUpload(b, true)
}

func benchmarkChunkUpload(b *testing.B, compressed bool) {
	h := newHarness(b, emulator.Options{})
	token := h.login()
	const size = 10 << 20
	data, err := io.ReadAll(io.LimitReader(&pattern{}, size))
	if err != nil {
		b.Fatal(err)
	}
	body, contentType := data, "application/octet-stream"
	if compressed {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		body, contentType = buf.Bytes(), "application/x-gzip"
	}
	file := bulkPath("/files/" + modelsFile)
	wantStatus(b, h.postJSON(file, token, `{"chunkCount":-1}`), http.StatusOK)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		r := h.send("PUT", file+"/chunks/"+strconv.Itoa(i%1000), token, contentType, bytes.NewReader(body))
		if r.status != http.StatusNoContent {
			b.Fatalf("status %d: %s", r.status, r.body)
		}
		i++
	}
}
