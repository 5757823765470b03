package emulator_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestDropAfterActingCutsTheBodyHalfway(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropRate: 1, DropMode: emulator.DropAfterActing, ExemptAuth: true}})
	token := h.login()
	req, _ := http.NewRequest("GET", h.srv.URL+"/2/0/workspaces", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := freshConns().Do(req)
	if err != nil {
		t.Fatalf("Do: %v, want the status line and headers to arrive", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading the body: %v, want io.ErrUnexpectedEOF", err)
	}
	if resp.StatusCode != http.StatusOK || resp.ContentLength <= 0 || len(body) != int(resp.ContentLength)/2 {
		t.Errorf("status %d, Content-Length %d, read %d bytes: want 200 and half the body", resp.StatusCode, resp.ContentLength, len(body))
	}
	s := h.e.Stats()
	if s.Faults[emulator.FaultDropAfter] != 1 || s.Handled["GET /2/0/workspaces"] != 1 {
		t.Errorf("stats = %+v, want one drop-after, handled", s)
	}
}

func TestDropBeforeActingSendsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropRate: 1, DropMode: emulator.DropBeforeActing, ExemptAuth: true}})
	o := h.try(freshConns(), "GET", "/2/0/workspaces", "AnaplanAuthToken "+h.login())
	if o.err == nil {
		t.Fatalf("got %v, want no response", o)
	}
	s := h.e.Stats()
	if s.Faults[emulator.FaultDropBefore] != 1 || s.Handled["GET /2/0/workspaces"] != 0 {
		t.Errorf("stats = %+v, want one drop-before, not handled", s)
	}
}

// Whether a drop happened before or after acting is invisible to the
// client but not to the server's state: a logout dropped after acting
// has killed the token, one dropped before has not. Each emulator on the
// shared state directory runs alone, as the state directory requires.
func TestDropsBeforeAndAfterActingOnLogout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode      emulator.DropMode
		wantAlive bool
	}{
		{emulator.DropBeforeActing, true},
		{emulator.DropAfterActing, false},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "state")
			clean := newHarness(t, emulator.Options{StateDir: dir})
			token := clean.login()
			clean.srv.Close()
			clean.e.Close() // a restart: one emulator holds the directory at a time

			faulty := newHarness(t, emulator.Options{StateDir: dir, Faults: emulator.Faults{DropRate: 1, DropMode: tc.mode}})
			o := faulty.try(freshConns(), "POST", "/token/logout", "AnaplanAuthToken "+token)
			if o.err == nil && o.bodyErr == nil {
				t.Fatalf("logout: %v, want a dropped connection", o)
			}
			if o.err == nil { // a 204 has no body: the cut falls inside the headers
				t.Errorf("logout: status %d arrived, want no response", o.status)
			}
			faulty.srv.Close()
			faulty.e.Close()

			after := newHarness(t, emulator.Options{StateDir: dir})
			got := after.get("/2/0/users/me", token).status
			if alive := got == http.StatusOK; alive != tc.wantAlive || (!alive && got != http.StatusUnauthorized) {
				t.Errorf("after a drop %s acting, GET /users/me = %d; want token alive = %v", tc.mode, got, tc.wantAlive)
			}
		})
	}
}

// A 401 that a drop-after sees is delivered intact (faults never
// replace a 401), and the auth service's 401 counts as one too.
func TestDropAfterPassesA401Through(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropRate: 1, DropMode: emulator.DropAfterActing}})
	o := h.try(freshConns(), "POST", "/token/authenticate", basic(emulator.DemoUser, "wrong"))
	if o.err != nil || o.bodyErr != nil {
		t.Fatalf("bad login: %v %v, want a clean 401", o.err, o.bodyErr)
	}
	wantAuthError(t, o.response(), http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL")
	if n, _ := strconv.Atoi(o.header.Get("Content-Length")); n != len(o.body) {
		t.Errorf("Content-Length %d, body %d bytes", n, len(o.body))
	}
	if f := h.e.Stats().Faults; len(f) != 0 {
		t.Errorf("faults = %v", f)
	}
}

// HTTP/2 cannot hand over its connection; drops reset the stream instead.
func TestDropsOverHTTP2ResetTheStream(t *testing.T) {
	t.Parallel()
	for _, mode := range []emulator.DropMode{emulator.DropBeforeActing, emulator.DropAfterActing} {
		e, err := emulator.New(emulator.Options{Faults: emulator.Faults{DropRate: 1, DropMode: mode, ExemptAuth: true}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(e.Handler())
		srv.EnableHTTP2 = true
		srv.StartTLS()
		defer srv.Close()
		h := &harness{t: t, e: e, srv: srv}
		o := h.try(srv.Client(), "GET", "/2/0/workspaces", "AnaplanAuthToken "+h.login())
		switch {
		case mode == emulator.DropBeforeActing && o.err == nil:
			t.Errorf("drop before acting over HTTP/2: %v, want no response", o)
		case mode == emulator.DropAfterActing && (o.err != nil || o.bodyErr == nil || o.status != http.StatusOK):
			t.Errorf("drop after acting over HTTP/2: %v (%v, %v), want 200 and a broken body", o, o.err, o.bodyErr)
		}
		if o.header != nil && o.header.Get("Content-Length") != "" && len(o.body) >= atoi(o.header.Get("Content-Length")) {
			t.Errorf("the whole body arrived: %d bytes", len(o.body))
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
