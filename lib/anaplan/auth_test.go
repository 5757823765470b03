package anaplan_test

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string           // sent by the client; "" = the right one
		answer   http.HandlerFunc // replaces the fake's authenticate, if set
		wantIs   error            // nil = success
		wantMsg  string           // in the error
	}{
		{name: "201 with token"},
		{name: "401 bad credential", password: "wrong-Pa55word!", wantIs: anaplan.ErrUnauthorized,
			wantMsg: "rejected the username or password"},
		{name: "400 bad header", answer: func(w http.ResponseWriter, r *http.Request) {
			authError(w, http.StatusBadRequest, "FAILURE_BAD_HEADER", "Invalid header. Verify the header.")
		}, wantIs: anaplan.ErrBadRequest, wantMsg: "Authorization header malformed"},
		{name: "2xx that says FAILURE", answer: func(w http.ResponseWriter, r *http.Request) {
			authError(w, http.StatusOK, "FAILURE_BAD_CREDENTIAL", "Invalid credentials.")
		}, wantMsg: "FAILURE_BAD_CREDENTIAL"},
		{name: "2xx without tokenValue", answer: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusCreated, map[string]any{"status": "SUCCESS", "tokenInfo": map[string]any{"tokenId": "x"}})
		}, wantMsg: "without a tokenValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			if tt.answer != nil {
				f.answer("POST /token/authenticate", tt.answer)
			}
			password := f.password
			if tt.password != "" {
				password = tt.password
			}
			c, _ := f.clientWith(t, anaplan.BasicAuth(f.user, password))
			me, err := c.Me(t.Context())
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Me: %v", err)
				}
				if me.Email != f.user {
					t.Errorf("Me().Email = %q, want %q", me.Email, f.user)
				}
				if n := f.count("POST /token/authenticate"); n != 1 {
					t.Errorf("authenticated %d times, want 1", n)
				}
				return
			}
			if err == nil {
				t.Fatal("Me succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
			for _, secret := range []string{password, f.user} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains a credential %q", err, secret)
				}
			}
			if n := f.count("GET /2/0/users/me"); n != 0 {
				t.Errorf("the API was called %d times after a failed authentication", n)
			}
		})
	}
}

func TestBasicAuthRejectedBeforeNetwork(t *testing.T) {
	t.Parallel()
	for _, creds := range []anaplan.Credentials{
		anaplan.BasicAuth("", "x"),
		anaplan.BasicAuth("a@example.com", ""),
		anaplan.BasicAuth("a:b@example.com", "pw"),
	} {
		if _, err := anaplan.New(creds); err == nil {
			t.Errorf("New(%v) succeeded, want an error", creds)
		}
	}
	if _, err := anaplan.New(nil); err == nil {
		t.Error("New(nil credentials) succeeded")
	}
}

func TestCertificateAuth(t *testing.T) {
	t.Parallel()
	p := pki()
	tests := []struct {
		name     string
		opts     []anaplan.CertOption
		format   string
		dataLen  int
		withTime bool
	}{
		{name: "v2 default", format: "v2", dataLen: 8 + 150, withTime: true},
		{name: "v1", opts: []anaplan.CertOption{anaplan.WithCertFormatV1()}, format: "", dataLen: 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			f.setCert(p.cert)
			creds, err := anaplan.CertificateAuth(p.certPEM, pkcs8PEM(p.key), "", tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := f.clientWith(t, creds)
			if _, err := c.Me(t.Context()); err != nil {
				t.Fatalf("Me: %v", err)
			}
			got := f.lastCertAttempt()
			if got.Format != tt.format || got.DataLen != tt.dataLen {
				t.Errorf("sent format %q with %d data bytes, want %q with %d", got.Format, got.DataLen, tt.format, tt.dataLen)
			}
			if tt.withTime && got.Timestamp != f.clock.Now().Unix() {
				t.Errorf("v2 timestamp = %d, want Unix seconds %d", got.Timestamp, f.clock.Now().Unix())
			}
		})
	}
}

func TestCertificateAuthRejected(t *testing.T) {
	t.Parallel()
	p := pki()
	f := newHarness(t) // no certificate registered
	creds, err := anaplan.CertificateAuth(p.certPEM, pkcs1PEM(p.key), "")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.clientWith(t, creds)
	_, err = c.Me(t.Context())
	if !errors.Is(err, anaplan.ErrUnauthorized) || !strings.Contains(err.Error(), "registered for API use") {
		t.Errorf("Me with an unregistered certificate: %v; want ErrUnauthorized saying to register it", err)
	}
}

func TestCertificateKeyFormats(t *testing.T) {
	t.Parallel()
	p := pki()
	legacy := legacyEncryptedPEM(p.key, keyPassword)
	encrypted := encryptedPKCS8PEM(p.key, keyPassword)
	garbage := make([]byte, 300)
	_, _ = rand.Read(garbage)
	tests := []struct {
		name     string
		certPEM  []byte
		keyPEM   []byte
		password string
		wantErr  string // "" = authenticates against the fake
	}{
		{name: "PKCS#1", keyPEM: pkcs1PEM(p.key)},
		{name: "PKCS#8", keyPEM: pkcs8PEM(p.key)},
		{name: "encrypted PKCS#8", keyPEM: encrypted, password: keyPassword},
		{name: "legacy encrypted PEM", keyPEM: legacy, password: keyPassword},
		{name: "key after the certificate in one file", keyPEM: append(append([]byte{}, p.certPEM...), pkcs8PEM(p.key)...)},
		{name: "chain: matching certificate second", certPEM: append(append([]byte{}, p.ecCertPEM...), p.certPEM...), keyPEM: pkcs1PEM(p.key)},
		{name: "encrypted PKCS#8 wrong password", keyPEM: encrypted, password: "not-" + keyPassword, wantErr: "wrong password"},
		{name: "encrypted PKCS#8 no password", keyPEM: encrypted, wantErr: "ANAPLAN_KEY_PASSWORD"},
		{name: "legacy PEM wrong password", keyPEM: legacy, password: "not-" + keyPassword, wantErr: "wrong password"},
		{name: "legacy PEM no password", keyPEM: legacy, wantErr: "ANAPLAN_KEY_PASSWORD"},
		{name: "key of another certificate", keyPEM: pkcs1PEM(p.otherKey), wantErr: "does not match the certificate"},
		{name: "EC PRIVATE KEY", keyPEM: ecPEM(p.ecKey), wantErr: "RSA only"},
		{name: "PKCS#8 ECDSA key", keyPEM: pkcs8PEM(p.ecKey), wantErr: "ECDSA key; Anaplan certificate authentication here supports RSA only"},
		{name: "certificate with an ECDSA key", certPEM: p.ecCertPEM, keyPEM: pkcs1PEM(p.key), wantErr: "RSA only"},
		{name: "garbage key", keyPEM: garbage, wantErr: "not PEM"},
		{name: "PEM block with garbage inside", keyPEM: []byte("-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n"), wantErr: "not a valid PKCS#1 key"},
		{name: "no certificate", certPEM: []byte("hello"), keyPEM: pkcs1PEM(p.key), wantErr: "no certificate found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			certPEM := tt.certPEM
			if certPEM == nil {
				certPEM = p.certPEM
			}
			creds, err := anaplan.CertificateAuth(certPEM, tt.keyPEM, tt.password)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("CertificateAuth succeeded, want an error saying %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not say %q", err, tt.wantErr)
				}
				assertNoKeyMaterial(t, err.Error(), tt.keyPEM, tt.password)
				return
			}
			if err != nil {
				t.Fatalf("CertificateAuth: %v", err)
			}
			f := newHarness(t)
			f.setCert(p.cert)
			c, _ := f.clientWith(t, creds)
			if _, err := c.Token(t.Context()); err != nil {
				t.Fatalf("authenticating: %v", err)
			}
		})
	}
}

// assertNoKeyMaterial fails if s contains the password or any line of the key.
func assertNoKeyMaterial(t *testing.T, s string, keyPEM []byte, password string) {
	t.Helper()
	if password != "" && strings.Contains(s, password) {
		t.Errorf("%q contains the key password", s)
	}
	for line := range strings.Lines(string(keyPEM)) {
		line = strings.TrimSpace(line)
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(s, line) {
			t.Errorf("%q contains key material %q", s, line)
		}
	}
}
