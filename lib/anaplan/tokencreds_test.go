package anaplan_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// credsEmulator serves the demo tenant; logins counts the logins that
// reached its auth service.
func credsEmulator(t *testing.T) (srv *httptest.Server, logins func() int) {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return srv, func() int { return e.Stats().Handled["POST /token/authenticate"] }
}

func onlyCacheFile(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("the cache holds %v, want one entry", files)
	}
	return files[0]
}

// TestTokenCacheMissesWhenThePasswordChanged: a token cached with the
// right password used to hide a wrong one (the run worked until the token
// expired, then failed in the middle of the night). Changed credentials
// miss the cache and log in afresh; the same credentials still hit it.
func TestTokenCacheMissesWhenThePasswordChanged(t *testing.T) {
	t.Parallel()
	srv, logins := credsEmulator(t)
	dir := filepath.Join(t.TempDir(), "tokens")
	ctx := context.Background()
	me := func(password string) error {
		_, err := cachedClient(t, srv, dir, anaplan.BasicAuth(emulator.DemoUser, password)).Me(ctx)
		return err
	}

	if err := me(emulator.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if err := me(emulator.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if n := logins(); n != 1 {
		t.Fatalf("%d logins for two runs with the same password, want 1: the second must reuse the cached token", n)
	}

	err := me("Wrong-" + emulator.DemoPassword)
	if err == nil {
		t.Fatal("a wrong password worked: the cached token of the right one was used")
	}
	if !errors.Is(err, anaplan.ErrUnauthorized) || !strings.Contains(err.Error(), "rejected the username or password") {
		t.Errorf("error %v, want the rejected-credentials error", err)
	}
	if n := logins(); n != 2 {
		t.Errorf("%d logins, want 2: the wrong password must be tried", n)
	}

	// The failed login leaves the right password's entry alone.
	if err := me(emulator.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if n := logins(); n != 2 {
		t.Errorf("%d logins, want still 2: the right password's token stays cached", n)
	}

	// What the entry keeps cannot give the password back: no password, no
	// plain hash of it, only a hash keyed by the directory's own key.
	b, _ := os.ReadFile(onlyCacheFile(t, dir))
	for _, plain := range []string{emulator.DemoPassword, emulator.DemoUser + ":" + emulator.DemoPassword} {
		sum := sha256.Sum256([]byte(plain))
		if strings.Contains(string(b), plain) || strings.Contains(string(b), hex.EncodeToString(sum[:])) {
			t.Errorf("the cache entry holds the password or its plain SHA-256: %s", b)
		}
	}
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil || len(f["credentials"].(string)) != 64 {
		t.Errorf("the entry's credentials hash is %v (%v), want 64 hex digits", f["credentials"], err)
	}
	key, err := os.Stat(filepath.Join(dir, ".credentials-key"))
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Errorf("the cache key: %v, %v; want a 0600 file", key, err)
	}
}

// TestTokenCacheEntryOfOtherCredentialsIsReplaced: entries written before
// the check (without a credentials hash) or under another key are ignored,
// and the next login replaces them.
func TestTokenCacheEntryOfOtherCredentialsIsReplaced(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, dir, entry string)
	}{
		{"an entry without the hash", func(t *testing.T, _, entry string) {
			b, _ := os.ReadFile(entry)
			var f map[string]any
			json.Unmarshal(b, &f)
			delete(f, "credentials")
			b, _ = json.Marshal(f)
			os.WriteFile(entry, b, 0o600)
		}},
		{"another directory's key", func(t *testing.T, dir, _ string) {
			os.WriteFile(filepath.Join(dir, ".credentials-key"), make([]byte, 32), 0o600)
		}},
		{"a key others can read", func(t *testing.T, dir, _ string) {
			os.Chmod(filepath.Join(dir, ".credentials-key"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, logins := credsEmulator(t)
			dir := t.TempDir()
			ctx := context.Background()
			if _, err := cachedClient(t, srv, dir, demoBasic()).Me(ctx); err != nil {
				t.Fatal(err)
			}
			tc.tamper(t, dir, onlyCacheFile(t, dir))
			for run := range 2 {
				if _, err := cachedClient(t, srv, dir, demoBasic()).Me(ctx); err != nil {
					t.Fatalf("run %d: %v", run, err)
				}
			}
			if n := logins(); n != 2 {
				t.Errorf("%d logins, want 2: the doubtful entry is ignored once, then replaced and reused", n)
			}
			onlyCacheFile(t, dir)
		})
	}
}

// TestTokenCacheKeyCreatedOnceByConcurrentRuns: runs that start together
// on an empty cache (cron jobs at the same minute) agree on one key, so
// the token the last of them cached is reused by the next run.
func TestTokenCacheKeyCreatedOnceByConcurrentRuns(t *testing.T) {
	t.Parallel()
	srv, logins := credsEmulator(t)
	dir := t.TempDir()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		c := cachedClient(t, srv, dir, demoBasic())
		wg.Go(func() {
			_, err := c.Me(ctx)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	before := logins()
	if _, err := cachedClient(t, srv, dir, demoBasic()).Me(ctx); err != nil {
		t.Fatal(err)
	}
	if n := logins(); n != before {
		t.Errorf("the run after %d concurrent ones logged in again: their keys disagreed", before)
	}
	if keys, _ := filepath.Glob(filepath.Join(dir, ".*")); len(keys) != 1 {
		t.Errorf("the cache directory holds %v, want the key file alone (no temporary files left)", keys)
	}
}

// TestLogoutDeletesTheEntryOfOtherCredentials: a client whose credentials
// changed does not use the cached token, but logging out still deletes it
// (an OAuth logout sends nothing and would otherwise leave the refresh
// token of the old settings on disk while saying it was deleted).
func TestLogoutDeletesTheEntryOfOtherCredentials(t *testing.T) {
	t.Parallel()
	srv, logins := credsEmulator(t)
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := cachedClient(t, srv, dir, demoBasic()).Me(ctx); err != nil {
		t.Fatal(err)
	}
	onlyCacheFile(t, dir)
	if err := cachedClient(t, srv, dir, anaplan.BasicAuth(emulator.DemoUser, "changed-password")).Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 0 {
		t.Errorf("logout left %v", files)
	}
	if n := logins(); n != 1 {
		t.Errorf("%d logins, want 1: logging out sends no login", n)
	}
}
