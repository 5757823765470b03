package session_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

var anaplanEnv = []string{
	session.EnvUsername, session.EnvPassword, session.EnvCertFile, session.EnvKeyFile,
	session.EnvKeyPassword, session.EnvCertFormat, session.EnvAuthURL, session.EnvAPIURL,
}

// clearEnv unsets every ANAPLAN_* variable for the test (restored after).
// Tests that use it cannot run in parallel: the environment is global.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, name := range anaplanEnv {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigMissingFileIsFine(t *testing.T) {
	clearEnv(t)
	cfg, err := session.LoadConfig(filepath.Join(t.TempDir(), ".env"))
	if err != nil {
		t.Fatal(err)
	}
	want := session.Config{AuthURL: anaplan.DefaultAuthURL, APIURL: anaplan.DefaultAPIURL}
	if cfg != want {
		t.Errorf("LoadConfig = %v, want %v", cfg, want)
	}
	if cfg.HasCredentials() {
		t.Error("HasCredentials() = true for an empty configuration")
	}
}

func TestLoadConfigReadsTheFile(t *testing.T) {
	clearEnv(t)
	path := writeFile(t, ".env", `# Anaplan
ANAPLAN_CERT_FILE=/keys/cert.pem
export ANAPLAN_KEY_FILE="/keys/key.pem"
ANAPLAN_KEY_PASSWORD='p#ss word'
ANAPLAN_CERT_FORMAT=V1
ANAPLAN_AUTH_URL=http://127.0.0.1:8080
ANAPLAN_API_URL=http://127.0.0.1:8080/2/0   # emulator
`)
	cfg, err := session.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := session.Config{
		CertFile: "/keys/cert.pem", KeyFile: "/keys/key.pem", KeyPassword: "p#ss word", CertFormatV1: true,
		AuthURL: "http://127.0.0.1:8080", APIURL: "http://127.0.0.1:8080/2/0",
	}
	if cfg != want {
		t.Errorf("LoadConfig = %#v, want %#v", cfg, want)
	}
	if !cfg.HasCredentials() || cfg.Validate() != nil {
		t.Errorf("HasCredentials = %t, Validate = %v; want true, nil", cfg.HasCredentials(), cfg.Validate())
	}
}

func TestLoadConfigEnvironmentWins(t *testing.T) {
	clearEnv(t)
	path := writeFile(t, ".env", "ANAPLAN_USERNAME=file@example.com\nANAPLAN_PASSWORD=file-password\nANAPLAN_API_URL=https://eu3.api.anaplan.com/2/0\n")
	t.Setenv(session.EnvUsername, "env@example.com")
	t.Setenv(session.EnvPassword, "") // set but empty: blanks the file's value
	cfg, err := session.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Username != "env@example.com" || cfg.Password != "" || cfg.APIURL != "https://eu3.api.anaplan.com/2/0" {
		t.Errorf("LoadConfig = %v; want the environment's username, a blank password and the file's API URL", cfg)
	}
}

func TestLoadConfigMalformedFile(t *testing.T) {
	const secret = "TopSecret123"
	tests := []struct {
		name, content, want string
	}{
		{"bad variable name", "ANAPLAN_PASSWORD=" + secret + "\nA=1\nBAD-NAME=" + secret + "\nB=2\n", "line 3: invalid character"},
		{"unterminated quote", "ANAPLAN_USERNAME=a@b.c\nANAPLAN_PASSWORD=\"" + secret + "\nB=2\n", "line 2: unterminated quoted value"},
		{"line without =", "ANAPLAN_PASSWORD=" + secret + "\nJUSTAWORD\nB=2\n", "line 2"},
		{"name with a space", "A=\"multi\nline\"\nANAPLAN_PASSWORD=" + secret + "\nMY VAR=" + secret + "\n", "line 4: a variable name with a space"},
		{"CRLF line ends", "ANAPLAN_PASSWORD=" + secret + "\r\nBAD-NAME=1\r\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			path := writeFile(t, ".env", tt.content)
			_, err := session.LoadConfig(path)
			if err == nil {
				t.Fatal("LoadConfig accepted a malformed file")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s and %q", err, path, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the file's content", err)
			}
		})
	}
}

func TestLoadConfigBadCertFormat(t *testing.T) {
	clearEnv(t)
	t.Setenv(session.EnvCertFormat, "v3")
	if _, err := session.LoadConfig(""); err == nil || !strings.Contains(err.Error(), session.EnvCertFormat) {
		t.Errorf("LoadConfig with ANAPLAN_CERT_FORMAT=v3 = %v, want an error naming the variable", err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	basic := session.Config{Username: "a@example.com", Password: "pw"}
	withURLs := func(auth, api string) session.Config {
		c := basic
		c.AuthURL, c.APIURL = auth, api
		return c
	}
	tests := []struct {
		name string
		cfg  session.Config
		want string // "" = valid
	}{
		{"basic", basic, ""},
		{"certificate", session.Config{CertFile: "c.pem", KeyFile: "k.pem"}, ""},
		{"nothing configured", session.Config{}, ""},
		{"username without password", session.Config{Username: "a@example.com"}, "ANAPLAN_PASSWORD is not set"},
		{"password without username", session.Config{Password: "pw"}, "ANAPLAN_USERNAME is not set"},
		{"certificate without key", session.Config{CertFile: "c.pem"}, "ANAPLAN_KEY_FILE is not set"},
		{"key without certificate", session.Config{KeyFile: "k.pem"}, "ANAPLAN_CERT_FILE is not set"},
		{"basic and certificate", session.Config{Username: "a", Password: "b", CertFile: "c", KeyFile: "k"}, "keep one"},
		{"regional https", withURLs("https://eu3.auth.anaplan.com", "https://eu3.api.anaplan.com/2/0"), ""},
		{"loopback IPv4", withURLs("http://127.0.0.1:8080", "http://127.0.0.1:8080/2/0/"), ""},
		{"loopback 127/8", withURLs("http://127.1.2.3:8080", "http://127.1.2.3:8080/2/0"), ""},
		{"loopback IPv6", withURLs("http://[::1]:8080", "http://[::1]:8080/2/0"), ""},
		{"localhost", withURLs("http://localhost:8080", "http://LOCALHOST:8080/2/0"), ""},
		{"plain http to a remote host", withURLs("http://auth.anaplan.com", ""), "plain http:// only to loopback"},
		{"plain http to a LAN address", withURLs("", "http://10.0.0.5:8080/2/0"), "plain http:// only to loopback"},
		{"localhost lookalike", withURLs("http://localhost.evil.example", ""), "plain http:// only to loopback"},
		{"no scheme", withURLs("auth.anaplan.com", ""), "must start with https://"},
		{"other scheme", withURLs("ftp://auth.anaplan.com", ""), "must start with https://"},
		{"malformed", withURLs("https://auth.anaplan.com:port", ""), "not a valid URL"},
		{"no host", withURLs("https://", ""), "no host"},
		{"credentials in the URL", withURLs("https://user:pw@auth.anaplan.com", ""), "must not contain credentials"},
		{"query", withURLs("", "https://api.anaplan.com/2/0?x=1"), "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate = %v, want an error saying %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "pw@") {
				t.Errorf("error %q repeats URL credentials", err)
			}
		})
	}
}

func TestConfigCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	keyPassword := emulator.DemoKeyPassword
	cert := write("cert.pem", emulator.DemoCertificatePEM())
	key := write("key.pem", emulator.DemoEncryptedKeyPEM())
	otherKey := write("other.pem", emulator.DemoCAKeyPEM()) // the CA's key: not the certificate's
	notPEM := write("notpem.txt", []byte("this is not a key"))
	tests := []struct {
		name string
		cfg  session.Config
		want string // "" = credentials built
	}{
		{"basic", session.Config{Username: "a@example.com", Password: "pw"}, ""},
		{"certificate", session.Config{CertFile: cert, KeyFile: key, KeyPassword: keyPassword, CertFormatV1: true}, ""},
		{"none", session.Config{}, "no credentials configured"},
		{"missing certificate file", session.Config{CertFile: filepath.Join(dir, "nope.pem"), KeyFile: key}, "ANAPLAN_CERT_FILE=" + filepath.Join(dir, "nope.pem") + ": no such file"},
		{"key not PEM", session.Config{CertFile: cert, KeyFile: notPEM}, "not PEM"},
		{"wrong key password", session.Config{CertFile: cert, KeyFile: key, KeyPassword: "wrong-" + keyPassword}, "wrong password"},
		{"key of another certificate", session.Config{CertFile: cert, KeyFile: otherKey}, "does not match the certificate"},
		{"half configured", session.Config{Username: "a@example.com"}, "half configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			creds, err := tt.cfg.Credentials()
			if tt.want == "" {
				if err != nil || creds == nil {
					t.Fatalf("Credentials = %v, %v", creds, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Credentials error = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), keyPassword) {
				t.Errorf("error %q contains the key password", err)
			}
		})
	}
}

func TestConfigNewClient(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	cfg := session.Config{Username: emulator.DemoUser, Password: emulator.DemoPassword, AuthURL: srv.URL, APIURL: srv.URL + "/2/0"}
	c, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.APIURL() != srv.URL+"/2/0" || c.AuthURL() != srv.URL {
		t.Errorf("client URLs = %s, %s", c.AuthURL(), c.APIURL())
	}
	if me, err := c.Me(t.Context()); err != nil || me.Email != emulator.DemoUser {
		t.Errorf("Me = %+v, %v; want the demo user", me, err)
	}

	cfg.Password = ""
	if _, err := cfg.NewClient(); err == nil {
		t.Error("NewClient accepted a half-configured Config")
	}
}

func TestLoadConfigResolvesPathsRelativeToTheEnvFile(t *testing.T) {
	for _, k := range []string{session.EnvCertFile, session.EnvKeyFile} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	os.WriteFile(env, []byte("ANAPLAN_CERT_FILE=certs/me.pem\nANAPLAN_KEY_FILE=/abs/key.pem\n"), 0o600)
	cfg, err := session.LoadConfig(env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CertFile != filepath.Join(dir, "certs/me.pem") || cfg.KeyFile != "/abs/key.pem" {
		t.Errorf("CertFile=%q KeyFile=%q", cfg.CertFile, cfg.KeyFile)
	}
}

func TestDefaultEnvFile(t *testing.T) {
	t.Setenv(session.EnvFileVar, "/dev/null")
	if got := session.DefaultEnvFile(); got != "/dev/null" {
		t.Errorf("with %s set: %q", session.EnvFileVar, got)
	}
	os.Unsetenv(session.EnvFileVar)
	root := t.TempDir()
	sub := filepath.Join(root, "notebooks")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644)
	t.Chdir(sub)
	if got := session.DefaultEnvFile(); got != ".env" {
		t.Errorf("no .env anywhere: %q, want .env", got)
	}
	os.WriteFile(filepath.Join(root, ".env"), nil, 0o600)
	if got := session.DefaultEnvFile(); got != filepath.Join(root, ".env") {
		t.Errorf("got %q, want the repository's .env", got)
	}
}
