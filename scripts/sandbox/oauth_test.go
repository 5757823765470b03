package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// oauthFromBanner reads the OAuth base and the rotating demo client's ID
// from the sandbox's banner, as a user would copy them.
func oauthFromBanner(t *testing.T, banner string) (oauthURL, clientID string) {
	t.Helper()
	for _, line := range strings.Split(banner, "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "ANAPLAN_OAUTH_URL="); ok {
			oauthURL = v
		}
		if strings.HasPrefix(line, "demo client, rotating") {
			_, clientID, _ = strings.Cut(line, "ANAPLAN_OAUTH_CLIENT_ID=")
		}
	}
	if oauthURL == "" || clientID == "" {
		t.Fatalf("no OAuth URL or client ID in the banner:\n%s", banner)
	}
	return oauthURL, clientID
}

func TestBannerNamesTheOAuthClients(t *testing.T) {
	t.Parallel()
	authURL, _, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-oauth-interval", "2s")
	defer waitRun(t, done)
	defer cancel()
	oauthURL, clientID := oauthFromBanner(t, banner.String())
	if oauthURL != authURL || clientID != emulator.DemoOAuthClientID {
		t.Errorf("OAuth URL %q, client %q", oauthURL, clientID)
	}
	for _, want := range []string{emulator.DemoOAuthStaticClientID, oauthURL + "/activate", "clients poll every 2s"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
}

func TestOAuthIntervalFlagChecked(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"0s", "1500ms", "-5s"} {
		err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-oauth-interval", v}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-oauth-interval") {
			t.Errorf("-oauth-interval %s: %v", v, err)
		}
	}
}

var csrfInPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// decideOnPage is a person on the verification page, without a browser:
// open the link, sign in, then approve or deny the code.
func decideOnPage(t *testing.T, verificationURI, userCode, action string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	read := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %d\n%s", resp.Request.Method, resp.Request.URL, resp.StatusCode, b)
		}
		return string(b)
	}
	csrf := func(page string) string {
		t.Helper()
		m := csrfInPage.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token in:\n%s", page)
		}
		return m[1]
	}
	base := strings.TrimSuffix(verificationURI, "/activate")
	login := read(hc.Get(verificationURI + "?user_code=" + url.QueryEscape(userCode)))
	confirm := read(hc.PostForm(base+"/activate/login", url.Values{"csrf_token": {csrf(login)}, "user_code": {userCode},
		"email": {emulator.DemoUser}, "password": {emulator.DemoPassword}}))
	return read(hc.PostForm(base+"/activate/decision", url.Values{"csrf_token": {csrf(confirm)}, "user_code": {userCode}, "action": {action}}))
}

// TestIndependentOAuthClient: a device-grant client written in Python
// from the documentation alone completes the grant against the sandbox,
// approved on the verification page, and calls the API with the token.
func TestIndependentOAuthClient(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed for the independent client; on Debian: sudo apt-get install python3")
	}
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-oauth-interval", "1s")
	defer waitRun(t, done)
	defer cancel()
	oauthURL, clientID := oauthFromBanner(t, banner.String())

	cmd := exec.Command(python, "testdata/independent_oauth_client.py", oauthURL, authURL, apiURL, clientID)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("no prompt from the client: %s", stderr.String())
	}
	var prompt struct {
		UserCode        string `json:"user_code"`
		VerificationURI string `json:"verification_uri"`
	}
	if err := json.Unmarshal(lines.Bytes(), &prompt); err != nil {
		t.Fatalf("prompt %q: %v", lines.Text(), err)
	}
	if page := decideOnPage(t, prompt.VerificationURI, prompt.UserCode, "approve"); !strings.Contains(page, "Device approved") {
		t.Fatalf("approval page:\n%s", page)
	}
	var seen struct {
		PollAnswers            []string
		TokenFields            []string
		TokenType, Scope       string
		ExpiresIn              int
		Email                  string
		AnaplanAuthTokenStatus int
		ValidateBearerStatus   int
		Rotated                bool
		RefreshedAPIStatus     int
		OldRefreshStatus       int
		OldRefreshError        string
	}
	if !lines.Scan() {
		t.Fatalf("no result from the client: %s", stderr.String())
	}
	if err := json.Unmarshal(lines.Bytes(), &seen); err != nil {
		t.Fatalf("result %q: %v", lines.Text(), err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("independent client: %v\n%s", err, stderr.String())
	}
	if want := []string{"access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"}; !slices.Equal(seen.TokenFields, want) {
		t.Errorf("token fields %v, want %v", seen.TokenFields, want)
	}
	if seen.Email != emulator.DemoUser || seen.TokenType != "Bearer" || seen.ExpiresIn != 2100 || seen.Scope != "openid email offline_access" {
		t.Errorf("token/API: %+v", seen)
	}
	if seen.AnaplanAuthTokenStatus != 200 || seen.ValidateBearerStatus != 400 || seen.RefreshedAPIStatus != 200 {
		t.Errorf("statuses: %+v", seen)
	}
	if !seen.Rotated || seen.OldRefreshStatus != 400 || seen.OldRefreshError != "invalid_grant" {
		t.Errorf("rotation: %+v", seen)
	}
	for _, a := range seen.PollAnswers {
		if a != "authorization_pending" {
			t.Errorf("a poll at the interval got %q", a)
		}
	}
}

// TestApproveAsFlag: with -oauth-approve-as, a client in another process
// (here: the Go client over HTTP) logs in with nobody at the page.
func TestApproveAsFlag(t *testing.T) {
	t.Parallel()
	_, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-oauth-interval", "1s", "-oauth-approve-as", emulator.DemoUser)
	defer waitRun(t, done)
	defer cancel()
	if !strings.Contains(banner.String(), "approved at once as "+emulator.DemoUser) {
		t.Errorf("the banner does not warn about automatic approval:\n%s", banner)
	}
	oauthURL, clientID := oauthFromBanner(t, banner.String())
	prompts, result, c := deviceLogin(t.Context(), t, oauthURL, apiURL, clientID)
	defer c.Close()
	<-prompts
	if err := <-result; err != nil {
		t.Fatalf("login with automatic approval: %v", err)
	}
}
