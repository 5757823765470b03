package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// apiPrefix is where the Integration API lives; every path under it needs
// a valid token, even an unknown one (the gateway authenticates first).
const apiPrefix = "/2/0/"

// route is one entry of the route table: method + pattern -> handler.
// Pattern segments in braces ("{modelId}") match one non-empty path
// segment and are readable with r.PathValue. A route with an empty method
// marks a path Anaplan knows but serves no method on: every method gets 405.
type route struct {
	method  string
	pattern string
	handler http.HandlerFunc
}

// compiledRoute is a route split into segments for matching.
type compiledRoute struct {
	route
	segments []string
	literals int // literal segments: the most specific match wins
}

// router matches a request against the route table and writes Anaplan's
// 401/404/405 error envelopes itself.
type router struct {
	e      *Emulator
	routes []compiledRoute
}

func compileRoutes(routes []route) []compiledRoute {
	out := make([]compiledRoute, 0, len(routes))
	for _, rt := range routes {
		c := compiledRoute{route: rt, segments: splitPath(rt.pattern)}
		for _, s := range c.segments {
			if !isParam(s) {
				c.literals++
			}
		}
		out = append(out, c)
	}
	return out
}

// splitPath splits a path into segments. One trailing slash is ignored:
// Anaplan's own examples write both "/imports" and "/imports/".
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// requestSegments splits the escaped path and unescapes each segment, so
// an encoded slash inside a segment (a file name, say) stays in it.
func requestSegments(r *http.Request) []string {
	segs := splitPath(r.URL.EscapedPath())
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	return segs
}

func isParam(seg string) bool {
	return len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}'
}

// match returns the path's parameters if the pattern matches.
func (c *compiledRoute) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(c.segments) {
		return nil, false
	}
	var params map[string]string
	for i, s := range c.segments {
		if isParam(s) {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, 2)
			}
			params[s[1:len(s)-1]] = segs[i]
		} else if s != segs[i] {
			return nil, false
		}
	}
	return params, true
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := requestSegments(r)
	var (
		best    *compiledRoute
		params  map[string]string
		known   bool     // some route has this path
		allowed []string // methods served on this path
	)
	for i := range rt.routes {
		c := &rt.routes[i]
		p, ok := c.match(segs)
		if !ok {
			continue
		}
		known = true
		if c.method != r.Method {
			if c.method != "" && !slices.Contains(allowed, c.method) {
				allowed = append(allowed, c.method)
			}
			continue
		}
		if best == nil || c.literals > best.literals {
			best, params = c, p
		}
	}
	if strings.HasPrefix(r.URL.Path, apiPrefix) || r.URL.Path+"/" == apiPrefix {
		var ok bool
		if r, ok = rt.e.authenticateAPI(w, r); !ok {
			return
		}
	}
	switch {
	case best != nil:
		for k, v := range params {
			r.SetPathValue(k, v)
		}
		best.handler(w, r)
	case known:
		if len(allowed) > 0 {
			slices.Sort(allowed)
			w.Header().Set("Allow", strings.Join(allowed, ", "))
		}
		rt.e.writeAPIError(w, r, http.StatusMethodNotAllowed, "")
	default:
		rt.e.writeAPIError(w, r, http.StatusNotFound, "")
	}
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (fault
// injection will need it to hijack and drop connections).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs method, path and status at debug level. It never logs
// headers or bodies: they carry credentials and tokens.
func (e *Emulator) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		e.log.Debug("emulator request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration", time.Since(start))
	})
}

// recoverPanics turns a handler panic into Anaplan's 500 envelope instead
// of a dropped connection, and logs it.
func (e *Emulator) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				e.log.Error("emulator handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				e.writeAPIError(w, r, http.StatusInternalServerError, "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
