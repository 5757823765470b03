package anaplan_test

import (
	"fmt"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/internal/masktest"
)

func TestCredentialsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	p := pki()
	basic := anaplan.BasicAuth("analyst@example.com", "pw-SECRET-1")
	masktest.AssertHidden(t, basic, []string{"pw-SECRET-1"}, "analyst@example.com")

	cert, err := anaplan.CertificateAuth(p.certPEM, pkcs1PEM(p.key), "")
	if err != nil {
		t.Fatal(err)
	}
	keyNumbers := []string{p.key.D.String()[:24], p.key.Primes[0].String()[:24], fmt.Sprintf("%x", p.key.D.Bytes()[:12])}
	masktest.AssertHidden(t, cert, keyNumbers, "analyst@example.com")
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
	masktest.AssertHidden(t, tok, []string{value, value[4:20]}, tok.ID[:8])
	masktest.AssertHidden(t, c, []string{value, value[4:20], f.password}, "credentials=basic")

	if m := tok.Masked(); m != fmt.Sprintf("%s…(%d chars)", value[:4], len(value)) {
		t.Errorf("Masked() = %q", m)
	}
	if got := (anaplan.Token{}).Masked(); got != "(none)" {
		t.Errorf("zero Token Masked() = %q", got)
	}
}
