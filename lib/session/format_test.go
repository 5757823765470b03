package session_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/session"
)

// renderings prints v every way a developer might: fmt verbs, as a field of
// a struct, and through slog's text and JSON handlers.
func renderings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["field "+verb] = fmt.Sprintf(verb, struct{ Field any }{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "value", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", slog.Any("value", v))
	out["slog text"], out["slog JSON"] = text.String(), js.String()
	return out
}

func assertHidden(t *testing.T, v any, secrets []string, visible string) {
	t.Helper()
	for how, s := range renderings(v) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s of %T shows a secret: %s", how, v, s)
			}
		}
		if visible != "" && how != "%x" && how != "field %x" && how != "json" && !strings.Contains(s, visible) {
			t.Errorf("%s of %T hides %q too: %s", how, v, visible, s)
		}
	}
}

func TestConfigNeverShowsPasswords(t *testing.T) {
	t.Parallel()
	cfg := session.Config{Username: "analyst@example.com", Password: "pw-SECRET-1", CertFile: "c.pem", KeyFile: "k.pem", KeyPassword: "kp-SECRET-2"}
	assertHidden(t, cfg, []string{"pw-SECRET-1", "kp-SECRET-2"}, "analyst@example.com")
	assertHidden(t, &cfg, []string{"pw-SECRET-1", "kp-SECRET-2"}, "analyst@example.com")
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
