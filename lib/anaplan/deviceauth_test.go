package anaplan_test

// The device grant against the real emulator, inside testing/synctest
// bubbles: the client's polling waits, the emulator's clock (time.Now in
// the bubble) and the user's approval all run on the bubble's fake time,
// so a 15-minute expiry takes no real time and nothing sleeps for real.
// Requests go to the emulator's handler in memory (no sockets, which a
// bubble cannot wait on).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// exchange is one request the client made, as the emulator saw it.
type exchange struct {
	at     time.Time
	method string
	path   string
	auth   string
	body   map[string]string
	status int
	answer map[string]any
}

// memTransport serves requests with the emulator's handler in memory and
// records them. duplicateFirstPoll sends the first device-code poll twice,
// as a retrying proxy might, so that the emulator sees polling too fast.
type memTransport struct {
	h                  http.Handler
	duplicateFirstPoll bool

	mu        sync.Mutex
	log       []exchange
	duplicate bool
}

func (m *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var raw []byte
	if req.Body != nil {
		raw, _ = io.ReadAll(req.Body)
	}
	var body map[string]string
	_ = json.Unmarshal(raw, &body)
	serve := func() *http.Response {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(bytes.NewReader(raw))
		rec := httptest.NewRecorder()
		m.h.ServeHTTP(rec, r)
		resp := rec.Result()
		resp.Request = req
		return resp
	}
	m.mu.Lock()
	dup := m.duplicateFirstPoll && !m.duplicate && body["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
	if dup {
		m.duplicate = true
	}
	m.mu.Unlock()
	if dup {
		serve().Body.Close()
	}
	resp := serve()
	answer, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	var parsed map[string]any
	_ = json.Unmarshal(answer, &parsed)
	m.mu.Lock()
	m.log = append(m.log, exchange{at: time.Now(), method: req.Method, path: req.URL.Path, auth: req.Header.Get("Authorization"),
		body: body, status: resp.StatusCode, answer: parsed})
	m.mu.Unlock()
	return resp, nil
}

func (m *memTransport) exchanges(path string) []exchange {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []exchange
	for _, x := range m.log {
		if path == "" || x.path == path {
			out = append(out, x)
		}
	}
	return out
}

// oauthEnv is an emulator plus what a device-login test needs.
type oauthEnv struct {
	t       *testing.T
	e       *emulator.Emulator
	tr      *memTransport
	start   time.Time
	prompts []anaplan.DevicePrompt
	// decide runs when the client shows the prompt (approve, deny, or
	// nothing), e.g. from a time.AfterFunc modelling the user.
	decide func(p anaplan.DevicePrompt)
	logs   bytes.Buffer
	scope  string // DeviceOptions.Scope
}

const emulatorBase = "http://127.0.0.1:9" // never dialled: memTransport serves it

func newOAuthEnv(t *testing.T) *oauthEnv {
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &oauthEnv{t: t, e: e, tr: &memTransport{h: e.Handler()}, start: time.Now()}
}

func (env *oauthEnv) creds(clientID string) anaplan.Credentials {
	return anaplan.DeviceAuth(clientID, anaplan.DeviceOptions{
		OAuthURL: emulatorBase,
		Scope:    env.scope,
		Prompt: func(_ context.Context, p anaplan.DevicePrompt) error {
			env.prompts = append(env.prompts, p)
			if env.decide != nil {
				env.decide(p)
			}
			return nil
		},
	})
}

func (env *oauthEnv) client(clientID string, opts ...anaplan.Option) *anaplan.Client {
	env.t.Helper()
	base := []anaplan.Option{
		anaplan.WithAuthURL(emulatorBase), anaplan.WithAPIURL(emulatorBase + "/2/0"),
		anaplan.WithHTTPClient(&http.Client{Transport: env.tr}),
		anaplan.WithLogger(slog.New(slog.NewTextHandler(&env.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}
	c, err := anaplan.New(env.creds(clientID), append(base, opts...)...)
	if err != nil {
		env.t.Fatal(err)
	}
	env.t.Cleanup(func() { c.Close() })
	return c
}

// approveAfter models a user who approves d after the prompt shows.
func (env *oauthEnv) approveAfter(d time.Duration) {
	env.decide = func(p anaplan.DevicePrompt) {
		time.AfterFunc(d, func() {
			if err := env.e.ApproveDevice(p.UserCode, emulator.DemoUser); err != nil {
				env.t.Errorf("ApproveDevice: %v", err)
			}
		})
	}
}

func (env *oauthEnv) me(c *anaplan.Client) (anaplan.User, error) {
	return c.Me(context.Background())
}

func TestDeviceLoginPollsAtTheIntervalAndCallsTheAPI(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.approveAfter(12 * time.Second)
		c := env.client(emulator.DemoOAuthClientID)

		u, err := env.me(c)
		if err != nil {
			t.Fatalf("Me: %v", err)
		}
		if u.Email != emulator.DemoUser {
			t.Errorf("Me = %+v, want the demo user", u)
		}
		if len(env.prompts) != 1 {
			t.Fatalf("prompted %d times", len(env.prompts))
		}
		p := env.prompts[0]
		if p.VerificationURI != emulatorBase+"/activate" || !strings.Contains(p.VerificationURIComplete, "user_code=") || len(p.UserCode) != 9 {
			t.Errorf("prompt = %+v", p)
		}
		if want := env.start.Add(900 * time.Second); !p.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt = %v, want %v", p.ExpiresAt, want)
		}
		polls := env.tr.exchanges("/oauth/token")
		var offsets []time.Duration
		for _, x := range polls {
			offsets = append(offsets, x.at.Sub(env.start))
		}
		// Approved at 12 s; polls every 5 s: pending at 5 and 10, token at 15.
		if want := []time.Duration{5 * time.Second, 10 * time.Second, 15 * time.Second}; !equalDurations(offsets, want) {
			t.Errorf("polls at %v, want %v", offsets, want)
		}
		api := env.tr.exchanges("/2/0/users/me")
		if len(api) != 1 || !strings.HasPrefix(api[0].auth, "Bearer ") {
			t.Errorf("API call Authorization = %v, want Bearer", api)
		}
		if len(env.tr.exchanges("/token/authenticate")) != 0 {
			t.Error("an OAuth client called /token/authenticate")
		}
		if _, err := c.Validate(context.Background()); err == nil || !strings.Contains(err.Error(), "Me") {
			t.Errorf("Validate with OAuth = %v, want an error pointing at Me", err)
		}
	})
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDeviceLoginSlowsDownOnSlowDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.tr.duplicateFirstPoll = true
		env.approveAfter(20 * time.Second)
		c := env.client(emulator.DemoOAuthClientID)
		if _, err := env.me(c); err != nil {
			t.Fatalf("Me: %v", err)
		}
		polls := env.tr.exchanges("/oauth/token")
		if len(polls) < 2 || polls[0].answer["error"] != "slow_down" {
			t.Fatalf("first poll answered %v, want slow_down (duplicated poll)", polls[0].answer)
		}
		for i := 1; i < len(polls); i++ {
			if gap := polls[i].at.Sub(polls[i-1].at); gap < 10*time.Second {
				t.Errorf("poll %d came %v after the previous one; after slow_down the interval is 10 s", i, gap)
			}
			if polls[i].answer["error"] == "slow_down" {
				t.Errorf("poll %d got slow_down again", i)
			}
		}
		if last := polls[len(polls)-1]; last.status != 200 {
			t.Errorf("last poll: %d %v", last.status, last.answer)
		}
	})
}

func TestDeviceLoginDeniedAndExpired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.decide = func(p anaplan.DevicePrompt) {
			time.AfterFunc(7*time.Second, func() { _ = env.e.DenyDevice(p.UserCode) })
		}
		_, err := env.me(env.client(emulator.DemoOAuthClientID))
		if !errors.Is(err, anaplan.ErrAccessDenied) || !strings.Contains(err.Error(), "access_denied") || !strings.Contains(err.Error(), "Approve") {
			t.Errorf("denied login: %v", err)
		}

		env2 := newOAuthEnv(t) // nobody approves
		_, err = env2.me(env2.client(emulator.DemoOAuthClientID))
		if !errors.Is(err, anaplan.ErrDeviceCodeExpired) || !strings.Contains(err.Error(), "expired_token") {
			t.Errorf("unapproved login: %v", err)
		}
		if took := time.Since(env2.start); took < 900*time.Second || took > 910*time.Second {
			t.Errorf("gave up after %v, want the code's 900 s", took)
		}
	})
}

// TestRefreshRotationAndTokenCache: the refresh token rotates on each use
// and the old one is refused; the cache file (0600) carries it to the next
// process, which needs no person; nothing secret reaches the logs.
func TestRefreshRotationAndTokenCache(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.approveAfter(time.Second)
		dir := t.TempDir()
		c := env.client(emulator.DemoOAuthClientID, anaplan.WithTokenCache(dir))
		if _, err := env.me(c); err != nil {
			t.Fatal(err)
		}
		first := env.tr.exchanges("/oauth/token")[0].answer["refresh_token"].(string)

		time.Sleep(31 * time.Minute) // fake time: the token is now within its refresh margin
		if _, err := env.me(c); err != nil {
			t.Fatalf("Me after 31 min: %v", err)
		}
		refreshes := refreshRequests(env.tr)
		if len(refreshes) != 1 || refreshes[0].body["refresh_token"] != first {
			t.Fatalf("refreshes = %v, want one with the first refresh token", refreshes)
		}
		second, _ := refreshes[0].answer["refresh_token"].(string)
		if second == "" || second == first {
			t.Fatalf("rotation: got %q after %q", second, first)
		}
		// The old refresh token is refused by the service.
		resp := postJSON(t, env.tr, "/oauth/token", map[string]string{"grant_type": "refresh_token", "client_id": emulator.DemoOAuthClientID, "refresh_token": first})
		if resp["error"] != "invalid_grant" {
			t.Errorf("reusing the rotated-out refresh token: %v", resp)
		}

		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(files) != 1 {
			t.Fatalf("cache files: %v", files)
		}
		fi, _ := os.Stat(files[0])
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("cache file mode %v, want 0600", fi.Mode().Perm())
		}
		cached, _ := os.ReadFile(files[0])
		if !strings.Contains(string(cached), second) {
			t.Error("the cache does not hold the current refresh token")
		}

		// A new process, 2 hours later: the access token has expired, the
		// refresh token logs in without a prompt.
		time.Sleep(2 * time.Hour)
		env.decide = func(anaplan.DevicePrompt) { t.Error("the cached refresh token should have spared a device login") }
		before := len(env.prompts)
		c2 := env.client(emulator.DemoOAuthClientID, anaplan.WithTokenCache(dir))
		if _, err := env.me(c2); err != nil {
			t.Fatalf("Me from the cache: %v", err)
		}
		if len(env.prompts) != before {
			t.Error("prompted again")
		}

		// The first client's refresh token was rotated away by c2: when it
		// must refresh, the service refuses it and it falls back to a
		// device login instead of failing.
		env.approveAfter(time.Second)
		if _, err := c.Refresh(context.Background()); err != nil {
			t.Fatalf("Refresh with a rotated-out token: %v", err)
		}
		if len(env.prompts) != before+1 {
			t.Errorf("prompts = %d, want a new device login", len(env.prompts)-before)
		}

		logs := env.logs.String()
		for _, x := range env.tr.exchanges("/oauth/token") {
			for _, k := range []string{"access_token", "refresh_token", "id_token"} {
				if s, _ := x.answer[k].(string); s != "" && strings.Contains(logs, s) {
					t.Errorf("the log contains an %s", k)
				}
			}
		}
		tok, _ := c.Token(context.Background())
		for _, s := range []string{
			tok.String(), tok.GoString(), tok.Masked(), c.String(),
			sprintf3("%v %+v %#v", tok), sprintf3("%v %+v %#v", c),
		} {
			if strings.Contains(s, tok.Value()) || strings.Contains(s, second) {
				t.Errorf("a token leaks in %q", s)
			}
		}
	})
}

func sprintf3(format string, v any) string { return fmt.Sprintf(format, v, v, v) }

func refreshRequests(tr *memTransport) []exchange {
	var out []exchange
	for _, x := range tr.exchanges("/oauth/token") {
		if x.body["grant_type"] == "refresh_token" {
			out = append(out, x)
		}
	}
	return out
}

// postJSON sends a raw request through the emulator, outside the client.
func postJSON(t *testing.T, tr *memTransport, path string, body map[string]string) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", emulatorBase+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return m
}

func TestNonRotatingClientKeepsItsRefreshToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.approveAfter(time.Second)
		c := env.client(emulator.DemoOAuthStaticClientID)
		if _, err := env.me(c); err != nil {
			t.Fatal(err)
		}
		first := env.tr.exchanges("/oauth/token")[0].answer["refresh_token"].(string)
		for range 3 {
			if _, err := c.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range refreshRequests(env.tr) {
			if r.body["refresh_token"] != first || r.status != 200 {
				t.Errorf("refresh sent %q (status %d), want the first token every time", r.body["refresh_token"], r.status)
			}
		}
		if n := len(refreshRequests(env.tr)); n != 3 {
			t.Errorf("%d refreshes", n)
		}
	})
}

// TestWithoutOfflineAccess: no refresh token, so no person is asked
// before the token expires; after that, a device login.
func TestWithoutOfflineAccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.scope = "openid email"
		env.approveAfter(time.Second)
		c := env.client(emulator.DemoOAuthClientID)
		if _, err := env.me(c); err != nil {
			t.Fatal(err)
		}
		time.Sleep(33 * time.Minute) // fake time: within the refresh margin
		if _, err := env.me(c); err != nil || len(env.prompts) != 1 {
			t.Fatalf("Me before expiry: %v, %d prompts (want the current token, no prompt)", err, len(env.prompts))
		}
		if len(refreshRequests(env.tr)) != 0 {
			t.Error("a refresh was sent without a refresh token")
		}
		time.Sleep(3 * time.Minute) // past expiry
		if _, err := env.me(c); err != nil || len(env.prompts) != 2 {
			t.Fatalf("Me after expiry: %v, %d prompts (want a second device login)", err, len(env.prompts))
		}
	})
}

func TestLogoutForgetsOAuthTokens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := newOAuthEnv(t)
		env.approveAfter(time.Second)
		dir := t.TempDir()
		c := env.client(emulator.DemoOAuthClientID, anaplan.WithTokenCache(dir))
		if _, err := env.me(c); err != nil {
			t.Fatal(err)
		}
		if err := c.Logout(context.Background()); err != nil {
			t.Fatal(err)
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 0 {
			t.Errorf("cache files left after Logout: %v", files)
		}
		if n := len(env.tr.exchanges("/token/logout")); n != 0 {
			t.Errorf("Logout called /token/logout %d times (it refuses Bearer tokens)", n)
		}
		if _, err := env.me(c); err != nil { // logs in again
			t.Fatal(err)
		}
		if len(env.prompts) != 2 {
			t.Errorf("prompts = %d, want a second device login after Logout", len(env.prompts))
		}
	})
}

func TestDeviceAuthRefusesBadSettings(t *testing.T) {
	t.Parallel()
	prompt := func(context.Context, anaplan.DevicePrompt) error { return nil }
	for name, creds := range map[string]anaplan.Credentials{
		"no client":     anaplan.DeviceAuth("", anaplan.DeviceOptions{Prompt: prompt}),
		"not hex":       anaplan.DeviceAuth("my-client", anaplan.DeviceOptions{Prompt: prompt}),
		"no prompt":     anaplan.DeviceAuth(emulator.DemoOAuthClientID, anaplan.DeviceOptions{}),
		"http remote":   anaplan.DeviceAuth(emulator.DemoOAuthClientID, anaplan.DeviceOptions{Prompt: prompt, OAuthURL: "http://example.com"}),
		"query in base": anaplan.DeviceAuth(emulator.DemoOAuthClientID, anaplan.DeviceOptions{Prompt: prompt, OAuthURL: "https://x.example?a=b"}),
	} {
		if _, err := anaplan.New(creds); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

// TestAPIURLWithoutVersion: an API base given without /2/0, as other
// clients spell it, gets it appended instead of failing with a bare 404.
func TestAPIURLWithoutVersion(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.APIURL() != srv.URL+"/2/0" {
		t.Errorf("APIURL = %s, want /2/0 appended", c.APIURL())
	}
	if u, err := c.Me(context.Background()); err != nil || u.Email != emulator.DemoUser {
		t.Fatalf("Me = %+v, %v", u, err)
	}
}
