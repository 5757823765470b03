package emulator

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// traffic is the middleware layer that counts every request (Stats) and,
// when Faults are active, delays, answers or drops requests in scope.
type traffic struct {
	e      *Emulator
	faults Faults
	*counters

	mu   sync.Mutex
	seen map[uint64]uint32 // urlKey -> requests so far (for determinism)
}

func newTraffic(e *Emulator, f Faults) *traffic {
	return &traffic{e: e, faults: f, counters: newCounters(e.router), seen: make(map[uint64]uint32)}
}

// middleware wraps next (the router). With no active fault it only
// counts; the zero Faults cost one route match and two atomic adds.
func (t *traffic) middleware(next http.Handler) http.Handler {
	active := t.faults.Active()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := t.counterFor(r)
		n.requests.Add(1)
		if !active || !t.inScope(r.URL.Path) {
			n.handled.Add(1)
			next.ServeHTTP(w, r)
			return
		}
		if t.faults.Latency > 0 && !t.delay(r) {
			return // the client is gone: nothing to answer, nothing done
		}
		key := urlKey(r.Method, r.URL.Path, r.URL.RawQuery)
		d := t.faults.decide(key, t.occurrence(key))
		if d.kind == dropAfter {
			n.handled.Add(1)
			t.dropAfterActing(w, r, next)
			return
		}
		if d.kind != noFault && t.admitted(r) {
			if d.kind == dropBefore {
				t.dropBeforeActing(w, r)
			} else {
				t.writeStatusFault(w, r, d)
			}
			return
		}
		n.handled.Add(1)
		next.ServeHTTP(w, r)
	})
}

// inScope reports whether faults apply to the path.
func (t *traffic) inScope(p string) bool {
	return isAPIPath(p) || (isAuthPath(p) && !t.faults.ExemptAuth)
}

// occurrence returns how many requests with this urlKey came before this
// one, and counts this one.
func (t *traffic) occurrence(key uint64) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.seen[key]
	t.seen[key] = n + 1
	return n
}

// admitted reports whether the request may be faulted: every auth-service
// request, and API requests that pass the router's token check (the same
// check, run against a throwaway writer). An API request the router will
// answer 401 is never faulted (see Faults, "Order").
func (t *traffic) admitted(r *http.Request) bool {
	if !isAPIPath(r.URL.Path) {
		return true
	}
	_, ok := t.e.authenticateAPI(&bufferedResponse{}, r)
	return ok
}

// delay waits Latency or until the client gives up, whichever is first,
// so a cancelled client never leaves a goroutine sleeping. It reports
// whether the request should go on.
func (t *traffic) delay(r *http.Request) bool {
	t.fault(FaultLatency)
	timer := time.NewTimer(t.faults.Latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		t.fault(FaultCancelled)
		t.e.log.Debug("emulator fault", "kind", FaultCancelled, "method", r.Method, "path", r.URL.Path)
		return false
	}
}

// writeStatusFault answers 429 or 5xx with Anaplan's error envelope and,
// when decided, a Retry-After as delta-seconds or as an HTTP-date on the
// emulator's clock.
func (t *traffic) writeStatusFault(w http.ResponseWriter, r *http.Request, d decision) {
	kind := FaultRateLimit
	if d.status != http.StatusTooManyRequests {
		kind = "error-" + strconv.Itoa(d.status)
	}
	t.fault(kind)
	t.e.log.Debug("emulator fault", "kind", kind, "method", r.Method, "path", r.URL.Path)
	if d.retryAfter >= 0 {
		v := strconv.Itoa(d.retryAfter)
		if d.httpDate {
			v = t.e.now().Add(time.Duration(d.retryAfter) * time.Second).UTC().Format(http.TimeFormat)
		}
		w.Header().Set("Retry-After", v)
	}
	t.e.writeAPIError(w, r, d.status, "")
}

// dropBeforeActing closes the connection without running the handler or
// sending a byte.
func (t *traffic) dropBeforeActing(w http.ResponseWriter, r *http.Request) {
	t.fault(FaultDropBefore)
	t.e.log.Debug("emulator fault", "kind", FaultDropBefore, "method", r.Method, "path", r.URL.Path)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: the server resets the stream
	}
	_ = conn.Close()
}

// dropAfterActing runs the handler into a buffer, then sends its status
// line and headers, with the full Content-Length, and only the first half
// of the body before closing the connection. An empty body is cut inside
// the header block instead. A 401 is passed through untouched.
func (t *traffic) dropAfterActing(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := &bufferedResponse{}
	next.ServeHTTP(rec, r)
	if rec.statusCode() == http.StatusUnauthorized {
		rec.replay(w)
		return
	}
	t.fault(FaultDropAfter)
	t.e.log.Debug("emulator fault", "kind", FaultDropAfter, "method", r.Method, "path", r.URL.Path)

	header := rec.sent.Clone()
	body := rec.body.Bytes()
	if len(body) > 0 {
		header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	conn, bw, err := http.NewResponseController(w).Hijack()
	if err != nil { // HTTP/2: send what we can, then reset the stream
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.statusCode())
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	status := rec.statusCode()
	fmt.Fprintf(bw, "HTTP/1.1 %03d %s\r\n", status, http.StatusText(status))
	_ = header.Write(bw)
	if len(body) > 0 {
		_, _ = bw.WriteString("\r\n")
		_, _ = bw.Write(body[:len(body)/2])
	}
	_ = bw.Flush()
}

// bufferedResponse is an http.ResponseWriter that keeps the response in
// memory, so it can be inspected, then replayed or cut.
type bufferedResponse struct {
	header http.Header
	sent   http.Header // header as of WriteHeader
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header {
	if b.header == nil {
		b.header = make(http.Header)
	}
	return b.header
}

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status != 0 || code < 200 {
		return // like net/http: first final status wins; 1xx are not kept
	}
	b.status = code
	b.sent = b.Header().Clone()
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

func (b *bufferedResponse) statusCode() int {
	b.WriteHeader(http.StatusOK) // a handler that wrote nothing sent 200
	return b.status
}

// replay writes the buffered response to w unchanged.
func (b *bufferedResponse) replay(w http.ResponseWriter) {
	status := b.statusCode()
	for k, v := range b.sent {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	_, _ = w.Write(b.body.Bytes())
}
