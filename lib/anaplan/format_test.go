package anaplan_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
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

func TestCredentialsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	p := pki()
	basic := anaplan.BasicAuth("analyst@example.com", "pw-SECRET-1")
	assertHidden(t, basic, []string{"pw-SECRET-1"}, "analyst@example.com")

	cert, err := anaplan.CertificateAuth(p.certPEM, pkcs1PEM(p.key), "")
	if err != nil {
		t.Fatal(err)
	}
	keyNumbers := []string{p.key.D.String()[:24], p.key.Primes[0].String()[:24], fmt.Sprintf("%x", p.key.D.Bytes()[:12])}
	assertHidden(t, cert, keyNumbers, "analyst@example.com")
}

func TestTokenAndClientNeverShowTheToken(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	value := tok.Value()
	if len(value) < 32 {
		t.Fatalf("token value %d chars: the fake should issue long tokens", len(value))
	}
	assertHidden(t, tok, []string{value, value[4:20]}, tok.ID[:8])
	assertHidden(t, c, []string{value, value[4:20], f.password}, "credentials=basic")

	if m := tok.Masked(); m != fmt.Sprintf("%s…(%d chars)", value[:4], len(value)) {
		t.Errorf("Masked() = %q", m)
	}
	if got := (anaplan.Token{}).Masked(); got != "(none)" {
		t.Errorf("zero Token Masked() = %q", got)
	}
}
