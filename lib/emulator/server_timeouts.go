package emulator

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// Defaults of ServerTimeouts.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultBodyGrace         = 30 * time.Second
	DefaultBodyMinRate       = 16 << 10 // bytes per second: 128 kbit/s
)

// ServerTimeouts bound how long the server Start runs waits on a slow or
// silent client, so one that trickles a byte a second cannot hold a
// connection for ever. The zero value takes the defaults; a negative
// value turns that limit off.
//
// A request body has no overall deadline: a 50 MiB chunk over a slow link
// takes minutes, and any fixed ReadTimeout long enough for it lets a
// trickling client hold the connection just as long. Instead the body
// must keep arriving at BodyMinRate on average, after a head start of
// BodyGrace; only the time the handler spends waiting for the client
// counts. At the defaults a 50 MiB chunk may take up to 53 minutes, and
// a client sending a byte a second is cut off after about 30 seconds.
type ServerTimeouts struct {
	// ReadHeader is how long a client has to send a request's headers
	// (http.Server.ReadHeaderTimeout); 0 means DefaultReadHeaderTimeout.
	ReadHeader time.Duration
	// Idle is how long a kept-alive connection may wait for its next
	// request (http.Server.IdleTimeout); 0 means DefaultIdleTimeout.
	Idle time.Duration
	// BodyGrace is how far a request body may lag behind BodyMinRate
	// before the server gives up on it; 0 means DefaultBodyGrace.
	BodyGrace time.Duration
	// BodyMinRate is the slowest average rate, in bytes per second, at
	// which a request body is accepted; 0 means DefaultBodyMinRate.
	BodyMinRate int64
}

// withDefaults fills zero fields with the defaults and turns negative
// ones into 0 (no limit, as net/http reads 0).
func (t ServerTimeouts) withDefaults() ServerTimeouts {
	pick := func(v, def time.Duration) time.Duration {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	t.ReadHeader = pick(t.ReadHeader, DefaultReadHeaderTimeout)
	t.Idle = pick(t.Idle, DefaultIdleTimeout)
	t.BodyGrace = pick(t.BodyGrace, DefaultBodyGrace)
	switch {
	case t.BodyMinRate == 0:
		t.BodyMinRate = DefaultBodyMinRate
	case t.BodyMinRate < 0:
		t.BodyMinRate = 0
	}
	return t
}

// ErrBodyTooSlow is what a handler's body read returns when the client
// sends its request body slower than ServerTimeouts allow.
var ErrBodyTooSlow = errors.New("emulator: the request body arrives too slowly")

// minRateBodies wraps next so that every request body must keep up with
// the timeouts' minimum rate (see ServerTimeouts). It needs the real
// connection's ResponseWriter: it sits outside every other layer.
func minRateBodies(next http.Handler, t ServerTimeouts) http.Handler {
	if t.BodyMinRate <= 0 || t.BodyGrace <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		b := &minRateBody{body: r.Body, rc: http.NewResponseController(w), grace: t.BodyGrace, rate: t.BodyMinRate, now: time.Now}
		r.Body = b
		next.ServeHTTP(w, r)
		if !b.done {
			// net/http reads what the handler left of the body (up to
			// 256 KiB) to reuse the connection: under the same budget.
			_ = b.rc.SetReadDeadline(b.deadline())
		}
	})
}

// minRateBody is a request body read under a budget: BodyGrace plus one
// second per BodyMinRate bytes received, spent only while a Read waits.
type minRateBody struct {
	body   io.ReadCloser
	rc     *http.ResponseController
	grace  time.Duration
	rate   int64
	now    func() time.Time
	read   int64         // bytes received
	waited time.Duration // time spent inside Read
	done   bool          // EOF or a client error: no deadline is left set
	off    bool          // the connection takes no deadlines
}

// deadline is when the budget runs out if the next Read starts now.
func (b *minRateBody) deadline() time.Time {
	budget := b.grace + time.Duration(float64(b.read)/float64(b.rate)*float64(time.Second))
	return b.now().Add(budget - b.waited)
}

func (b *minRateBody) Read(p []byte) (int, error) {
	if b.done || b.off {
		return b.body.Read(p)
	}
	if err := b.rc.SetReadDeadline(b.deadline()); err != nil {
		b.off = true // not a real connection (a test's recorder): no limit
		return b.body.Read(p)
	}
	start := b.now()
	n, err := b.body.Read(p)
	b.waited += b.now().Sub(start)
	b.read += int64(n)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The deadline stays in the past: net/http's read of the rest
		// fails at once and it closes the connection after the answer.
		return n, fmt.Errorf("%w: %d bytes in %v, want at least %d bytes a second: %w",
			ErrBodyTooSlow, b.read, b.waited.Round(time.Millisecond), b.rate, err)
	case err != nil:
		b.done = true
		// Clear the deadline: once the body is read, net/http watches the
		// connection for the client going away, which a deadline would fake.
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

func (b *minRateBody) Close() error { return b.body.Close() }
