package anaplan_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The client's tests run against the emulator, the project's one fake of
// Anaplan. harness adds what a test needs around it through the
// emulator's test hooks: a Clock shared with the client, and an
// Intercept that records requests, holds them open, and answers instead
// of the emulator where a test needs what Anaplan only does on a bad day
// (a 503 on page 3, an odd body, a task state nobody has seen yet).

const (
	// testUser logs in with testPassword, or with the test certificate
	// (pki_test.go) once setCert registered it.
	testUser     = "analyst@example.com"
	testPassword = "s3cret-Pa55word!"
	testUserID   = "8a81b09d599f5c9a015a0f6b9f2d1234"

	// The bulk tests' model: the demo tenant's Model Registry.
	bulkWS    = emulator.RegistryWorkspaceID
	bulkModel = emulator.RegistryModelID
)

// testStart is where every harness clock starts.
var testStart = time.Date(2025, 6, 24, 3, 47, 6, 0, time.UTC)

type harness struct {
	t        testing.TB
	clock    *emulator.Clock
	user     string
	password string
	srv      *httptest.Server // nil in a bubble (newBubbleHarness)
	url      string           // base URL of the auth service and the API
	hc       *http.Client     // reaches url

	mu sync.Mutex
	e  *emulator.Emulator // built by the first request, so tests can configure first
	// Settings read when the emulator is built.
	tenant       *emulator.Tenant
	ttl          time.Duration
	taskDuration time.Duration
	// Server paging quirks, applied to list requests: pageCap lowers the
	// largest page; ignoreLimit serves the largest page whatever the
	// limit; stuckOffset always serves offset 0.
	pageCap     int
	ignoreLimit bool
	stuckOffset bool

	answers  map[string]http.HandlerFunc // by "METHOD path" or route pattern
	gates    map[string]func()           // by route pattern
	calls    map[string]int              // "METHOD path" -> requests
	queries  map[string][]url.Values     // "METHOD path" -> queries in order
	lastCert certAttempt
	tokens   map[string]bool // every token the client sent, for revokeAll
	bulk     *bulkRecorder
}

// certAttempt is what the client sent in the last certificate login.
type certAttempt struct {
	Format    string
	DataLen   int
	Timestamp int64 // v2 only, as sent
}

// newHarness serves the demo tenant plus the test user, on a clock at
// testStart.
func newHarness(t testing.TB) *harness {
	t.Helper()
	h := blankHarness(t)
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.emulator().Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	h.url, h.hc = h.srv.URL, h.srv.Client()
	h.closeEmulatorAtCleanup()
	return h
}

// newBubbleHarness is newHarness for a testing/synctest bubble: no
// socket, the client reaches the emulator through its in-process
// Transport, so every goroutine involved is in the bubble and
// synctest.Wait (or a fake-time timer) is a barrier.
func newBubbleHarness(t *testing.T) *harness {
	t.Helper()
	h := blankHarness(t)
	h.url = "http://127.0.0.1:1" // never dialled: the Transport serves it
	h.hc = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return h.emulator().Transport().RoundTrip(r)
	})}
	h.closeEmulatorAtCleanup()
	return h
}

func blankHarness(t testing.TB) *harness {
	return &harness{
		t:        t,
		clock:    emulator.NewClock(testStart),
		user:     testUser,
		password: testPassword,
		tenant:   withTestUser(emulator.Demo()),
		answers:  map[string]http.HandlerFunc{},
		gates:    map[string]func(){},
		calls:    map[string]int{},
		queries:  map[string][]url.Values{},
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// settleBubble returns once every other goroutine of the synctest bubble
// is durably blocked: the bubble's fake clock moves only then. Unlike
// synctest.Wait, any number of goroutines may call it at once (each
// handler of a parallel upload, say).
func settleBubble() { <-time.After(time.Nanosecond) }

func (h *harness) closeEmulatorAtCleanup() {
	h.t.Cleanup(func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.e != nil {
			_ = h.e.Close()
		}
	})
}

// withTestUser adds testUser to a tenant.
func withTestUser(t *emulator.Tenant) *emulator.Tenant {
	t.Users = append(t.Users, emulator.User{
		ID: testUserID, Email: testUser, FirstName: "Ana", LastName: "Lyst", Active: true,
		PasswordHash: emulator.HashPassword(testPassword),
	})
	return t
}

// setCert registers a (self-signed) certificate for API use: the tenant
// trusts it, and its subject logs in as testUser.
func (h *harness) setCert(cert *x509.Certificate) {
	h.set(func(h *harness) {
		h.tenant.TrustedCAs = append(h.tenant.TrustedCAs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	})
}

// emulator returns the emulator, building it on first use.
func (h *harness) emulator() *emulator.Emulator {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.e == nil {
		e, err := emulator.New(emulator.Options{
			Tenant: h.tenant, Now: h.clock.Now, TokenTTL: h.ttl, TaskDuration: h.taskDuration,
			Intercept: h.intercept,
		})
		if err != nil {
			h.t.Fatalf("emulator: %v", err)
		}
		h.e = e
	}
	return h.e
}

// pass lets d go by for the emulator: running engine runs end, then the
// clock moves on.
func (h *harness) pass(d time.Duration) {
	h.emulator().Settle()
	h.clock.Advance(d)
}

// setModels serves a generated tenant of n models in 7 workspaces.
func (h *harness) setModels(n int) {
	h.set(func(h *harness) { h.tenant = withTestUser(emulator.Generate(7, n)) })
}

// tenantModels lists the served tenant's models in the tenant's order.
func (h *harness) tenantModels() []emulator.Model {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tenant.Models
}

// client returns a client for the harness on its clock, no real sleeps
// (waits are recorded in the returned *waits), logged in as testUser.
func (h *harness) client(t testing.TB, opts ...anaplan.Option) (*anaplan.Client, *waits) {
	t.Helper()
	return h.clientWith(t, anaplan.BasicAuth(h.user, h.password), opts...)
}

// clientWith is client with other credentials.
func (h *harness) clientWith(t testing.TB, creds anaplan.Credentials, opts ...anaplan.Option) (*anaplan.Client, *waits) {
	t.Helper()
	w := &waits{}
	h.mu.Lock()
	if h.bulk != nil {
		w.advance = h.pass
	}
	h.mu.Unlock()
	base := []anaplan.Option{
		anaplan.WithAuthURL(h.url),
		anaplan.WithAPIURL(h.url + "/2/0"),
		anaplan.WithHTTPClient(h.hc),
		anaplan.WithClock(h.clock.Now),
		anaplan.WithSleep(w.sleep),
	}
	c, err := anaplan.New(creds, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, w
}

// waits records retry and poll waits instead of sleeping. With advance
// set (the bulk tests), a wait also lets the emulator's engine runs end
// and moves the shared clock on by the wait, so tasks progress as they
// would over that time.
type waits struct {
	mu      sync.Mutex
	d       []time.Duration
	advance func(time.Duration)
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	advance := w.advance
	w.mu.Unlock()
	if advance != nil && ctx.Err() == nil {
		advance(d)
	}
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// count is how many requests "METHOD /path" reached the emulator's routes.
func (h *harness) count(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[key]
}

func (h *harness) queriesOf(key string) []url.Values {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]url.Values(nil), h.queries[key]...)
}

// answer answers "METHOD /path" (or every request of a route pattern,
// "METHOD pattern") with a instead of the emulator.
func (h *harness) answer(key string, a http.HandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.answers[key] = a
}

// hold runs g before the emulator answers "authenticate" or "refresh".
func (h *harness) hold(name string, g func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gates["POST /token/"+name] = g
}

// set changes the harness's settings under its lock.
func (h *harness) set(change func(h *harness)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	change(h)
}

func (h *harness) lastCertAttempt() certAttempt {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastCert
}

// revokeAll logs out every token the client has used, as a logout
// elsewhere would: the emulator then answers 401 to each.
func (h *harness) revokeAll() {
	h.mu.Lock()
	tokens := h.tokens
	h.tokens = nil
	h.mu.Unlock()
	for tok := range tokens {
		req, _ := http.NewRequest("POST", h.url+"/token/logout", nil)
		req.Header.Set("Authorization", "AnaplanAuthToken "+tok)
		req.Header.Set(harnessHeader, "1")
		resp, err := h.hc.Do(req)
		if err != nil {
			h.t.Fatal(err)
		}
		resp.Body.Close()
	}
}

// intercept is the emulator's Intercept: records, gates, answers, then
// the paging quirks and the bulk recorder, then the emulator.
func (h *harness) intercept(w http.ResponseWriter, r *http.Request, route string, next http.Handler) {
	if r.Header.Get(harnessHeader) != "" {
		next.ServeHTTP(w, r) // the harness's own request: not the client's
		return
	}
	key := r.Method + " " + r.URL.Path
	h.mu.Lock()
	h.calls[key]++
	h.queries[key] = append(h.queries[key], r.URL.Query())
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AnaplanAuthToken "); ok {
		if h.tokens == nil {
			h.tokens = map[string]bool{}
		}
		h.tokens[tok] = true
	}
	a := h.answers[key]
	if a == nil {
		a = h.answers[route]
	}
	gate, rec := h.gates[route], h.bulk
	pageCap, ignoreLimit, stuck := h.pageCap, h.ignoreLimit, h.stuckOffset
	h.mu.Unlock()
	if gate != nil {
		gate()
	}
	if route == "POST /token/authenticate" {
		h.recordCert(r)
	}
	rest := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && (pageCap > 0 || ignoreLimit || stuck) {
			q := r.URL.Query()
			switch {
			case ignoreLimit:
				q.Set("limit", "5000")
			case pageCap > 0 && (q.Get("limit") == "" || atoi(q.Get("limit")) > pageCap):
				q.Set("limit", fmt.Sprint(pageCap))
			}
			if stuck {
				q.Del("offset")
			}
			r.URL.RawQuery = q.Encode()
		}
		if rec != nil && rec.serve(w, r, route, next) {
			return
		}
		next.ServeHTTP(w, r)
	})
	if a != nil {
		a(w, r.WithContext(context.WithValue(r.Context(), nextKey{}, rest)))
		return
	}
	rest(w, r)
}

func atoi(s string) int {
	var n int
	_, _ = fmt.Sscan(s, &n)
	return n
}

// harnessHeader marks the harness's own requests, which bypass the records.
const harnessHeader = "X-Test-Harness"

type nextKey struct{}

// api lets an answer pass the request on after all (to the recorder and
// the emulator).
func (h *harness) api(w http.ResponseWriter, r *http.Request) {
	r.Context().Value(nextKey{}).(http.Handler).ServeHTTP(w, r)
}

// recordCert notes what a certificate login sent, leaving the body for
// the emulator.
func (h *harness) recordCert(r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "CACertificate ") {
		return
	}
	body := peekBody(r)
	var b struct {
		Format string `json:"encodedDataFormat"`
		Data   string `json:"encodedData"`
	}
	if json.Unmarshal(body, &b) != nil {
		return
	}
	data, err := base64.StdEncoding.DecodeString(b.Data)
	if err != nil {
		return
	}
	a := certAttempt{Format: b.Format, DataLen: len(data)}
	if b.Format == "v2" && len(data) >= 8 {
		a.Timestamp = int64(binary.BigEndian.Uint64(data[:8]))
	}
	h.mu.Lock()
	h.lastCert = a
	h.mu.Unlock()
}

// peekBody reads the request body and puts it back for the next reader.
func peekBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// token logs in as testUser directly, for checks on the emulator's state.
func (h *harness) token() string {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.url+"/token/authenticate", nil)
	req.SetBasicAuth(h.user, h.password)
	req.Header.Set(harnessHeader, "1")
	resp, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		TokenInfo struct {
			TokenValue string `json:"tokenValue"`
		} `json:"tokenInfo"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.TokenInfo.TokenValue == "" {
		h.t.Fatalf("harness login: %d %v", resp.StatusCode, err)
	}
	return v.TokenInfo.TokenValue
}

// get does a GET under the API with a fresh token, bypassing the client.
func (h *harness) get(path string) (int, []byte) {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.url+"/2/0"+path, nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+h.token())
	req.Header.Set(harnessHeader, "1")
	resp, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// Answer writers, for intercepts: Anaplan's bodies, or deliberately odd ones.

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// authError is the auth service's error body.
func authError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]string{"status": code, "statusMessage": message})
}

// apiError is the Integration API's error envelope.
func apiError(w http.ResponseWriter, r *http.Request, status int, message string) {
	writeJSON(w, status, map[string]any{
		"status": map[string]any{"code": status, "message": message},
		"path":   r.URL.Path, "timestamp": "2026-07-14T13:55:12.198115662Z",
	})
}

func envelope(schema string, key string, v any) map[string]any {
	return map[string]any{
		"meta":   map[string]any{"schema": "https://api.anaplan.com/2/0/objects/" + schema},
		"status": map[string]any{"code": 200, "message": "Success"},
		key:      v,
	}
}

// do sends a request to the API with a fresh token, bypassing the client
// and the recorder's counts of what the client sent.
func (h *harness) do(method, path, contentType string, body []byte) int {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.url+"/2/0"+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "AnaplanAuthToken "+h.token())
	req.Header.Set(harnessHeader, "1")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
