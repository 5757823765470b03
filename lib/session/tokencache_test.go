package session_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// TestCachedTokenDoesNotHideAWrongPassword: a run with the right password
// caches its token; a wrong ANAPLAN_PASSWORD then used to ride on that
// token. Now it logs in, and fails saying the password was rejected; the
// right password still reuses the cached token.
func TestCachedTokenDoesNotHideAWrongPassword(t *testing.T) {
	srv := sandbox(t)
	cache := t.TempDir()
	logins := func() int { return srv.Emulator.Stats().Handled["POST /token/authenticate"] }
	run := func(password string) error {
		setEnv(t, "ANAPLAN_USERNAME="+emulator.DemoUser, "ANAPLAN_PASSWORD="+password,
			"ANAPLAN_AUTH_URL="+srv.AuthURL(), "ANAPLAN_API_URL="+srv.APIURL())
		s, err := session.Connect(session.Options{TokenCacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, err = s.Client.Me(context.Background())
		return err
	}
	if err := run(emulator.DemoPassword); err != nil {
		t.Fatal(err)
	}
	err := run("not-" + emulator.DemoPassword)
	if err == nil || !strings.Contains(err.Error(), "rejected the username or password") {
		t.Fatalf("a wrong password: %v, want the rejected-credentials error", err)
	}
	if n := logins(); n != 2 {
		t.Errorf("%d logins, want 2: the wrong password must reach the auth service", n)
	}
	if err := run(emulator.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if n := logins(); n != 2 {
		t.Errorf("%d logins, want still 2: the right password reuses its cached token", n)
	}
}
