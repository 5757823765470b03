package anaplan_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// TestUploadChunkSizeErrorIsTyped: a program exposing the chunk size under
// its own name (a flag) finds what went wrong with errors.As, while a
// library user reads the option's name in the message.
func TestUploadChunkSizeErrorIsTyped(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	for _, tc := range []struct {
		name string
		data []byte
		opts anaplan.UploadOptions
		want anaplan.ChunkSizeError
	}{
		{"out of range", []byte("x"), anaplan.UploadOptions{ChunkSize: 51 * mb}, anaplan.ChunkSizeError{ChunkSize: 51 * mb, MaxChunks: anaplan.MaxChunks}},
		{"known size", []byte("x"), anaplan.UploadOptions{ChunkSize: mb, Size: 2048 * mb}, anaplan.ChunkSizeError{ChunkSize: mb, DataSize: 2048 * mb, MaxChunks: anaplan.MaxChunks, Fit: 3 * mb}},
		{"no chunk fits", []byte("x"), anaplan.UploadOptions{Size: 60000 * mb}, anaplan.ChunkSizeError{ChunkSize: anaplan.DefaultChunkSize, DataSize: 60000 * mb, MaxChunks: anaplan.MaxChunks}},
		{"stream", csvData(3*mb + 1), anaplan.UploadOptions{ChunkSize: mb, NoGzip: true}.WithMaxChunksForTest(3), anaplan.ChunkSizeError{ChunkSize: mb, DataSize: -1, MaxChunks: 3}},
	} {
		_, err := m.Upload(t.Context(), "113000000000", unsized{bytes.NewReader(tc.data)}, tc.opts)
		var ce *anaplan.ChunkSizeError
		if !errors.As(err, &ce) || *ce != tc.want {
			t.Errorf("%s: err = %v (%+v), want %+v", tc.name, err, ce, tc.want)
			continue
		}
		// Only "split the data" does not send the user to the option.
		if names := strings.Contains(err.Error(), "UploadOptions.ChunkSize"); names == (tc.name == "no chunk fits") {
			t.Errorf("%s: %q names UploadOptions.ChunkSize: %v", tc.name, err, names)
		}
	}
}

// TestUploadOptionsValidate checks options without a reader or the
// network, with the errors Upload would give.
func TestUploadOptionsValidate(t *testing.T) {
	t.Parallel()
	if err := (anaplan.UploadOptions{}).Validate(); err != nil {
		t.Errorf("zero options: %v", err)
	}
	var ce *anaplan.ChunkSizeError
	if err := (anaplan.UploadOptions{ChunkSize: mb, Size: 2048 * mb}).Validate(); !errors.As(err, &ce) || ce.Fit != 3*mb {
		t.Errorf("2048 MB in 1 MB chunks: %v, want a ChunkSizeError fitting 3 MB", err)
	}
	if err := (anaplan.UploadOptions{ChunkSize: 1000 * mb, Size: mb}).Validate(); !errors.As(err, &ce) || ce.DataSize != 0 {
		t.Errorf("1000 MB chunks: %v, want the chunk size out of range", err)
	}
	if err := (anaplan.UploadOptions{Parallel: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "parallelism -1") {
		t.Errorf("negative parallel: %v", err)
	}
}
