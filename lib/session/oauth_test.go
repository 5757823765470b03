package session_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// sandbox is an emulator on a loopback port that approves every device
// code at once, as a sandbox started with -oauth-approve-as does.
func sandbox(t *testing.T) *emulator.Server {
	t.Helper()
	srv, err := emulator.Start("", emulator.Options{OAuth: emulator.OAuthOptions{PollInterval: time.Second, ApproveAs: emulator.DemoUser}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// cachedToken reads the one token file in dir and checks its mode.
func cachedToken(t *testing.T, dir string) map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("token cache %s holds %d files, want 1", dir, len(files))
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token cache file mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(files[0])
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestConnectOAuthKeepsTheRefreshTokenInTheCache(t *testing.T) {
	srv := sandbox(t)
	// The API URL as other clients spell it, without /2/0.
	setEnv(t, "ANAPLAN_OAUTH_CLIENT_ID="+emulator.DemoOAuthClientID, "ANAPLAN_OAUTH_URL="+srv.URL,
		"ANAPLAN_AUTH_URL="+srv.AuthURL(), "ANAPLAN_API_URL="+srv.URL)
	cache := t.TempDir()
	var logs bytes.Buffer
	prompts := 0
	opts := session.Options{
		TokenCacheDir: cache,
		Logger:        slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		DevicePrompt: func(_ context.Context, p anaplan.DevicePrompt) error {
			prompts++
			if !strings.HasPrefix(p.VerificationURI, srv.URL) || p.UserCode == "" {
				t.Errorf("prompt = %+v, want the sandbox's page and a code", p)
			}
			return nil
		},
	}
	s, err := session.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Emulated || !strings.Contains(s.Describe(), emulator.DemoOAuthClientID) {
		t.Errorf("Describe = %q, want the configured OAuth client", s.Describe())
	}
	me, err := s.Client.Me(context.Background())
	if err != nil || me.Email != emulator.DemoUser {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	s.Close()
	if prompts != 1 {
		t.Errorf("%d prompts, want 1", prompts)
	}
	f := cachedToken(t, cache)
	refresh, _ := f["refreshToken"].(string)
	access, _ := f["tokenValue"].(string)
	if refresh == "" || f["scheme"] != "Bearer" {
		t.Fatalf("cached token has no refresh token or scheme Bearer: keys %v", keys(f))
	}

	// The next run (a new process) logs in without a person.
	opts.DevicePrompt = func(context.Context, anaplan.DevicePrompt) error {
		return errors.New("prompted again: the cached tokens were not used")
	}
	s, err = session.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if me, err := s.Client.Me(context.Background()); err != nil || me.Email != emulator.DemoUser {
		t.Fatalf("second run: Me = %+v, %v", me, err)
	}
	for name, secret := range map[string]string{"refresh token": refresh, "access token": access} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the %s appears in the logs", name)
		}
	}
	if err := s.Client.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "*.json")); len(files) != 0 {
		t.Errorf("after Logout the cache still holds %v", files)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestConnectOAuthOnTheBuiltInEmulator(t *testing.T) {
	setEnv(t)
	var shown []string
	rec := &session.Recorder{}
	s, err := session.Connect(session.Options{
		Auth:             session.AuthOAuth,
		DevicePromptHTML: func(html string) { shown = append(shown, html) },
		ClientOptions:    []anaplan.Option{rec.ClientOption()},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Emulated {
		t.Fatalf("Describe = %q, want the built-in emulator", s.Describe())
	}
	me, err := s.Client.Me(context.Background())
	if err != nil || me.Email != emulator.DemoUser {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	if len(shown) != 1 {
		t.Fatalf("%d prompts shown, want 1", len(shown))
	}
	html := shown[0]
	for _, want := range []string{"127.0.0.1:‹port›/activate", "‹varies: xxxx-xxxx›", "approves the code at once"} {
		if !strings.Contains(html, want) {
			t.Errorf("prompt lacks %q:\n%s", want, html)
		}
	}
	if regexp.MustCompile(`127\.0\.0\.1:[0-9]`).MatchString(html) || strings.Contains(html, "data:image") {
		t.Errorf("the emulator's prompt shows its port or a QR code, which differ on every run:\n%s", html)
	}

	// What a notebook shows of the exchanges: nothing secret, nothing that varies.
	var all strings.Builder
	for _, e := range rec.Exchanges() {
		all.WriteString(e.Text(-1))
	}
	text := all.String()
	for _, want := range []string{"POST /oauth/device/code", `"device_code": ‹hidden:`, `"user_code": ‹varies: xxxx-xxxx›`,
		`activate?user_code=‹varies: xxxx-xxxx›"`, "POST /oauth/token", `"access_token": ‹hidden:`,
		"Authorization: Bearer ‹hidden: the OAuth access_token›", "GET /2/0/users/me"} {
		if !strings.Contains(text, want) {
			t.Errorf("recorded exchanges lack %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`127\.0\.0\.1:[0-9]|[A-Z0-9]{4}-[A-Z0-9]{4}`).MatchString(text) {
		t.Errorf("recorded exchanges show a port or a user code:\n%s", text)
	}
}

func TestConnectOAuthWithoutAClientIsAnError(t *testing.T) {
	setEnv(t, "ANAPLAN_AUTH=oauth")
	s, err := session.Connect(session.Options{})
	if err == nil {
		s.Close()
		t.Fatal("ANAPLAN_AUTH=oauth without a client connected (to the demo tenant?); want an error")
	}
	if !strings.Contains(err.Error(), session.EnvOAuthClientID) {
		t.Errorf("error %q does not name %s", err, session.EnvOAuthClientID)
	}
}

func TestDevicePromptHTML(t *testing.T) {
	p := anaplan.DevicePrompt{
		UserCode:                "WDJB-MJHT",
		VerificationURI:         "https://us1a.app.anaplan.com/activate",
		VerificationURIComplete: "https://us1a.app.anaplan.com/activate?user_code=WDJB-MJHT&x=<b>",
	}
	html := session.DevicePromptHTML(p)
	escaped := "https://us1a.app.anaplan.com/activate?user_code=WDJB-MJHT&amp;x=&lt;b&gt;"
	for _, want := range []string{`href="` + escaped + `"`, "<code>WDJB-MJHT</code>"} {
		if !strings.Contains(html, want) {
			t.Errorf("prompt lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<b>") {
		t.Errorf("the link is not escaped:\n%s", html)
	}
	m := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no inline QR code PNG:\n%s", html)
	}
	b, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != r.Dy() || r.Dx() < 100 {
		t.Errorf("QR code image %v, want a square of at least 100 pixels", r)
	}

	// A link that is not http(s) is shown, never made clickable.
	html = session.DevicePromptHTML(anaplan.DevicePrompt{UserCode: "X", VerificationURI: "javascript:alert(1)"})
	if strings.Contains(html, "href=") {
		t.Errorf("a javascript: link became clickable:\n%s", html)
	}
}

func TestPrintDevicePromptShowsTheLinkWithTheCode(t *testing.T) {
	var out bytes.Buffer
	p := anaplan.DevicePrompt{UserCode: "WDJB-MJHT", VerificationURI: "https://h/activate",
		VerificationURIComplete: "https://h/activate?user_code=WDJB-MJHT", ExpiresAt: time.Now().Add(15 * time.Minute)}
	if err := session.PrintDevicePrompt(&out)(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"https://h/activate?user_code=WDJB-MJHT", "WDJB-MJHT", "Waiting"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("prompt %q lacks %q", out.String(), want)
		}
	}
}

// TestAPIURLWithoutVersionPath: ANAPLAN_API_URL as other clients spell it
// (the host alone) reaches the sandbox's /2/0; another path fails with a
// message that names the API URL and the missing /2/0.
func TestAPIURLWithoutVersionPath(t *testing.T) {
	srv := sandbox(t)
	for _, tc := range []struct {
		apiURL, wantErr string
	}{
		{srv.URL, ""},
		{srv.URL + "/", ""},
		{srv.URL + "/api", "does not end in /2/0"},
	} {
		setEnv(t, "ANAPLAN_USERNAME="+emulator.DemoUser, "ANAPLAN_PASSWORD="+emulator.DemoPassword,
			"ANAPLAN_AUTH_URL="+srv.AuthURL(), "ANAPLAN_API_URL="+tc.apiURL)
		s, err := session.Connect(session.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Client.Me(context.Background())
		s.Close()
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("ANAPLAN_API_URL=%s: %v", tc.apiURL, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), tc.apiURL)):
			t.Errorf("ANAPLAN_API_URL=%s: error %v, want one naming the URL and saying %q", tc.apiURL, err, tc.wantErr)
		case tc.wantErr != "" && !errors.Is(err, anaplan.ErrNotFound):
			t.Errorf("ANAPLAN_API_URL=%s: error %v does not match ErrNotFound", tc.apiURL, err)
		}
	}
}
