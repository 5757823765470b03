package emulator

import "net/http"

// Streaming helpers for large responses (view data, list items, read
// request pages): the engine renders rows a chunk at a time and the
// handler writes each chunk out, so a million-cell answer never sits
// whole in memory.

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
