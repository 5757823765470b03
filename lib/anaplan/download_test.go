package anaplan_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

const filesPath = "/2/0/workspaces/" + bulkWS + "/models/" + bulkModel + "/files/"

// chunkedFile is the file the download tests fill: an export's file
// cannot be uploaded to, and its output comes in 10 MB chunks.
const chunkedFile = "113000000000"

// setChunks gives chunkedFile n chunks ("chunk 0\n", ...).
func (b *bulkRecorder) setChunks(n int) []byte {
	chunks := make([][]byte, n)
	for i := range chunks {
		chunks[i] = fmt.Appendf(nil, "chunk %d\n", i)
	}
	return b.putChunks(chunkedFile, chunks...)
}

func TestDownload(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 12} {
		t.Run(fmt.Sprintf("%d chunks", n), func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			b := newBulk(f)
			want := b.setChunks(n)
			m, _ := b.model(t)
			var got bytes.Buffer
			written, err := m.Download(t.Context(), chunkedFile, &got)
			if err != nil {
				t.Fatalf("Download: %v", err)
			}
			if got.String() != string(want) || written != int64(len(want)) {
				t.Errorf("got %d bytes %q, want %q (chunk 10 after chunk 9)", written, got.String(), want)
			}
			whole := f.count("GET " + filesPath + chunkedFile)
			if (n == 1) != (whole == 1) {
				t.Errorf("%d chunks: %d whole-file GETs; one chunk comes whole, more by chunks", n, whole)
			}
		})
	}
}

func TestDownloadEmptyFile(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	_, err := m.Download(t.Context(), "116000000000", &bytes.Buffer{})
	if !errors.Is(err, anaplan.ErrNotFound) || !strings.Contains(err.Error(), "holds no content") || !strings.Contains(err.Error(), "run its export") {
		t.Errorf("err = %v, want a 404 explained", err)
	}
	if _, err := m.Download(t.Context(), "116000000404", &bytes.Buffer{}); !errors.Is(err, anaplan.ErrNotFound) || !strings.Contains(err.Error(), "116000000404") {
		t.Errorf("unknown file: %v", err)
	}
}

func TestDownloadRetriesADroppedChunk(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	want := b.setChunks(3)
	var calls atomic.Int32
	f.answer("GET "+filesPath+chunkedFile+"/chunks/1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			// Promise more than is sent, then drop the connection.
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("chu"))
			panic(http.ErrAbortHandler)
		}
		f.api(w, r)
	})
	m, _ := b.model(t)
	var got bytes.Buffer
	if _, err := m.Download(t.Context(), chunkedFile, &got); err != nil {
		t.Fatalf("Download: %v", err)
	}
	if got.String() != string(want) || calls.Load() != 2 {
		t.Errorf("got %q after %d tries of chunk 1, want %q (no partial chunk)", got.String(), calls.Load(), want)
	}
}

func TestDownloadChunkAndDeleteFile(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.setChunks(3)
	m, _ := b.model(t)
	var got bytes.Buffer
	if n, err := m.DownloadChunk(t.Context(), chunkedFile, 2, &got); err != nil || got.String() != "chunk 2\n" || n != 8 {
		t.Errorf("DownloadChunk: %d, %q, %v", n, got.String(), err)
	}
	if _, err := m.DownloadChunk(t.Context(), chunkedFile, -1, &got); err == nil {
		t.Error("negative chunk accepted")
	}
	if err := m.DeleteFile(t.Context(), chunkedFile); err != nil {
		t.Fatalf("DeleteFile: %v", err)
	}
	if f.count("DELETE "+filesPath+chunkedFile) != 1 || len(b.fileContent(chunkedFile)) != 0 {
		t.Error("the file's content was not deleted")
	}
	if err := m.DeleteFile(t.Context(), "116000000404"); !errors.Is(err, anaplan.ErrNotFound) {
		t.Errorf("DeleteFile of an unknown file: %v", err)
	}
}
