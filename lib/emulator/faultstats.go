package emulator

import (
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Stats is a snapshot of the traffic an emulator has served since New:
// what arrived, what reached a handler, and which faults were injected.
// Keys are strings so new counters can be added without breaking callers.
type Stats struct {
	// Requests counts arriving requests by "METHOD pattern", e.g.
	// "GET /2/0/models/{modelId}". A method the path does not serve
	// keeps the path's pattern ("DELETE /2/0/models/{modelId}"); a path
	// no route knows counts as "METHOD (unmatched)".
	Requests map[string]int
	// Handled counts, by the same keys, the requests that reached the
	// router: not answered by an injected 429/5xx, not dropped before
	// acting, not abandoned during Latency. A drop-after was handled.
	// "Each import task started exactly once" is a Handled count.
	Handled map[string]int
	// Faults counts injected faults by kind (FaultRateLimit, ...).
	Faults map[string]int
}

// Stats returns a snapshot of the emulator's traffic counters. It is
// safe to call while requests are being served.
func (e *Emulator) Stats() Stats { return e.traffic.snapshot() }

// unmatchedPattern names paths no route knows in Stats keys.
const unmatchedPattern = "(unmatched)"

// counter is one Stats key's request and handled counts.
type counter struct {
	requests, handled atomic.Int64
}

// counters hold the Stats. Keys of served routes are counted lock-free
// through a table built once; rarer keys (405s, unknown paths) and fault
// kinds go through a mutex.
type counters struct {
	routes []compiledRoute
	served []*counter // by route index; nil for 405-only routes; read-only

	mu     sync.Mutex
	other  map[string]*counter
	faults map[string]int
}

func newCounters(routes []route) *counters {
	c := &counters{
		routes: compileRoutes(routes),
		served: make([]*counter, len(routes)),
		other:  make(map[string]*counter),
		faults: make(map[string]int),
	}
	for i, rt := range c.routes {
		if rt.method != "" {
			c.served[i] = new(counter)
		}
	}
	return c
}

// counterFor returns the counter of the request's route, as the router
// would match it: the most specific route serving the method, else any
// route with the path, else unmatched.
func (c *counters) counterFor(r *http.Request) *counter {
	var buf [16]string
	segs := pathSegments(buf[:0], r)
	best, known := -1, -1
	for i := range c.routes {
		rt := &c.routes[i]
		if !rt.matches(segs) {
			continue
		}
		if rt.method != r.Method {
			if known < 0 || rt.literals > c.routes[known].literals {
				known = i
			}
			continue
		}
		if best < 0 || rt.literals > c.routes[best].literals {
			best = i
		}
	}
	switch {
	case best >= 0:
		return c.served[best]
	case known >= 0:
		return c.otherCounter(r.Method + " " + c.routes[known].pattern)
	}
	return c.otherCounter(r.Method + " " + unmatchedPattern)
}

// pathSegments appends the request's path segments to buf, as
// requestSegments splits them. Without escapes in the path (RawPath
// empty) the decoded path splits the same way at no cost; otherwise it
// defers to requestSegments.
func pathSegments(buf []string, r *http.Request) []string {
	if r.URL.RawPath != "" {
		return requestSegments(r)
	}
	p := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if p == "" {
		return buf
	}
	for {
		seg, rest, more := strings.Cut(p, "/")
		buf = append(buf, seg)
		if !more {
			return buf
		}
		p = rest
	}
}

// matches is match without building the parameter map.
func (c *compiledRoute) matches(segs []string) bool {
	if len(segs) != len(c.segments) {
		return false
	}
	for i, s := range c.segments {
		if isParam(s) {
			if segs[i] == "" {
				return false
			}
		} else if s != segs[i] {
			return false
		}
	}
	return true
}

func (c *counters) otherCounter(key string) *counter {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.other[key]
	if !ok {
		n = new(counter)
		c.other[key] = n
	}
	return n
}

func (c *counters) fault(kind string) {
	c.mu.Lock()
	c.faults[kind]++
	c.mu.Unlock()
}

func (c *counters) snapshot() Stats {
	s := Stats{Requests: map[string]int{}, Handled: map[string]int{}}
	add := func(key string, n *counter) {
		if v := n.requests.Load(); v > 0 {
			s.Requests[key] = int(v)
		}
		if v := n.handled.Load(); v > 0 {
			s.Handled[key] = int(v)
		}
	}
	for i, n := range c.served {
		if n != nil {
			add(c.routes[i].method+" "+c.routes[i].pattern, n)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.other {
		add(k, n)
	}
	s.Faults = maps.Clone(c.faults)
	return s
}

// isAPIPath reports whether the router authenticates the path (it does
// for /2/0 itself and everything under it).
func isAPIPath(p string) bool { return strings.HasPrefix(p, apiPrefix) || p+"/" == apiPrefix }

// isAuthPath reports whether the path belongs to the auth service.
func isAuthPath(p string) bool { return strings.HasPrefix(p+"/", "/token/") }
