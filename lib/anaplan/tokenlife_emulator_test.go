package anaplan_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestConcurrentCallersShareOneRefreshOnTheEmulator: twenty calls that
// all find the token past its refresh point share one refresh, against
// the emulator with 2-second tokens (clock shared, so nothing sleeps).
func TestConcurrentCallersShareOneRefreshOnTheEmulator(t *testing.T) {
	t.Parallel()
	clock := emulator.NewClock(testStart)
	e, err := emulator.New(emulator.Options{Now: clock.Now, TokenTTL: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	c, err := anaplan.New(demoBasic(), anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	clock.Advance(1200 * time.Millisecond) // past half its life, not expired
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := anaplan.Collect(c.ListWorkspaces(t.Context(), anaplan.ListOptions{}))
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
	s := e.Stats()
	if s.Handled["POST /token/refresh"] != 1 || s.Handled["POST /token/authenticate"] != 1 {
		t.Errorf("%d refreshes and %d logins for 20 concurrent calls, want 1 and 1", s.Handled["POST /token/refresh"], s.Handled["POST /token/authenticate"])
	}
}

// TestReauthenticatesOnceAndNeverLoops: a token the emulator no longer
// knows (logged out behind the client's back) costs one login and one
// replay; an API that rejects every token costs exactly one login and one
// replay more, then an error, never a loop.
func TestReauthenticatesPerRejectedTokenAndNeverLoops(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	rejectAll := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reject := rejectAll && strings.HasPrefix(r.URL.Path, "/2/0/")
		mu.Unlock()
		if reject {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"status":{"code":401,"message":"Unauthorized"},"path":"` + r.URL.Path + `"}`))
			return
		}
		e.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := anaplan.New(demoBasic(), anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/token/logout", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+tok.Value())
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout behind the client's back: %v %v", resp, err)
	}
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatalf("Me after the token died: %v", err)
	}
	s := e.Stats()
	if s.Handled["POST /token/authenticate"] != 2 || s.Requests["GET /2/0/users/me"] != 2 {
		t.Errorf("%d logins and %d calls, want 2 and 2 (one re-authentication, one replay)", s.Handled["POST /token/authenticate"], s.Requests["GET /2/0/users/me"])
	}

	mu.Lock()
	rejectAll = true
	mu.Unlock()
	if _, err := c.Me(t.Context()); !errors.Is(err, anaplan.ErrUnauthorized) {
		t.Fatalf("Me against an API that rejects every token = %v, want ErrUnauthorized", err)
	}
	if n, want := e.Stats().Handled["POST /token/authenticate"], 2+anaplan.MaxReauthentications; n != want {
		t.Errorf("%d logins in all, want %d: one re-authentication per rejected token, bounded, then the error", n, want)
	}
}

// TestTokenCacheKeyedByHostAndUser: the same user on two auth hosts, and
// two users on one, get files of their own.
func TestTokenCacheKeyedByHostAndUser(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, host := range []string{"http://127.0.0.1" + port, "http://localhost" + port} {
		for _, creds := range []anaplan.Credentials{demoBasic(), anaplan.BasicAuth("priya.shah@example.com", "no-basic-login")} {
			c, err := anaplan.New(creds, anaplan.WithAuthURL(host), anaplan.WithAPIURL(host+"/2/0"), anaplan.WithTokenCache(dir))
			if err != nil {
				t.Fatal(err)
			}
			c.Token(context.Background()) // Priya has no basic login: no token, no file
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 2 {
		t.Errorf("%d cache files, want 2: one per auth host for the demo user, none for a failed login", len(files))
	}
}
