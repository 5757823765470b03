package anaplan_test

// These tests run the real client against the real emulator over HTTP: the
// emulator has its own wire types, so a field the client gets wrong cannot
// be right by accident on both sides.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// emulated is an emulator on a fake clock shared with the clients made by
// client().
type emulated struct {
	srv   *httptest.Server
	clock *emulator.Clock
}

func newEmulated(t testing.TB, tenant *emulator.Tenant) *emulated {
	t.Helper()
	clock := emulator.NewClock(emulator.AdvanceEpoch.Add(3 * time.Hour)) // after the demo tenant's last saves and syncs
	e, err := emulator.New(emulator.Options{Tenant: tenant, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return &emulated{srv: srv, clock: clock}
}

func (e *emulated) client(t testing.TB, creds anaplan.Credentials) *anaplan.Client {
	t.Helper()
	c, err := anaplan.New(creds,
		anaplan.WithAuthURL(e.srv.URL), anaplan.WithAPIURL(e.srv.URL+"/2/0"), anaplan.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func demoBasic() anaplan.Credentials {
	return anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword)
}

func TestEmulatorLogins(t *testing.T) {
	t.Parallel()
	env := newEmulated(t, nil)
	cert := emulator.DemoCertificatePEM()
	certCreds := func(key []byte, password string, opts ...anaplan.CertOption) anaplan.Credentials {
		c, err := anaplan.CertificateAuth(cert, key, password, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for name, creds := range map[string]anaplan.Credentials{
		"basic":                 demoBasic(),
		"cert v2 pkcs8":         certCreds(emulator.DemoPrivateKeyPEM(), ""),
		"cert v1 pkcs8":         certCreds(emulator.DemoPrivateKeyPEM(), "", anaplan.WithCertFormatV1()),
		"cert v2 encrypted":     certCreds(emulator.DemoEncryptedKeyPEM(), emulator.DemoKeyPassword),
		"cert v1 pkcs1":         certCreds(emulator.DemoPKCS1KeyPEM(), "", anaplan.WithCertFormatV1()),
		"basic, email any case": anaplan.BasicAuth(strings.ToUpper(emulator.DemoUser), emulator.DemoPassword),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := env.client(t, creds)
			me, err := c.Me(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if me.ID != emulator.DemoUserID || me.Email != emulator.DemoUser {
				t.Errorf("Me() = %+v", me)
			}
			v, err := c.Validate(context.Background())
			if err != nil || v.UserGUID != emulator.DemoUserID || v.CustomerGUID != emulator.DemoCustomerID {
				t.Errorf("Validate() = %+v, %v", v, err)
			}
		})
	}
}

func TestEmulatorRejectsBadLogins(t *testing.T) {
	t.Parallel()
	env := newEmulated(t, nil)
	expired := mintCert(t, env.clock.Now().Add(-48*time.Hour), env.clock.Now().Add(-24*time.Hour))
	expiredCreds, err := anaplan.CertificateAuth(expired.cert, expired.key, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, creds := range map[string]anaplan.Credentials{
		"wrong password": anaplan.BasicAuth(emulator.DemoUser, "not-the-password"),
		"unknown user":   anaplan.BasicAuth("nobody@example.com", emulator.DemoPassword),
		"expired cert":   expiredCreds,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := env.client(t, creds).Me(context.Background())
			if !errors.Is(err, anaplan.ErrUnauthorized) {
				t.Fatalf("err = %v, want ErrUnauthorized", err)
			}
			if strings.Contains(err.Error(), "not-the-password") {
				t.Error("the error repeats the password")
			}
			if n := strings.Count(err.Error(), "anaplan:"); n != 1 {
				t.Errorf("%q says anaplan: %d times, want once", err, n)
			}
		})
	}
}

type minted struct{ cert, key []byte }

// mintCert signs a certificate for the demo user with the demo CA, valid
// between notBefore and notAfter.
func mintCert(t *testing.T, notBefore, notAfter time.Time) minted {
	t.Helper()
	caBlock, _ := pem.Decode(emulator.DemoCAPEM())
	ca, err := x509.ParseCertificate(caBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	caKeyBlock, _ := pem.Decode(emulator.DemoCAKeyPEM())
	caKey, err := x509.ParsePKCS8PrivateKey(caKeyBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(time.Now().UnixNano()),
		Subject:        pkix.Name{CommonName: emulator.DemoUser},
		EmailAddresses: []string{emulator.DemoUser},
		NotBefore:      notBefore,
		NotAfter:       notAfter,
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	return minted{
		cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		key:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
}

// TestEmulatorTokenLifecycle follows one token through refresh before
// expiry, a logout behind the client's back and the re-authentication it
// forces, and the client's own logout.
func TestEmulatorTokenLifecycle(t *testing.T) {
	t.Parallel()
	env := newEmulated(t, nil)
	c := env.client(t, demoBasic())
	ctx := context.Background()
	first, err := c.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := first.ExpiresAt.Sub(env.clock.Now()); got != emulator.DefaultTokenTTL {
		t.Errorf("token lives %v, want %v", got, emulator.DefaultTokenTTL)
	}

	// 31 minutes later the token is within the refresh margin: the next call
	// refreshes it (same value, later expiry) instead of logging in again.
	env.clock.Advance(31 * time.Minute)
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	refreshed, _ := c.Token(ctx)
	if refreshed.Value() != first.Value() || !refreshed.ExpiresAt.After(first.ExpiresAt) {
		t.Errorf("after refresh: same value %v, expiry %v -> %v",
			refreshed.Value() == first.Value(), first.ExpiresAt, refreshed.ExpiresAt)
	}

	// Someone logs the token out behind the client's back: the next call
	// gets a 401, re-authenticates once and succeeds with a new token.
	logoutRaw(t, env.srv.URL, first.Value())
	if _, err := c.Me(ctx); err != nil {
		t.Fatalf("call after an outside logout: %v", err)
	}
	second, _ := c.Token(ctx)
	if second.Value() == first.Value() {
		t.Error("the client kept the dead token")
	}

	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if code := meRaw(t, env.srv.URL, second.Value()); code != http.StatusUnauthorized {
		t.Errorf("the token still works after Logout: %d", code)
	}
}

func logoutRaw(t *testing.T, base, token string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/token/logout", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
}

func meRaw(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/2/0/users/me", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestEmulatorPaging reads 20,001 models whatever page size is asked for:
// the server caps pages at 5000 and the client must follow meta.paging.
func TestEmulatorPaging(t *testing.T) {
	t.Parallel()
	const total = 20_001
	env := newEmulated(t, emulator.Generate(30, total))
	c := env.client(t, demoBasic())
	for _, size := range []int{0, 7000, 3333} {
		models, err := anaplan.Collect(c.ListModels(context.Background(), anaplan.ListOptions{PageSize: size, Sort: "+name"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(models) != total {
			t.Errorf("page size %d: %d models, want %d", size, len(models), total)
		}
		seen := make(map[string]bool, total)
		for i, m := range models {
			if seen[m.ID] {
				t.Fatalf("page size %d: model %s twice", size, m.ID)
			}
			seen[m.ID] = true
			if i > 0 && models[i-1].Name > m.Name {
				t.Fatalf("page size %d: not sorted at %d", size, i)
			}
		}
	}
}

func TestEmulatorUnknownState(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	tenant.Models[0].ActiveState = "HIBERNATING"
	c := newEmulated(t, tenant).client(t, demoBasic())
	m, err := c.GetModel(context.Background(), tenant.Models[0].ID, anaplan.GetOptions{Details: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.ActiveState != "HIBERNATING" || m.ActiveState.Known() {
		t.Errorf("state = %q (known %v), want HIBERNATING kept as unknown", m.ActiveState, m.ActiveState.Known())
	}
}

func TestEmulatorNoAccessModel(t *testing.T) {
	t.Parallel()
	c := newEmulated(t, nil).client(t, demoBasic())
	ws, err := c.GetWorkspace(context.Background(), emulator.RegistryWorkspaceID, anaplan.GetOptions{Details: true})
	if err != nil || ws.SizeAllowance == 0 {
		t.Fatalf("GetWorkspace = %+v, %v", ws, err)
	}
	_, err = c.GetModel(context.Background(), "00000000000000000000000000000000", anaplan.GetOptions{})
	if !errors.Is(err, anaplan.ErrNotFound) {
		t.Errorf("unknown model: %v, want ErrNotFound", err)
	}
}
