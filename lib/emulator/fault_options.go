package emulator

import (
	"fmt"
	"strings"
	"time"
)

// Faults make the emulator misbehave the way a busy tenant does, so that
// clients prove their retries and token handling. The zero value injects
// nothing. Faults apply to the Integration API (/2/0/...) and to the auth
// service (/token/...) unless ExemptAuth is set; other paths are never
// faulted.
//
// # Order: authentication first
//
// An API request without a live token is answered 401 and is never
// replaced by a 429, a 5xx or a dropped connection (Latency still delays
// it: a slow network slows everything). Anaplan's limits are per tenant
// and user, so its limiter must know the caller first; and a 401 is what
// drives a client's re-authentication, so it must stay deterministic for
// the token-lifecycle tests. The auth service itself is faulted in front
// of its credential check (there is no token to check yet); only a
// drop-after spares a 401, because it sees the answer before cutting it.
//
// # Determinism
//
// Each decision is a pure function of (Seed, method, URL path, raw query,
// n), where n counts earlier requests with the same method, path and
// query. No shared random stream is consumed, so concurrent requests to
// different URLs cannot shift each other's faults: the same seed and the
// same per-URL request sequence inject the same faults, and a failing run
// replays with its seed. Headers (tokens) never enter the decision, and
// only 64-bit hashes of URLs are kept.
//
// # Dropped connections
//
// A drop cuts the connection: the client gets a transport error, never an
// HTTP status. DropMode says whether the emulator acted first:
//
//   - before acting: the connection is closed right after the request
//     arrives, before the handler runs; nothing was done and nothing is
//     sent (Go's Transport itself replays a GET once when this happens
//     on a reused connection, as it would against a real server);
//   - after acting: the handler runs (a token is revoked, a chunk stored,
//     a task started), then the response goes out with its full
//     Content-Length but only part of its body (or, for an empty body,
//     part of its header block) and the connection is closed.
//
// A client cannot tell the two apart, and that is the point: after a lost
// response to a POST that may have acted (an import task started), it must
// not replay the POST blindly; an idempotent request (GET, chunk PUT) is
// safe to retry either way. DropMixed, the default, injects both, so a
// client that always replays and a client that never retries both fail.
type Faults struct {
	// RateLimit is the fraction of requests answered 429 Too Many
	// Requests with a Retry-After of 0 to 2 seconds, as delta-seconds or
	// as an HTTP-date computed from Options.Now (both forms occur). The
	// body of every injected status is the Integration API's error
	// envelope, on the auth service too (what its gateway sends is not
	// documented anywhere).
	RateLimit float64
	// ErrorRate is the fraction answered 500, 502 or 503 (a third each);
	// half of the 503s carry a Retry-After.
	ErrorRate float64
	// DropRate is the fraction of requests whose connection is dropped;
	// DropMode says whether before or after the handler acts.
	DropRate float64
	// DropMode chooses drop-before-acting, drop-after-acting, or both.
	DropMode DropMode
	// Latency delays every request in scope before it is handled.
	// A client that gives up during the delay is not handled at all.
	Latency time.Duration
	// Seed makes the injection reproducible (see "Determinism").
	Seed int64
	// ExemptAuth leaves the auth service (/token/...) unfaulted, for
	// tests that need a reliable login.
	ExemptAuth bool
}

// Fault kinds, the keys of Stats.Faults.
const (
	FaultRateLimit  = "rate-limit"        // 429 with Retry-After
	FaultError500   = "error-500"         // 500 Internal Server Error
	FaultError502   = "error-502"         // 502 Bad Gateway
	FaultError503   = "error-503"         // 503 Service Unavailable
	FaultDropBefore = "drop-before"       // connection closed before the handler ran
	FaultDropAfter  = "drop-after"        // handler ran, response cut mid-body
	FaultLatency    = "latency"           // request delayed by Faults.Latency
	FaultCancelled  = "latency-cancelled" // client gave up during the delay; not handled
)

// DropMode says whether a dropped request reached its handler.
type DropMode int

const (
	// DropMixed decides per dropped request, half each, from the seed.
	DropMixed DropMode = iota
	// DropBeforeActing closes the connection before the handler runs.
	DropBeforeActing
	// DropAfterActing runs the handler, then cuts its response.
	DropAfterActing
)

var dropModeNames = [...]string{DropMixed: "mixed", DropBeforeActing: "before", DropAfterActing: "after"}

// String returns "mixed", "before" or "after".
func (m DropMode) String() string {
	if m >= 0 && int(m) < len(dropModeNames) {
		return dropModeNames[m]
	}
	return fmt.Sprintf("DropMode(%d)", int(m))
}

// MarshalText returns the name UnmarshalText accepts.
func (m DropMode) MarshalText() ([]byte, error) {
	if m < 0 || int(m) >= len(dropModeNames) {
		return nil, fmt.Errorf("unknown drop mode %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText parses "mixed", "before" or "after", so a DropMode works
// with flag.TextVar and encoding/json.
func (m *DropMode) UnmarshalText(text []byte) error {
	for i, name := range dropModeNames {
		if strings.EqualFold(string(text), name) {
			*m = DropMode(i)
			return nil
		}
	}
	return fmt.Errorf("drop mode %q: want mixed, before or after", text)
}

// Active reports whether any fault is configured.
func (f Faults) Active() bool {
	return f.RateLimit > 0 || f.ErrorRate > 0 || f.DropRate > 0 || f.Latency > 0
}

// String lists the active faults in the sandbox's flag syntax, so a run
// can be replayed from its banner or log; "none" when nothing is active.
func (f Faults) String() string {
	if !f.Active() {
		return "none"
	}
	var parts []string
	add := func(flag string, v float64) {
		if v > 0 {
			parts = append(parts, fmt.Sprintf("-%s %g", flag, v))
		}
	}
	add("rate-limit", f.RateLimit)
	add("error-rate", f.ErrorRate)
	add("drop-rate", f.DropRate)
	if f.DropRate > 0 {
		parts = append(parts, "-drop-mode "+f.DropMode.String())
	}
	if f.Latency > 0 {
		parts = append(parts, "-latency "+f.Latency.String())
	}
	parts = append(parts, fmt.Sprintf("-seed %d", f.Seed))
	if f.ExemptAuth {
		parts = append(parts, "-exempt-auth")
	}
	return strings.Join(parts, " ")
}

// validate checks the fractions and the latency; its one-line error
// names the first field at fault.
func (f Faults) validate() error {
	for _, c := range []struct {
		name string
		v    float64
	}{{"RateLimit", f.RateLimit}, {"ErrorRate", f.ErrorRate}, {"DropRate", f.DropRate}} {
		if !(c.v >= 0 && c.v <= 1) { // also refuses NaN
			return fmt.Errorf("faults: %s %v is not a fraction between 0 and 1", c.name, c.v)
		}
	}
	if sum := f.RateLimit + f.ErrorRate + f.DropRate; sum > 1+1e-9 {
		return fmt.Errorf("faults: RateLimit+ErrorRate+DropRate = %v exceeds 1 (each request gets at most one fault)", sum)
	}
	if f.Latency < 0 {
		return fmt.Errorf("faults: Latency %v is negative", f.Latency)
	}
	if _, err := f.DropMode.MarshalText(); err != nil {
		return fmt.Errorf("faults: %w", err)
	}
	return nil
}

// faultKind is what happens to one request.
type faultKind uint8

const (
	noFault faultKind = iota
	statusFault
	dropBefore
	dropAfter
)

// decision is the fault chosen for one request.
type decision struct {
	kind       faultKind
	status     int  // statusFault: 429, 500, 502 or 503
	retryAfter int  // seconds; -1 for no Retry-After header
	httpDate   bool // write Retry-After as an HTTP-date, not delta-seconds
}

// maxRetryAfter keeps injected Retry-After short so tests stay fast.
const maxRetryAfter = 2

// decide draws the fault for the n-th request (from 0) with this urlKey.
// The draws happen in a fixed order, so a decision never depends on
// another request's.
func (f *Faults) decide(key uint64, n uint32) decision {
	d := draws(splitmix64(splitmix64(uint64(f.Seed)^key) ^ uint64(n)))
	u := d.unit()
	switch {
	case u < f.RateLimit:
		return decision{kind: statusFault, status: 429, retryAfter: d.intn(maxRetryAfter + 1), httpDate: d.intn(2) == 0}
	case u < f.RateLimit+f.ErrorRate:
		status := [...]int{500, 502, 503}[d.intn(3)]
		ra := decision{kind: statusFault, status: status, retryAfter: -1}
		if status == 503 && d.intn(2) == 0 {
			ra.retryAfter, ra.httpDate = d.intn(maxRetryAfter+1), d.intn(2) == 0
		}
		return ra
	case u < f.RateLimit+f.ErrorRate+f.DropRate:
		switch f.DropMode {
		case DropBeforeActing:
			return decision{kind: dropBefore}
		case DropAfterActing:
			return decision{kind: dropAfter}
		}
		return decision{kind: [...]faultKind{dropBefore, dropAfter}[d.intn(2)]}
	}
	return decision{kind: noFault}
}

// urlKey is the 64-bit FNV-1a hash of method, path and raw query.
func urlKey(method, path, rawQuery string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range [...]string{method, path, rawQuery} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h = (h ^ 0xff) * prime // separator: ("ab","c") != ("a","bc")
	}
	return h
}

// splitmix64 is a strong 64-bit mixer (Steele, Lea, Flood 2014).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// draws is a splitmix64 sequence private to one decision.
type draws uint64

func (d *draws) next() uint64 {
	*d += 0x9e3779b97f4a7c15
	return splitmix64(uint64(*d))
}

// unit is uniform in [0, 1).
func (d *draws) unit() float64 { return float64(d.next()>>11) / (1 << 53) }

// intn is uniform in [0, n) for small n.
func (d *draws) intn(n int) int { return int(d.next() % uint64(n)) }
