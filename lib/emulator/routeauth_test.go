package emulator_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestNoRouteServesWithoutCredentials complements the API route walk
// (TestEveryAPIRouteNeedsAToken): every route in the table, auth service
// included, refuses a request with no Authorization header, and there is
// no route outside the auth service and the API (a debug or health
// endpoint would be served to anyone who can reach the port).
func TestNoRouteServesWithoutCredentials(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	routes := emulator.RoutesOf(h.e)
	for _, rt := range routes {
		method := rt.Method
		if method == "" {
			method = "GET"
		}
		path := samplePath(rt.Pattern)
		switch {
		case strings.HasPrefix(rt.Pattern, "/2/0/"):
			wantStatus(t, h.do(method, path, "", `{"localeName":"en_US"}`), 401)
		case strings.HasPrefix(rt.Pattern, "/token/"):
			r := h.do(method, path, "", "")
			if r.status != 400 && r.status != 401 {
				t.Errorf("%s %s without credentials: %d %s, want 400 or 401", method, path, r.status, r.body)
			}
		case strings.HasPrefix(rt.Pattern, "/oauth/"): // OAuth clients: no client_id, no answer
			wantStatus(t, h.do(method, path, "", ""), 400)
		case rt.Pattern == "/activate": // the verification page: a login form for anyone
			if r := h.do(method, path, "", ""); r.status != 200 || !strings.Contains(string(r.body), `id="login"`) {
				t.Errorf("GET /activate without a session: %d, want the login form", r.status)
			}
		case strings.HasPrefix(rt.Pattern, "/activate/"): // its forms: refused without a page session
			wantStatus(t, h.do(method, path, "", ""), 403)
		default:
			t.Errorf("route %s %s is outside the auth service and the API: who may call it?", rt.Method, rt.Pattern)
		}
	}
	if len(routes) < 40 {
		t.Errorf("the route table has %d routes: is the bulk API missing?", len(routes))
	}
}
