package emulator_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// testStart is the injected "now" of every test: inside the demo
// certificate's validity, after every demo date.
var testStart = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // after every demo model was last modified

// harness is an emulator behind a real HTTP server with a fake clock.
type harness struct {
	t     testing.TB
	e     *emulator.Emulator
	srv   *httptest.Server
	clock *emulator.Clock
}

// newHarness starts an emulator; opts.Now is replaced by the fake clock.
func newHarness(t testing.TB, opts emulator.Options) *harness {
	t.Helper()
	c := emulator.NewClock(testStart)
	opts.Now = c.Now
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { // after srv.Close: cleanups run last-in first-out
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return &harness{t: t, e: e, srv: srv, clock: c}
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic map, failing the test if it is not
// a JSON object.
func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d body %q: not a JSON object: %v", r.status, r.body, err)
	}
	return m
}

// do sends a request; authorization may be "" for none.
func (h *harness) do(method, path, authorization string, body string) response {
	h.t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = h.srv.URL + path
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		h.t.Fatalf("request %s %s: %v", method, path, err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// get is an authenticated GET.
func (h *harness) get(path, token string) response {
	h.t.Helper()
	return h.do("GET", path, "AnaplanAuthToken "+token, "")
}

// login authenticates the demo user with Basic auth and returns the token.
func (h *harness) login() string {
	h.t.Helper()
	return h.loginAs(emulator.DemoUser, emulator.DemoPassword)
}

func (h *harness) loginAs(user, password string) string {
	h.t.Helper()
	r := h.do("POST", "/token/authenticate", basic(user, password), "")
	if r.status != http.StatusCreated {
		h.t.Fatalf("login %s: status %d body %s", user, r.status, r.body)
	}
	info := r.json(h.t)["tokenInfo"].(map[string]any)
	return info["tokenValue"].(string)
}

func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// wantStatus fails the test unless r has the given status.
func wantStatus(t testing.TB, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
}

// wantAPIError checks Anaplan's error envelope:
// {"status":{"code":N,"message":M},"path":P,"timestamp":T}.
func wantAPIError(t testing.TB, r response, status int, path, message string) {
	t.Helper()
	wantStatus(t, r, status)
	body := r.json(t)
	st, _ := body["status"].(map[string]any)
	if st == nil || st["code"] != float64(status) || (message != "" && st["message"] != message) {
		t.Errorf("status object = %v, want code %d message %q", body["status"], status, message)
	}
	if body["path"] != path {
		t.Errorf("path = %v, want %q", body["path"], path)
	}
	if ts, _ := body["timestamp"].(string); ts == "" {
		t.Errorf("timestamp missing in %s", r.body)
	} else if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		t.Errorf("timestamp %q: %v", ts, err)
	}
}

// wantAuthError checks the auth service's error body.
func wantAuthError(t testing.TB, r response, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	body := r.json(t)
	if body["status"] != code {
		t.Errorf("status = %v, want %q", body["status"], code)
	}
	if msg, _ := body["statusMessage"].(string); msg == "" {
		t.Errorf("statusMessage missing in %s", r.body)
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
