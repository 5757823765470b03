package anaplan_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// countingEmulator serves the demo tenant and counts logins.
func countingEmulator(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logins atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token/authenticate" {
			logins.Add(1)
		}
		e.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &logins
}

func cachedClient(t *testing.T, srv *httptest.Server, dir string, creds anaplan.Credentials) *anaplan.Client {
	t.Helper()
	c, err := anaplan.New(creds,
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithTokenCache(dir))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTokenCacheReusedAcrossClients is two script runs in a row: the second
// finds the first's token on disk and does not log in again.
func TestTokenCacheReusedAcrossClients(t *testing.T) {
	t.Parallel()
	srv, logins := countingEmulator(t)
	dir := filepath.Join(t.TempDir(), "tokens")
	ctx := context.Background()
	for run := range 3 {
		if _, err := cachedClient(t, srv, dir, demoBasic()).Me(ctx); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
	if n := logins.Load(); n != 1 {
		t.Errorf("%d logins for three runs, want 1", n)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("cache holds %d files, want 1", len(files))
	}
	fi, _ := os.Stat(files[0])
	di, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("modes: file %v dir %v, want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	if b, _ := os.ReadFile(files[0]); strings.Contains(string(b), emulator.DemoPassword) {
		t.Error("the cache file holds the password")
	}

	// Another user gets a file of their own.
	other := anaplan.BasicAuth("ANOTHER."+emulator.DemoUser, "x")
	cachedClient(t, srv, dir, other).Me(ctx) // fails to log in; must not touch the demo user's file
	if files2, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files2) != 1 {
		t.Errorf("a failed login of another user changed the cache: %v", files2)
	}

	// Logout ends the token and deletes the file: the next run logs in.
	if err := cachedClient(t, srv, dir, demoBasic()).Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 0 {
		t.Errorf("logout left %v", files)
	}
	if _, err := cachedClient(t, srv, dir, demoBasic()).Me(ctx); err != nil {
		t.Fatal(err)
	}
	if n := logins.Load(); n != 2+1 { // the other user's failed attempt counts too
		t.Errorf("%d logins, want 3 (first run, other user, after logout)", n)
	}
}

// TestTokenCacheDeadToken: the cached token no longer works (the server was
// reset); the client logs in once and replaces it.
func TestTokenCacheDeadToken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, _ := countingEmulator(t)
	if _, err := cachedClient(t, first, dir, demoBasic()).Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, logins := countingEmulator(t) // a new server knows none of the old tokens
	if _, err := cachedClient(t, second, dir, demoBasic()).Me(context.Background()); err != nil {
		t.Fatalf("a dead cached token was not replaced: %v", err)
	}
	if n := logins.Load(); n != 1 {
		t.Errorf("%d logins on the new server, want 1", n)
	}
}

func TestTokenCacheIgnoresFilesOthersCanRead(t *testing.T) {
	t.Parallel()
	srv, logins := countingEmulator(t)
	dir := t.TempDir()
	cachedClient(t, srv, dir, demoBasic()).Me(context.Background())
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	os.Chmod(files[0], 0o644)
	cachedClient(t, srv, dir, demoBasic()).Me(context.Background())
	if n := logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2: a world-readable token file must not be trusted", n)
	}
}
