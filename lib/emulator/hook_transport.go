package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Transport returns an http.RoundTripper that serves requests with the
// emulator's handler in process, without a socket: give it to the client
// under test (http.Client{Transport: e.Transport()}) with any base URL,
// e.g. "http://emulator.invalid". Responses stream: the handler runs in
// its own goroutine and writes into a pipe the response body reads. Since
// nothing waits on the network, a test inside a testing/synctest bubble
// sees every request durably blocked or done.
//
// A dropped connection (Faults.DropRate, or a handler that panics with
// http.ErrAbortHandler) surfaces as it does over TCP: an error from
// RoundTrip before the response started, or from reading the body after.
func (e *Emulator) Transport() http.RoundTripper { return pipeTransport{e.handler} }

// ErrConnectionDropped is what Transport reports where a TCP client would
// see its connection reset.
var ErrConnectionDropped = errors.New("emulator: connection dropped")

type pipeTransport struct{ h http.Handler }

func (t pipeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	sreq := req.Clone(req.Context())
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:1"
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	pr, pw := io.Pipe()
	// A cancelled request ends its body's reads, as net/http's Transport does.
	ctx := req.Context()
	stop := context.AfterFunc(ctx, func() { _ = pr.CloseWithError(ctx.Err()) })
	rw := &pipeWriter{header: http.Header{}, pw: pw, started: make(chan struct{})}
	go func() {
		defer sreq.Body.Close()
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					rw.fail(errors.New("emulator: handler panicked"))
					panic(v)
				}
				rw.fail(ErrConnectionDropped)
				return
			}
			rw.WriteHeader(http.StatusOK)
			_ = pw.Close()
		}()
		t.h.ServeHTTP(rw, sreq)
	}()
	select {
	case <-rw.started:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if rw.err != nil {
		stop()
		return nil, rw.err
	}
	resp := &http.Response{
		Status:        strconv.Itoa(rw.status) + " " + http.StatusText(rw.status),
		StatusCode:    rw.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rw.sent,
		Body:          pipeBody{pr, stop},
		ContentLength: -1,
		Request:       req,
	}
	if n, err := strconv.ParseInt(rw.sent.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = n
	}
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
		_ = pr.Close()
	}
	return resp, nil
}

// pipeBody is a response body that stops watching the request's context
// when closed.
type pipeBody struct {
	*io.PipeReader
	stop func() bool
}

func (b pipeBody) Close() error {
	b.stop()
	return b.PipeReader.Close()
}

// pipeWriter is the handler's side of a pipeTransport exchange.
type pipeWriter struct {
	header http.Header
	pw     *io.PipeWriter

	once    sync.Once
	started chan struct{} // closed at the status line, or a drop before it
	status  int
	sent    http.Header // header as of the status line
	err     error       // a drop before the status line
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(code int) {
	if code < 200 {
		return // 1xx are not passed on
	}
	w.once.Do(func() {
		w.status, w.sent = code, w.header.Clone()
		close(w.started)
	})
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Flush is a no-op: the pipe hands every write to the reader directly.
func (w *pipeWriter) Flush() {}

// fail ends the exchange as a dropped connection would.
func (w *pipeWriter) fail(err error) {
	w.once.Do(func() {
		w.err = err
		close(w.started)
	})
	_ = w.pw.CloseWithError(err)
}
