package emulator_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestOAuthTokensSurviveARestart: with StateDir, a restarted emulator
// takes the access and refresh tokens it issued, still refuses a
// rotated-out refresh token, and its files hold neither token.
func TestOAuthTokensSurviveARestart(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	c := emulator.DemoOAuthClientID
	first := newHarness(t, emulator.Options{StateDir: dir})
	tok := first.approvedTokens(c)
	old := tok["refresh_token"].(string)
	r := first.refreshWith(c, old, "application/json")
	wantStatus(t, r, http.StatusOK)
	rotated := r.json(t)
	first.srv.Close()
	first.e.Close() // the state directory holds one emulator at a time

	second := newHarness(t, emulator.Options{StateDir: dir})
	wantStatus(t, second.do("GET", "/2/0/users/me", "Bearer "+rotated["access_token"].(string), ""), http.StatusOK)
	wantOAuthError(t, second.refreshWith(c, old, "application/json"), 400, "invalid_grant")
	wantStatus(t, second.refreshWith(c, rotated["refresh_token"].(string), "application/json"), http.StatusOK)

	data, err := os.ReadFile(filepath.Join(dir, "oauth.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{old, rotated["refresh_token"].(string), rotated["access_token"].(string)} {
		if strings.Contains(string(data), secret) {
			t.Error("oauth.json holds a usable token")
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "oauth.json")); fi.Mode().Perm() != 0o600 {
		t.Errorf("oauth.json mode %v", fi.Mode().Perm())
	}
	second.srv.Close()
	second.e.Close()
	if err := os.WriteFile(filepath.Join(dir, "oauth.json"), []byte(`{"refresh":{"zz":{}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.New(emulator.Options{StateDir: dir}); err == nil || !strings.Contains(err.Error(), "oauth.json") {
		t.Errorf("New with a corrupt oauth.json: %v", err)
	}
}
