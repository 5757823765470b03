package emulator

import (
	"bufio"
	"net/http"
)

// Streaming helpers for large responses (view data, list CSV, read
// request pages): rows go out in 32 KiB writes as they are produced, so a
// million-cell answer never sits whole in memory.

// trackedWriter remembers whether the response was started, so an error
// found before the first row still gets Anaplan's error envelope.
type trackedWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackedWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackedWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *trackedWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// flushWriter buffers writes to a response and hands them on in chunks.
type flushWriter struct {
	*bufio.Writer
}

func newFlushWriter(w http.ResponseWriter) *flushWriter {
	return &flushWriter{bufio.NewWriterSize(w, 64<<10)}
}

func (f *flushWriter) maybeFlush() error {
	if f.Buffered() > 32<<10 {
		return f.Flush()
	}
	return nil
}
