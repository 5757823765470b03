package anaplan_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// This file holds a small fake of Anaplan's auth service and the slice of
// the Integration API the client reads, faithful to
// ../shared/anaplan-api.md §2-4 (status codes, envelopes, paging meta,
// omitted empty collections). Tests talk to it only over HTTP through
// newFake().client(), so they can later run against lib/emulator by
// swapping the handler.

// fakeClock is a settable clock shared by the fake server and the client.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 6, 24, 3, 47, 6, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Wire types of the fake: its own, not the client's, so a wrong JSON tag
// cannot hide by being wrong on both sides.
type fakeTokenInfo struct {
	TokenID        string `json:"tokenId"`
	TokenValue     string `json:"tokenValue,omitempty"`
	ExpiresAt      int64  `json:"expiresAt"`
	RefreshTokenID string `json:"refreshTokenId,omitempty"`
}

type fakeModel struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	ActiveState          string `json:"activeState"`
	CurrentWorkspaceID   string `json:"currentWorkspaceId"`
	CurrentWorkspaceName string `json:"currentWorkspaceName"`
	ModelURL             string `json:"modelUrl"`
	MemoryUsage          int64  `json:"memoryUsage,omitempty"`
	IsoCreationDate      string `json:"isoCreationDate,omitempty"`
}

type fakeWorkspace struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Active        bool   `json:"active"`
	SizeAllowance int64  `json:"sizeAllowance,omitempty"`
	CurrentSize   int64  `json:"currentSize,omitempty"`
}

type fakeAnaplan struct {
	t        *testing.T
	clock    *fakeClock
	user     string
	password string
	cert     *x509.Certificate // accepted for CACertificate auth
	ttl      time.Duration

	// Paging behaviour: pageCap caps the limit (Anaplan: 5000); ignoreLimit
	// returns everything from offset; stuckOffset always serves offset 0.
	pageCap     int
	ignoreLimit bool
	stuckOffset bool

	// gates, when set, run inside a handler before it answers ("authenticate",
	// "refresh"); concurrency tests use them to hold a request open.
	gates map[string]func()
	// override, when set for "METHOD /path", answers instead of the fake.
	override map[string]http.HandlerFunc

	mu         sync.Mutex
	seq        int
	tokens     map[string]fakeTokenInfo // by value
	calls      map[string]int           // "METHOD /path" -> count
	queries    map[string][]url.Values  // "METHOD /path" -> queries in order
	lastCert   certAttempt
	workspaces []fakeWorkspace
	models     []fakeModel
	// bulk, when set (see newBulk), serves one model's bulk API.
	bulk *fakeBulk

	srv *httptest.Server
}

// certAttempt is what the fake saw in the last certificate authentication.
type certAttempt struct {
	Format    string
	DataLen   int
	Timestamp int64 // v2 only, as sent
}

func newFake(t *testing.T) *fakeAnaplan {
	t.Helper()
	f := &fakeAnaplan{
		t:        t,
		clock:    newClock(),
		user:     "analyst@example.com",
		password: "s3cret-Pa55word!",
		ttl:      35 * time.Minute,
		pageCap:  5000,
		tokens:   map[string]fakeTokenInfo{},
		calls:    map[string]int{},
		queries:  map[string][]url.Values{},
		gates:    map[string]func(){},
		override: map[string]http.HandlerFunc{},
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a client for the fake with the fake's clock, no real
// sleeps (waits are recorded in the returned *waits), and creds (default:
// the fake's basic credentials).
func (f *fakeAnaplan) client(t *testing.T, opts ...anaplan.Option) (*anaplan.Client, *waits) {
	t.Helper()
	return f.clientWith(t, anaplan.BasicAuth(f.user, f.password), opts...)
}

// clientWith is client with other credentials.
func (f *fakeAnaplan) clientWith(t *testing.T, creds anaplan.Credentials, opts ...anaplan.Option) (*anaplan.Client, *waits) {
	t.Helper()
	w := &waits{}
	base := []anaplan.Option{
		anaplan.WithAuthURL(f.srv.URL),
		anaplan.WithAPIURL(f.srv.URL + "/2/0"),
		anaplan.WithClock(f.clock.Now),
		anaplan.WithSleep(w.sleep),
	}
	c, err := anaplan.New(creds, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, w
}

// waits records retry waits instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func (f *fakeAnaplan) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

func (f *fakeAnaplan) queriesOf(key string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.queries[key]...)
}

// answer makes the fake answer "METHOD /path" with h.
func (f *fakeAnaplan) answer(key string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override[key] = h
}

// hold makes the named handler ("authenticate", "refresh") run g first.
func (f *fakeAnaplan) hold(name string, g func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gates[name] = g
}

// set changes the fake's settings under its lock.
func (f *fakeAnaplan) set(change func(f *fakeAnaplan)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

func (f *fakeAnaplan) setCert(cert *x509.Certificate) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cert = cert
}

func (f *fakeAnaplan) lastCertAttempt() certAttempt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastCert
}

// revokeAll forgets every token, as a logout elsewhere or a server restart would.
func (f *fakeAnaplan) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]fakeTokenInfo{}
}

func (f *fakeAnaplan) setModels(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.models = make([]fakeModel, n)
	for i := range f.models {
		f.models[i] = fakeModel{
			ID:                   fmt.Sprintf("%032X", i+1),
			Name:                 fmt.Sprintf("Model %05d", i),
			ActiveState:          "UNLOCKED",
			CurrentWorkspaceID:   fmt.Sprintf("%032x", i%7+1),
			CurrentWorkspaceName: fmt.Sprintf("Workspace %d", i%7+1),
			ModelURL:             fmt.Sprintf("https://api.anaplan.com/anaplan/framework.jsp?selectedWorkspaceId=%032x&selectedModelId=%032X", i%7+1, i+1),
			MemoryUsage:          int64(1000 + i),
			IsoCreationDate:      "2017-11-13T21:20:10.000+0000",
		}
	}
}

func (f *fakeAnaplan) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.calls[key]++
	f.queries[key] = append(f.queries[key], r.URL.Query())
	h := f.override[key]
	f.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	switch {
	case key == "POST /token/authenticate":
		f.authenticate(w, r)
	case key == "POST /token/refresh":
		f.refresh(w, r)
	case key == "GET /token/validate":
		f.validate(w, r)
	case key == "POST /token/logout":
		f.logout(w, r)
	case strings.HasPrefix(r.URL.Path, "/2/0/"):
		f.api(w, r)
	default:
		apiError(w, r, http.StatusNotFound, "Not Found")
	}
}

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

func (f *fakeAnaplan) gate(name string) {
	f.mu.Lock()
	g := f.gates[name]
	f.mu.Unlock()
	if g != nil {
		g()
	}
}

func (f *fakeAnaplan) issue(w http.ResponseWriter, status int, message string, info fakeTokenInfo) {
	writeJSON(w, status, map[string]any{
		"meta":          map[string]string{"validationUrl": "https://auth.anaplan.com/token/validate"},
		"status":        "SUCCESS",
		"statusMessage": message,
		"tokenInfo":     info,
		"futureField":   map[string]any{"refreshToken": "ignored by clients"},
	})
}

func (f *fakeAnaplan) authenticate(w http.ResponseWriter, r *http.Request) {
	f.gate("authenticate")
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch scheme {
	case "Basic":
		user, pass, ok := r.BasicAuth()
		body, _ := io.ReadAll(r.Body)
		switch {
		case !ok || len(body) > 0:
			authError(w, http.StatusBadRequest, "FAILURE_BAD_HEADER", "Invalid header. Verify the header.")
			return
		case user != f.user || pass != f.password:
			authError(w, http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL", "Invalid credentials.")
			return
		}
	case "CACertificate":
		if err := f.checkCertificate(value, r); err != nil {
			f.t.Logf("fake: certificate authentication refused: %v", err)
			authError(w, http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL", "Invalid certificate.")
			return
		}
	default:
		authError(w, http.StatusBadRequest, "FAILURE_BAD_HEADER", "Invalid header. Verify the header.")
		return
	}
	f.mu.Lock()
	f.seq++
	sum := sha256.Sum256([]byte(strconv.Itoa(f.seq)))
	info := fakeTokenInfo{
		TokenID:        fmt.Sprintf("ce81e2ed-eec4-11e9-9750-%012d", f.seq),
		TokenValue:     base64.RawURLEncoding.EncodeToString(sum[:]) + hex.EncodeToString(sum[:8]),
		ExpiresAt:      f.clock.Now().Add(f.ttl).UnixMilli(),
		RefreshTokenID: fmt.Sprintf("ce81e2ee-eec4-11e9-9750-%012d", f.seq),
	}
	f.tokens[info.TokenValue] = info
	f.mu.Unlock()
	f.issue(w, http.StatusCreated, "Login successful", info)
}

// checkCertificate verifies a CACertificate request as Anaplan would: the
// header is base64 of the PEM certificate, the signature is SHA512withRSA
// over the decoded encodedData, v2 data starts with a fresh timestamp.
func (f *fakeAnaplan) checkCertificate(header string, r *http.Request) error {
	f.mu.Lock()
	registered := f.cert
	f.mu.Unlock()
	if registered == nil {
		return fmt.Errorf("no certificate registered")
	}
	text, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return fmt.Errorf("header is not base64: %v", err)
	}
	block, _ := pem.Decode(text)
	if block == nil || block.Type != "CERTIFICATE" {
		return fmt.Errorf("header is not a PEM certificate")
	}
	if string(block.Bytes) != string(registered.Raw) {
		return fmt.Errorf("unknown certificate")
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("Content-Type %q", ct)
	}
	var body struct {
		Format     string `json:"encodedDataFormat"`
		Data       string `json:"encodedData"`
		SignedData string `json:"encodedSignedData"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return fmt.Errorf("body: %v", err)
	}
	data, err := base64.StdEncoding.DecodeString(body.Data)
	if err != nil {
		return fmt.Errorf("encodedData: %v", err)
	}
	sig, err := base64.StdEncoding.DecodeString(body.SignedData)
	if err != nil {
		return fmt.Errorf("encodedSignedData: %v", err)
	}
	attempt := certAttempt{Format: body.Format, DataLen: len(data)}
	switch body.Format {
	case "":
		if len(data) < 100 {
			return fmt.Errorf("v1 data is %d bytes, want >= 100", len(data))
		}
	case "v2":
		if len(data) < 108 {
			return fmt.Errorf("v2 data is %d bytes, want >= 108", len(data))
		}
		attempt.Timestamp = int64(binary.BigEndian.Uint64(data[:8]))
		ts := time.Unix(attempt.Timestamp, 0)
		if attempt.Timestamp > 1e11 {
			ts = time.UnixMilli(attempt.Timestamp)
		}
		if d := f.clock.Now().Sub(ts); d > 5*time.Minute || d < -5*time.Minute {
			return fmt.Errorf("v2 timestamp %s is stale", ts)
		}
	default:
		return fmt.Errorf("unknown encodedDataFormat %q", body.Format)
	}
	digest := sha512.Sum512(data)
	if err := rsa.VerifyPKCS1v15(registered.PublicKey.(*rsa.PublicKey), crypto.SHA512, digest[:], sig); err != nil {
		return fmt.Errorf("signature: %v", err)
	}
	f.mu.Lock()
	f.lastCert = attempt
	f.mu.Unlock()
	return nil
}

// token returns the valid token the request carries, if any.
func (f *fakeAnaplan) token(r *http.Request) (fakeTokenInfo, bool) {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if scheme != "AnaplanAuthToken" {
		return fakeTokenInfo{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	info, ok := f.tokens[value]
	if !ok || f.clock.Now().UnixMilli() >= info.ExpiresAt {
		return fakeTokenInfo{}, false
	}
	return info, true
}

func (f *fakeAnaplan) refresh(w http.ResponseWriter, r *http.Request) {
	f.gate("refresh")
	info, ok := f.token(r)
	if !ok {
		authError(w, http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL", "Token is invalid or expired.")
		return
	}
	f.mu.Lock()
	info.ExpiresAt = f.clock.Now().Add(f.ttl).UnixMilli()
	f.tokens[info.TokenValue] = info
	f.mu.Unlock()
	f.issue(w, http.StatusOK, "Token refreshed", info)
}

func (f *fakeAnaplan) validate(w http.ResponseWriter, r *http.Request) {
	info, ok := f.token(r)
	if !ok {
		authError(w, http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL", "Token is invalid or expired.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"meta":          map[string]string{"validationUrl": "https://auth.anaplan.com/token/validate"},
		"status":        "SUCCESS",
		"statusMessage": "Token validated",
		"tokenInfo":     map[string]any{"expiresAt": info.ExpiresAt, "tokenId": info.TokenID},
		"userInfo": map[string]string{
			"userGuid": "8a81b09d599f5c9a015a0f6b9f2d1234", "userId": f.user,
			"customerGuid": "8a81b09d599f5c9a015a0f6b9f2d5678",
		},
	})
}

func (f *fakeAnaplan) logout(w http.ResponseWriter, r *http.Request) {
	info, ok := f.token(r)
	if !ok {
		authError(w, http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL", "Token is invalid or expired.")
		return
	}
	f.mu.Lock()
	delete(f.tokens, info.TokenValue)
	f.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func envelope(schema string, key string, v any) map[string]any {
	return map[string]any{
		"meta":   map[string]any{"schema": "https://api.anaplan.com/2/0/objects/" + schema},
		"status": map[string]any{"code": 200, "message": "Success"},
		key:      v,
	}
}

func (f *fakeAnaplan) api(w http.ResponseWriter, r *http.Request) {
	if _, ok := f.token(r); !ok {
		apiError(w, r, http.StatusUnauthorized, "Unauthorized")
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/2/0/"), "/")
	f.mu.Lock()
	models, workspaces, bulk := f.models, f.workspaces, f.bulk
	f.mu.Unlock()
	if bulk != nil && len(parts) > 4 && parts[0] == "workspaces" && parts[2] == "models" {
		bulk.serve(w, r, parts[1], parts[3], parts[4:])
		return
	}
	if r.Method != http.MethodGet {
		apiError(w, r, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	details := r.URL.Query().Get("modelDetails") == "true"
	switch {
	case len(parts) == 2 && parts[0] == "users" && parts[1] == "me":
		writeJSON(w, http.StatusOK, envelope("user", "user", map[string]any{
			"id": "8a81b09d599f5c9a015a0f6b9f2d1234", "active": true, "email": f.user, "emailOptIn": false,
			"firstName": "Ana", "lastName": "Lyst", "customerId": "8a81b09d599f5c9a015a0f6b9f2d5678",
			"lastLoginDate": "2017-09-07T08:05:37.000+0000",
		}))
	case len(parts) == 1 && parts[0] == "workspaces":
		f.page(w, r, "workspace", "workspaces", len(workspaces), func(i int) any { return workspaces[i] })
	case len(parts) == 2 && parts[0] == "workspaces":
		for _, ws := range workspaces {
			if ws.ID == parts[1] {
				writeJSON(w, http.StatusOK, envelope("workspace", "workspace", ws))
				return
			}
		}
		apiError(w, r, http.StatusNotFound, "Not Found")
	case len(parts) == 1 && parts[0] == "models":
		f.page(w, r, "model", "models", len(models), func(i int) any { return modelView(models[i], details) })
	case len(parts) == 3 && parts[0] == "workspaces" && parts[2] == "models":
		var in []fakeModel
		for _, m := range models {
			if m.CurrentWorkspaceID == parts[1] {
				in = append(in, m)
			}
		}
		f.page(w, r, "model", "models", len(in), func(i int) any { return modelView(in[i], details) })
	case len(parts) == 2 && parts[0] == "models":
		for _, m := range models {
			if m.ID == parts[1] {
				writeJSON(w, http.StatusOK, envelope("model", "model", modelView(m, details)))
				return
			}
		}
		apiError(w, r, http.StatusNotFound, "Not Found")
	default:
		apiError(w, r, http.StatusNotFound, "Not Found")
	}
}

// modelView drops the detail fields unless modelDetails=true was asked.
func modelView(m fakeModel, details bool) fakeModel {
	if !details {
		m.MemoryUsage, m.IsoCreationDate = 0, ""
	}
	return m
}

// page serves one page of a collection with Anaplan's paging meta.
func (f *fakeAnaplan) page(w http.ResponseWriter, r *http.Request, schema, key string, total int, item func(int) any) {
	q := r.URL.Query()
	offset, limit := 0, 5000
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	f.mu.Lock()
	ignoreLimit, pageCap, stuckOffset := f.ignoreLimit, f.pageCap, f.stuckOffset
	f.mu.Unlock()
	switch {
	case ignoreLimit:
		limit = total
	case limit > pageCap:
		limit = pageCap
	}
	if stuckOffset {
		offset = 0
	}
	end := min(offset+limit, total)
	var items []any
	for i := offset; i < end; i++ {
		items = append(items, item(i))
	}
	paging := map[string]any{"currentPageSize": len(items), "totalSize": total, "offset": offset}
	base := "https://api.anaplan.com" + r.URL.Path
	if end < total {
		paging["next"] = fmt.Sprintf("%s?limit=%d&offset=%d", base, limit, end)
	}
	if offset > 0 {
		paging["previous"] = fmt.Sprintf("%s?limit=%d&offset=%d", base, limit, max(offset-limit, 0))
	}
	body := map[string]any{
		"meta":   map[string]any{"schema": "https://api.anaplan.com/2/0/objects/" + schema, "paging": paging},
		"status": map[string]any{"code": 200, "message": "Success"},
	}
	if len(items) > 0 { // Anaplan omits empty collections
		body[key] = items
	}
	writeJSON(w, http.StatusOK, body)
}
