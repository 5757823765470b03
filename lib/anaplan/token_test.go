package anaplan_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

const (
	authKey    = "POST /token/authenticate"
	refreshKey = "POST /token/refresh"
	logoutKey  = "POST /token/logout"
	meKey      = "GET /2/0/users/me"
)

func mustMe(t *testing.T, c *anaplan.Client) {
	t.Helper()
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatalf("Me: %v", err)
	}
}

func wantCount(t *testing.T, f *harness, key string, want int) {
	t.Helper()
	if got := f.count(key); got != want {
		t.Errorf("%s called %d times, want %d", key, got, want)
	}
}

func TestTokenRefreshesBeforeExpiry(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	first, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clock.Now().Add(35 * time.Minute); !first.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %s, want %s (epoch milliseconds read as such)", first.ExpiresAt, want)
	}

	f.clock.Advance(29 * time.Minute) // 6 minutes left: outside the 5-minute margin
	mustMe(t, c)
	wantCount(t, f, refreshKey, 0)

	f.clock.Advance(2 * time.Minute) // 4 minutes left: inside the margin
	mustMe(t, c)
	wantCount(t, f, refreshKey, 1)
	wantCount(t, f, authKey, 1)

	now, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if now.Value() != first.Value() || now.ID != first.ID {
		t.Error("refresh changed the token; Anaplan keeps its value")
	}
	if want := f.clock.Now().Add(35 * time.Minute); !now.ExpiresAt.Equal(want) {
		t.Errorf("after refresh ExpiresAt = %s, want %s", now.ExpiresAt, want)
	}
}

func TestExpiredTokenAuthenticatesAgain(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	mustMe(t, c)
	f.clock.Advance(36 * time.Minute)
	mustMe(t, c)
	wantCount(t, f, authKey, 2)
	wantCount(t, f, refreshKey, 0)
}

func TestShortLivedTokenRefreshesAtHalfLife(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.set(func(f *harness) { f.ttl = 2 * time.Minute }) // shorter than the 5-minute margin
	c, _ := f.client(t)
	mustMe(t, c)
	f.clock.Advance(30 * time.Second)
	mustMe(t, c)
	wantCount(t, f, refreshKey, 0) // not a refresh per call
	f.clock.Advance(31 * time.Second)
	mustMe(t, c)
	wantCount(t, f, refreshKey, 1)
	wantCount(t, f, authKey, 1)
}

func TestRefreshRejectedFallsBackToAuthentication(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	mustMe(t, c)
	f.answer(refreshKey, func(w http.ResponseWriter, r *http.Request) {
		authError(w, http.StatusUnauthorized, "FAILURE_BAD_CREDENTIAL", "Token is invalid.")
	})
	f.clock.Advance(31 * time.Minute)
	mustMe(t, c)
	wantCount(t, f, refreshKey, 1)
	wantCount(t, f, authKey, 2)
}

func TestRefreshOutageKeepsTheValidToken(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t, anaplan.WithRetryPolicy(anaplan.RetryPolicy{MaxAttempts: 1}))
	mustMe(t, c)
	f.answer(refreshKey, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	f.clock.Advance(31 * time.Minute)
	mustMe(t, c) // the token still has 4 minutes: keep using it
	wantCount(t, f, authKey, 1)
	if _, err := c.Refresh(t.Context()); !errors.Is(err, anaplan.ErrServer) {
		t.Errorf("forced Refresh during an outage: %v, want ErrServer", err)
	}
}

func TestRefreshExported(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	tok, err := c.Refresh(t.Context()) // no token yet: authenticates
	if err != nil {
		t.Fatal(err)
	}
	wantCount(t, f, authKey, 1)
	f.clock.Advance(10 * time.Minute)
	again, err := c.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantCount(t, f, refreshKey, 1)
	if !again.ExpiresAt.Equal(tok.ExpiresAt.Add(10 * time.Minute)) {
		t.Errorf("refreshed ExpiresAt = %s, want %s", again.ExpiresAt, tok.ExpiresAt.Add(10*time.Minute))
	}
}

// runConcurrently calls fn from n goroutines. hold is installed as the fake's
// gate for handler and keeps the first request open until every goroutine
// has started, so a client without sharing would send n requests.
func runConcurrently(t *testing.T, f *harness, handler string, n int, fn func() error) {
	t.Helper()
	var started atomic.Int32
	allIn := make(chan struct{})
	f.hold(handler, func() { <-allIn })
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if started.Add(1) == int32(n) {
				close(allIn)
			}
			errs[i] = fn()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentCallersShareOneAuthentication(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	runConcurrently(t, f, "authenticate", 32, func() error { _, err := c.Me(t.Context()); return err })
	wantCount(t, f, authKey, 1)
	wantCount(t, f, meKey, 32)
}

func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	mustMe(t, c)
	f.clock.Advance(31 * time.Minute)
	runConcurrently(t, f, "refresh", 32, func() error { _, err := c.Me(t.Context()); return err })
	wantCount(t, f, refreshKey, 1)
	wantCount(t, f, authKey, 1)
}

func TestConcurrent401sShareOneReauthentication(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	mustMe(t, c)
	f.revokeAll()
	runConcurrently(t, f, "authenticate", 16, func() error { _, err := c.Me(t.Context()); return err })
	wantCount(t, f, authKey, 2)
}

func TestUnauthorizedReauthenticatesOnceAndReplays(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	mustMe(t, c)
	f.revokeAll() // the server forgets the token: the next call gets 401
	mustMe(t, c)
	wantCount(t, f, authKey, 2)
	wantCount(t, f, meKey, 3) // ok, 401, replay
}

func TestSecondUnauthorizedIsAnError(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		apiError(w, r, http.StatusUnauthorized, "Unauthorized")
	})
	c, _ := f.client(t)
	_, err := c.Me(t.Context())
	if !errors.Is(err, anaplan.ErrUnauthorized) {
		t.Fatalf("Me = %v, want ErrUnauthorized", err)
	}
	// The first token, then one login per rejected token, bounded: no loop.
	wantCount(t, f, authKey, 1+anaplan.MaxReauthentications)
	wantCount(t, f, meKey, 1+anaplan.MaxReauthentications)
}

// TestTokenExpiringDuringTheReplayIsReplacedToo: with short tokens and a
// slow retry, the new token can expire before the replay arrives; that
// second 401 rejects another token, so the client logs in again rather
// than failing the request (the soak met this with 2 s tokens).
func TestTokenExpiringDuringTheReplayIsReplacedToo(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	mustMe(t, c)
	var calls atomic.Int32
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 { // the old token, then the new one, expired on the way
			apiError(w, r, http.StatusUnauthorized, "Unauthorized")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":{"code":200,"message":"Success"},"user":{"id":"U1","email":"a@example.com"}}`)
	})
	u, err := c.Me(t.Context())
	if err != nil || u.Email != "a@example.com" {
		t.Fatalf("Me = %+v, %v; want the user after two expired tokens", u, err)
	}
	wantCount(t, f, authKey, 3) // the first token and one per rejected token
}

func TestLogout(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)

	if err := c.Logout(t.Context()); err != nil { // not logged in: nothing to do
		t.Fatalf("Logout before login: %v", err)
	}
	wantCount(t, f, logoutKey, 0)

	mustMe(t, c)
	if err := c.Logout(t.Context()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	wantCount(t, f, logoutKey, 1)
	if err := c.Logout(t.Context()); err != nil { // cache cleared: no second call
		t.Fatalf("second Logout: %v", err)
	}
	wantCount(t, f, logoutKey, 1)

	mustMe(t, c) // a new token, not the logged-out one
	wantCount(t, f, authKey, 2)
	wantCount(t, f, meKey, 2)

	f.revokeAll() // already invalid on the server: 401 counts as logged out
	if err := c.Logout(t.Context()); err != nil {
		t.Fatalf("Logout of a revoked token: %v", err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	v, err := c.Validate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := c.Token(t.Context())
	want := anaplan.TokenValidation{
		TokenID: tok.ID, ExpiresAt: tok.ExpiresAt, UserID: f.user,
		UserGUID: "8a81b09d599f5c9a015a0f6b9f2d1234", CustomerGUID: emulator.DemoCustomerID,
	}
	if v != want {
		t.Errorf("Validate = %+v, want %+v", v, want)
	}
	f.revokeAll()
	if _, err := c.Validate(t.Context()); !errors.Is(err, anaplan.ErrUnauthorized) {
		t.Errorf("Validate of a revoked token = %v, want ErrUnauthorized", err)
	}
}

// An authentication whose caller gave up runs on (others may share it);
// Close cancels it and returns once it has ended, so that a program
// closing its client leaves nothing running that logs or sends. A closed
// client refuses to authenticate again.
func TestCloseEndsAnAuthenticationNobodyWaitsFor(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	entered, release := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(release) }) // before the server closes
	f.hold("authenticate", func() {
		close(entered)
		<-release
	})
	c, _ := f.client(t)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { _, err := c.Me(ctx); errc <- err }()
	<-entered
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Me after its caller cancelled: %v, want context.Canceled", err)
	}

	closed := make(chan error, 1)
	go func() { closed <- c.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(30 * time.Second): // a hang, not a timing: the flight would run for minutes
		t.Fatal("Close did not return: it did not cancel the authentication still in flight")
	}
	if _, err := c.Me(t.Context()); !errors.Is(err, anaplan.ErrClosed) || !strings.Contains(err.Error(), "client is closed") {
		t.Errorf("Me after Close: %v, want the client is closed", err)
	}
	wantCount(t, f, authKey, 1)
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
