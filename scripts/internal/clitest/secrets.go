package clitest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/youmark/pkcs8"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// Known secrets of the secret scan: distinctive, so that finding one in
// output cannot be a coincidence.
const (
	scanPassword    = "Sc4n-Password-7f3e91"
	scanKeyPassword = "Sc4n-KeyPassword-c0ffee"
)

// SecretScan runs a script through every path that handles a secret,
// with -v (debug logs) and extra args, and fails if anything it printed
// or logged contains the password, the basic-auth header that carries
// it, the key password, the private key's material, or the value of any
// token the auth service issued. The paths: a basic login that meets a
// 503 (a retry, logged) and a 401 (a re-authentication), with the token
// cache on; a wrong password; a certificate login with an encrypted key;
// a wrong key password; an auth proxy that echoes the Authorization
// header in its error; and an API that echoes the token in its error.
// It sets environment variables, so the calling test cannot be parallel.
func SecretScan(t *testing.T, run cli.RunFunc, args ...string) {
	t.Helper()
	Offline(t)
	key := emulator.DemoPrivateKeyPEM()
	encryptedKey := encryptKey(t, key, scanKeyPassword)
	basicHeader := base64.StdEncoding.EncodeToString([]byte(emulator.DemoUser + ":" + scanPassword))
	secrets := []string{
		scanPassword,
		basicHeader,
		basicHeader[:40], // its first 30 bytes: the user and the password's start
		scanKeyPassword,
	}
	secrets = append(secrets, keyMaterial(t, key)...)
	secrets = append(secrets, keyMaterial(t, encryptedKey)...)
	certFile := writeTemp(t, "user.pem", emulator.DemoCertificatePEM())
	keyFile := writeTemp(t, "user-key.pem", encryptedKey)

	for _, sc := range []struct {
		name    string
		setup   func(s *scanServer)
		basic   bool
		keyPass string
		ok      bool   // the run must succeed
		logged  string // a line the run must have logged
	}{
		{"basic login, a retry and a re-authentication", func(s *scanServer) { s.failFirstAPICalls(http.StatusServiceUnavailable, http.StatusUnauthorized) },
			true, "", true, "re-authenticating"},
		{"wrong password", func(s *scanServer) { s.wrongPassword = true }, true, "", false, "rejected the username or password"},
		{"certificate with an encrypted key", nil, false, scanKeyPassword, true, "anaplan: authenticated"},
		{"wrong key password", nil, false, "not-" + scanKeyPassword, false, "wrong password"},
		{"an auth proxy echoing the Authorization header", func(s *scanServer) { s.echoAuthorization = true }, true, "", false, "400"},
		{"an API echoing the token", func(s *scanServer) { s.echoToken = true }, true, "", false, "403"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			s := newScanServer(t)
			if sc.setup != nil {
				sc.setup(s)
			}
			t.Setenv("ANAPLAN_TOKEN_CACHE", t.TempDir())
			t.Setenv("ANAPLAN_AUTH_URL", s.srv.URL)
			t.Setenv("ANAPLAN_API_URL", s.srv.URL+"/2/0")
			if sc.basic {
				t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
				t.Setenv("ANAPLAN_PASSWORD", scanPassword)
			} else {
				t.Setenv("ANAPLAN_CERT_FILE", certFile)
				t.Setenv("ANAPLAN_KEY_FILE", keyFile)
				t.Setenv("ANAPLAN_KEY_PASSWORD", sc.keyPass)
			}
			res := Run(t, run, append([]string{"-v"}, args...)...)
			output := res.Stdout + res.Stderr
			if (res.Code == 0) != sc.ok {
				t.Fatalf("exit %d, want success %t: the scenario did not run as planned\n%s", res.Code, sc.ok, output)
			}
			if !strings.Contains(output, sc.logged) {
				t.Errorf("the output lacks %q: the scenario did not run as planned\n%s", sc.logged, output)
			}
			for _, secret := range append(secrets, s.tokens()...) {
				if strings.Contains(output, secret) {
					t.Errorf("the output contains a secret (%.12s…):\n%s", secret, output)
				}
			}
		})
	}
}

// scanServer is the demo tenant (the demo user's password replaced by
// scanPassword) behind a handler that records every token the auth
// service issues and can misbehave on demand.
type scanServer struct {
	srv *httptest.Server
	e   *emulator.Emulator

	mu                sync.Mutex
	issued            []string
	failures          []int // statuses for the next API calls
	wrongPassword     bool  // the script is given another password
	echoAuthorization bool  // answer logins 400 quoting the Authorization header
	echoToken         bool  // answer API calls 403 quoting the token
}

func newScanServer(t *testing.T) *scanServer {
	t.Helper()
	tenant := emulator.Demo()
	for i, u := range tenant.Users {
		if u.Email == emulator.DemoUser {
			tenant.Users[i].PasswordHash = emulator.HashPassword(scanPassword)
		}
	}
	// Short tasks: scripts that load wait for imports.
	e, err := emulator.New(emulator.Options{Tenant: tenant, TaskDuration: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	s := &scanServer{e: e}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *scanServer) failFirstAPICalls(statuses ...int) { s.failures = statuses }

func (s *scanServer) tokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

func (s *scanServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var fail int
	if strings.HasPrefix(r.URL.Path, "/2/0/") && len(s.failures) > 0 {
		fail, s.failures = s.failures[0], s.failures[1:]
	}
	wrong, echoAuth, echoToken := s.wrongPassword, s.echoAuthorization, s.echoToken
	s.mu.Unlock()
	switch {
	case wrong && r.URL.Path == "/token/authenticate":
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(emulator.DemoUser+":not-the-password")))
	case echoAuth && r.URL.Path == "/token/authenticate":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		// Long enough that the client's one-line summary of the body cuts
		// the credentials in the middle.
		w.Write([]byte("Bad request from gateway gw-eu-01. Rejected header: Authorization: " + r.Header.Get("Authorization") + "\n"))
		return
	case echoToken && strings.HasPrefix(r.URL.Path, "/2/0/"):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]any{"status": map[string]any{"code": 403,
			"message": "Forbidden for " + r.Header.Get("Authorization")}})
		return
	case fail != 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fail)
		json.NewEncoder(w).Encode(map[string]any{"status": map[string]any{"code": fail, "message": http.StatusText(fail)}, "path": r.URL.Path})
		return
	}
	rec := httptest.NewRecorder()
	s.e.Handler().ServeHTTP(rec, r)
	if strings.HasPrefix(r.URL.Path, "/token/") && rec.Code < 300 {
		var body struct {
			TokenInfo struct {
				TokenValue string `json:"tokenValue"`
			} `json:"tokenInfo"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &body) == nil && body.TokenInfo.TokenValue != "" {
			s.mu.Lock()
			s.issued = append(s.issued, body.TokenInfo.TokenValue)
			s.mu.Unlock()
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// encryptKey re-encrypts a PEM PKCS#8 key with password.
func encryptKey(t *testing.T, keyPEM []byte, password string) []byte {
	t.Helper()
	block, _ := pem.Decode(keyPEM)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	der, err := pkcs8.MarshalPrivateKey(key, []byte(password), nil)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
}

// keyMaterial lists what of a PEM key must never be printed: each base64
// line of its body, and for a clear key its private exponent and primes
// in decimal and hex (what %v of an *rsa.PrivateKey shows).
func keyMaterial(t *testing.T, keyPEM []byte) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(string(keyPEM), "\n") {
		if len(line) >= 40 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	block, _ := pem.Decode(keyPEM)
	if block.Type == "PRIVATE KEY" {
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		rsaKey := key.(*rsa.PrivateKey)
		out = append(out, rsaKey.D.String()[:40], rsaKey.D.Text(16)[:40])
		for _, p := range rsaKey.Primes {
			out = append(out, p.String()[:40], p.Text(16)[:40])
		}
	}
	return out
}

func writeTemp(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
