package session_test

import (
	"testing"

	"github.com/anaplan-registry/toolkit/lib/internal/masktest"
	"github.com/anaplan-registry/toolkit/lib/session"
)

func TestConfigNeverShowsPasswords(t *testing.T) {
	t.Parallel()
	cfg := session.Config{Username: "analyst@example.com", Password: "pw-SECRET-1", CertFile: "c.pem", KeyFile: "k.pem", KeyPassword: "kp-SECRET-2"}
	masktest.AssertHidden(t, cfg, []string{"pw-SECRET-1", "kp-SECRET-2"}, "analyst@example.com")
	masktest.AssertHidden(t, &cfg, []string{"pw-SECRET-1", "kp-SECRET-2"}, "analyst@example.com")
}

func TestDefaultTokenCacheDir(t *testing.T) {
	t.Setenv(session.EnvTokenCache, "off")
	if d := session.DefaultTokenCacheDir(); d != "" {
		t.Errorf("off: %q", d)
	}
	t.Setenv(session.EnvTokenCache, "/somewhere")
	if d := session.DefaultTokenCacheDir(); d != "/somewhere" {
		t.Errorf("explicit: %q", d)
	}
	t.Setenv(session.EnvTokenCache, "")
	t.Setenv("XDG_CACHE_HOME", "/cache")
	if d := session.DefaultTokenCacheDir(); d != "/cache/anaplan-registry/tokens" {
		t.Errorf("default: %q", d)
	}
}
