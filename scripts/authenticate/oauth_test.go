package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// oauthSandbox points the environment at an emulator on a loopback port
// that approves every device code at once (the sandbox's
// -oauth-approve-as), and returns the token cache directory.
func oauthSandbox(t *testing.T) (cacheDir string) {
	t.Helper()
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{OAuth: emulator.OAuthOptions{PollInterval: time.Second, ApproveAs: emulator.DemoUser}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	t.Setenv("ANAPLAN_AUTH_URL", srv.AuthURL())
	t.Setenv("ANAPLAN_API_URL", srv.URL) // as other clients spell it: /2/0 is added
	t.Setenv("ANAPLAN_OAUTH_URL", srv.URL)
	t.Setenv("ANAPLAN_OAUTH_CLIENT_ID", emulator.DemoOAuthClientID)
	cacheDir = t.TempDir()
	t.Setenv("ANAPLAN_TOKEN_CACHE", cacheDir)
	return cacheDir
}

var promptLine = regexp.MustCompile(`To log in, open http://127\.0\.0\.1:[0-9]+/activate\?user_code=([A-Z0-9]{4}-[A-Z0-9]{4})\nand confirm the code ([A-Z0-9]{4}-[A-Z0-9]{4})`)

func cachedFiles(t *testing.T, dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	return files
}

func TestAuthenticateOAuthDeviceLoginThenCacheThenLogout(t *testing.T) {
	cache := oauthSandbox(t)

	res := clitest.Run(t, run, "-oauth", "-format", "json")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	m := promptLine.FindStringSubmatch(res.Stderr)
	if m == nil || m[1] != m[2] {
		t.Fatalf("stderr does not show the link with the code and the code:\n%s", res.Stderr)
	}
	if strings.Contains(res.Stdout, "To log in") {
		t.Error("the prompt went to stdout, which is for the result")
	}
	var info tokenInfo
	if err := json.Unmarshal([]byte(res.Stdout), &info); err != nil {
		t.Fatalf("%v\n%s", err, res.Stdout)
	}
	if info.User != emulator.DemoUser || info.UserGUID != emulator.DemoUserID || info.Auth != "oauth" || info.OnEmulator {
		t.Errorf("info = %+v, want the demo user logged in with OAuth at the sandbox", info)
	}
	files := cachedFiles(t, cache)
	if len(files) != 1 {
		t.Fatalf("token cache holds %v, want one file", files)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("token cache mode %v, want 0600", fi.Mode().Perm())
	}
	var cached struct{ RefreshToken, TokenValue string }
	b, _ := os.ReadFile(files[0])
	if err := json.Unmarshal(b, &cached); err != nil || cached.RefreshToken == "" {
		t.Fatalf("cached tokens: %v, refresh token kept: %t", err, cached.RefreshToken != "")
	}
	if strings.Contains(res.Stdout+res.Stderr, cached.RefreshToken) || strings.Contains(res.Stdout+res.Stderr, cached.TokenValue) {
		t.Error("a token appears in the output")
	}

	// The next run finds the tokens in the cache: no code, nobody to wait for.
	res = clitest.Run(t, run, "-oauth")
	if res.Code != 0 || strings.Contains(res.Stderr, "To log in") || !strings.Contains(res.Stdout, emulator.DemoUser) {
		t.Fatalf("second run: exit %d, stdout\n%s\nstderr\n%s\nwant the user without a new device login", res.Code, res.Stdout, res.Stderr)
	}

	res = clitest.Run(t, run, "-oauth", "-logout")
	if res.Code != 0 || !strings.Contains(res.Stdout, "Logged out") || strings.Contains(res.Stderr, "To log in") {
		t.Fatalf("logout: exit %d, stdout\n%s\nstderr\n%s", res.Code, res.Stdout, res.Stderr)
	}
	if files := cachedFiles(t, cache); len(files) != 0 {
		t.Errorf("after -logout the cache still holds %v", files)
	}
}

func TestAuthenticateOAuthOnTheBuiltInEmulator(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-oauth")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	if !strings.Contains(res.Stderr, "built-in emulator") || promptLine.FindString(res.Stderr) == "" {
		t.Errorf("stderr does not say emulator and show the device login:\n%s", res.Stderr)
	}
	if !strings.Contains(res.Stdout, emulator.DemoUser) || !strings.Contains(res.Stdout, "oauth") {
		t.Errorf("stdout lacks the demo user logged in with OAuth:\n%s", res.Stdout)
	}
}

func TestAuthenticateOAuthNeedsAClient(t *testing.T) {
	clitest.Offline(t)
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	res := clitest.Run(t, run, "-oauth")
	if res.Code == 0 || !strings.Contains(res.Stderr, "ANAPLAN_OAUTH_CLIENT_ID") {
		t.Errorf("exit %d, stderr %q: want an error naming ANAPLAN_OAUTH_CLIENT_ID", res.Code, res.Stderr)
	}
}
