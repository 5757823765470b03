package emulator

import (
	"maps"
	"net/http"
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

// counters hold the Stats. Served routes are counted lock-free through a
// table built once; rarer keys (405s, unknown paths) and fault kinds go
// through a mutex.
type counters struct {
	router *router
	served map[*route]*counter // read-only after newCounters

	mu     sync.Mutex
	other  map[string]*counter
	faults map[string]int
}

func newCounters(rt *router) *counters {
	c := &counters{
		router: rt,
		served: make(map[*route]*counter),
		other:  make(map[string]*counter),
		faults: make(map[string]int),
	}
	for _, r := range rt.byPattern {
		if r.method != "" && c.served[r] == nil {
			c.served[r] = new(counter)
		}
	}
	return c
}

// counterFor returns the counter of the request's route, as the router
// matches it: the route serving the method, else the path's pattern with
// the request's method, else unmatched.
func (c *counters) counterFor(r *http.Request) *counter {
	if rt := c.router.match(r); rt != nil {
		if n := c.served[rt]; n != nil {
			return n
		}
		return c.otherCounter(r.Method + " " + rt.pattern)
	}
	if _, known := c.router.allowed(r); known != nil {
		return c.otherCounter(r.Method + " " + known.pattern)
	}
	return c.otherCounter(r.Method + " " + unmatchedPattern)
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
	for rt, n := range c.served {
		add(rt.key(), n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.other {
		add(k, n)
	}
	s.Faults = maps.Clone(c.faults)
	return s
}
