package emulator

import (
	"net/http"
	"path"
	"slices"
	"strings"
)

// apiPrefix is where the Integration API lives; every path under it needs
// a valid token, even an unknown one (the gateway authenticates first).
const apiPrefix = "/2/0/"

// Model-scoped routes answer under both prefixes (anaplan-api.md §13).
const (
	workspaceModelPrefix = "/2/0/workspaces/{workspaceId}/models/{modelId}"
	modelPrefix          = "/2/0/models/{modelId}"
)

// route is one entry of a seam's route list: method + net/http.ServeMux
// pattern -> handler, which reads the pattern's wildcards with
// r.PathValue. A route with an empty method marks a path Anaplan knows
// but serves no method on: every method gets 405.
type route struct {
	method  string
	pattern string
	handler http.HandlerFunc
}

// modelRoutes is one model-scoped route in both of Anaplan's forms:
// /2/0/workspaces/{workspaceId}/models/{modelId}+suffix and
// /2/0/models/{modelId}+suffix. Handlers resolve the model with
// scopedModel, which checks the workspace only when the path names one.
func modelRoutes(method, suffix string, h http.HandlerFunc) []route {
	return []route{
		{method, workspaceModelPrefix + suffix, h},
		{method, modelPrefix + suffix, h},
	}
}

// key is the route's name in Stats and Intercept: "METHOD pattern".
func (rt route) key() string { return rt.method + " " + rt.pattern }

// router dispatches through a net/http.ServeMux and writes Anaplan's
// 401/404/405 error envelopes itself: ServeMux's own plain-text 404 and
// 405 answers never reach a client.
type router struct {
	e   *Emulator
	mux *http.ServeMux
	// byPattern maps each registered mux pattern to its route (a route
	// is registered twice: with and without a trailing slash).
	byPattern map[string]*route
	methods   []string // every method some route serves, for Allow
}

// newRouter registers the routes. One trailing slash is accepted on every
// path ("/imports/"): Anaplan's own examples write both forms.
func newRouter(e *Emulator, routes []route) *router {
	rt := &router{e: e, mux: http.NewServeMux(), byPattern: map[string]*route{}}
	for i := range routes {
		r := &routes[i]
		h := rt.wrap(r)
		for _, p := range []string{r.pattern, r.pattern + "/{$}"} {
			mp := strings.TrimSpace(r.method + " " + p)
			rt.mux.Handle(mp, h)
			rt.byPattern[mp] = r
		}
		if r.method != "" && !slices.Contains(rt.methods, r.method) {
			rt.methods = append(rt.methods, r.method)
		}
	}
	slices.Sort(rt.methods)
	return rt
}

// wrap is a route's handler as the mux calls it: the test intercept
// first, then (under /2/0/) the token check, then the route's handler.
func (rt *router) wrap(r *route) http.Handler {
	e := rt.e
	var h http.Handler = r.handler
	if r.handler == nil {
		h = http.HandlerFunc(rt.notAllowed)
	}
	if strings.HasPrefix(r.pattern, apiPrefix) {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			req, ok := e.authenticateAPI(w, req)
			if ok {
				inner.ServeHTTP(w, req)
			}
		})
	}
	if e.intercept == nil || r.handler == nil {
		return h
	}
	key := r.key()
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		e.intercept(w, req, key, h)
	})
}

// match returns the route serving the request, or nil. A path that is not
// in canonical form ("//", "..") matches nothing: ServeMux would redirect
// it, Anaplan answers 404.
func (rt *router) match(r *http.Request) *route {
	if r.Method == http.MethodHead || r.Method == http.MethodConnect {
		return nil // ServeMux lets GET serve HEAD; the emulator does not
	}
	p := r.URL.EscapedPath()
	if c := path.Clean(p); c != p && c+"/" != p {
		return nil
	}
	_, pattern := rt.mux.Handler(r)
	return rt.byPattern[pattern]
}

// allowed lists the methods the request's path is served with, and
// whether any route knows the path at all.
func (rt *router) allowed(r *http.Request) (methods []string, known *route) {
	for _, m := range rt.methods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if k := rt.match(probe); k != nil {
			if k.method != "" {
				methods = append(methods, m)
			}
			if known == nil {
				known = k
			}
		}
	}
	return methods, known
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.match(r) != nil {
		rt.mux.ServeHTTP(w, r)
		return
	}
	if isAPIPath(r.URL.Path) {
		var ok bool
		if r, ok = rt.e.authenticateAPI(w, r); !ok {
			return
		}
	}
	if methods, known := rt.allowed(r); known != nil {
		if len(methods) > 0 {
			w.Header().Set("Allow", strings.Join(methods, ", "))
		}
		rt.notAllowed(w, r)
		return
	}
	rt.e.writeAPIError(w, r, http.StatusNotFound, "")
}

func (rt *router) notAllowed(w http.ResponseWriter, r *http.Request) {
	rt.e.writeAPIError(w, r, http.StatusMethodNotAllowed, "")
}

// isAPIPath reports whether the router authenticates the path (it does
// for /2/0 itself and everything under it).
func isAPIPath(p string) bool { return strings.HasPrefix(p, apiPrefix) || p+"/" == apiPrefix }

// isAuthPath reports whether the path belongs to the auth service.
func isAuthPath(p string) bool { return strings.HasPrefix(p+"/", "/token/") }
