// Package session is the toolkit's app layer, between the scripts and
// notebooks and the client: configuration from ANAPLAN_* variables and
// .env (Config, LoadConfig), where tokens are cached between runs, the
// fallback to the built-in emulator when nothing is configured (Connect),
// what the notebooks show (Recorder, HTML tables) and the short-lived cache
// of the tenant's registry that lets notebook cells, each a new process,
// read the tenant once.
//
// lib/anaplan itself reads no environment variable and no file but those
// its options name; everything that does lives here.
package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Config is the connection configuration read from .env and the
// environment. Its String, Format and LogValue never show the password or
// the key password.
type Config struct {
	Username, Password             string // ANAPLAN_USERNAME, ANAPLAN_PASSWORD
	CertFile, KeyFile, KeyPassword string // ANAPLAN_CERT_FILE, ANAPLAN_KEY_FILE, ANAPLAN_KEY_PASSWORD
	CertFormatV1                   bool   // ANAPLAN_CERT_FORMAT=v1 (v2 is the default)
	AuthURL, APIURL                string // ANAPLAN_AUTH_URL, ANAPLAN_API_URL
	// How to log in and where (auth.go): ANAPLAN_AUTH, ANAPLAN_OAUTH_CLIENT_ID
	// (not a secret), ANAPLAN_OAUTH_URL, ANAPLAN_REGION.
	Auth, OAuthClientID, OAuthURL, Region string

	inherited inheritedURLs // hosts.go: which URLs LoadConfig filled in
}

// The environment variables LoadConfig reads.
const (
	EnvUsername    = "ANAPLAN_USERNAME"
	EnvPassword    = "ANAPLAN_PASSWORD"
	EnvCertFile    = "ANAPLAN_CERT_FILE"
	EnvKeyFile     = "ANAPLAN_KEY_FILE"
	EnvKeyPassword = "ANAPLAN_KEY_PASSWORD"
	EnvCertFormat  = "ANAPLAN_CERT_FORMAT"
	EnvAuthURL     = "ANAPLAN_AUTH_URL"
	EnvAPIURL      = "ANAPLAN_API_URL"

	// EnvFileVar names the .env file DefaultEnvFile returns, e.g. /dev/null
	// to keep a developer's own .env out of a test run.
	EnvFileVar = "ANAPLAN_ENV_FILE"
)

// DefaultEnvFile is the .env file to read when the caller names none: the
// file $ANAPLAN_ENV_FILE names, else the nearest .env in the working
// directory or its parents, looking no higher than the first directory that
// holds a go.mod (so a notebook in notebooks/ finds the repository's .env).
// With no .env anywhere it returns ".env", which LoadConfig treats as empty.
func DefaultEnvFile() string {
	if f := os.Getenv(EnvFileVar); f != "" {
		return f
	}
	dir, err := os.Getwd()
	if err != nil {
		return ".env"
	}
	for {
		candidate := filepath.Join(dir, ".env")
		if _, err := os.Stat(candidate); err == nil {
			return candidate
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return ".env"
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ".env"
		}
		dir = parent
	}
}

// LoadConfig reads envFile (usually ".env"; a missing file is fine, "" skips
// it), then lets the process environment override it: a variable that is
// set wins even when empty, so `ANAPLAN_PASSWORD= cmd` blanks a file value.
// Values are taken exactly as the file writes them, never expanded (see
// parseEnv for the quoting rules). A file larger than MaxEnvFileSize, or a
// directory, is an error. Empty URLs become anaplan.DefaultAuthURL and
// anaplan.DefaultAPIURL. LoadConfig checks syntax only; call Validate
// (NewClient does) for consistency.
func LoadConfig(envFile string) (Config, error) { return loadConfig(envFile, false) }

// loadConfig is LoadConfig; with named, envFile was named explicitly (a
// -env flag, ANAPLAN_ENV_FILE) and must exist: only the default .env may be
// absent, so a typo never quietly means the demo tenant.
func loadConfig(envFile string, named bool) (Config, error) {
	vars := map[string]string{}
	fromFile := func(name string) bool { _, set := os.LookupEnv(name); return !set && vars[name] != "" }
	if envFile != "" {
		b, err := readSettingFile(envFile, envFile, MaxEnvFileSize, "a .env file")
		switch {
		case errors.Is(err, fs.ErrNotExist) && !named:
		case errors.Is(err, fs.ErrNotExist):
			return Config{}, fmt.Errorf("%w; check the path (only the default .env may be absent)", err)
		case err != nil:
			return Config{}, err
		default:
			if vars, err = parseEnvFile(envFile, b); err != nil {
				return Config{}, err
			}
		}
	}
	get := func(name string) string {
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return vars[name]
	}
	cfg := Config{
		Username:    strings.TrimSpace(get(EnvUsername)),
		Password:    get(EnvPassword),
		CertFile:    strings.TrimSpace(get(EnvCertFile)),
		KeyFile:     strings.TrimSpace(get(EnvKeyFile)),
		KeyPassword: get(EnvKeyPassword),
		AuthURL:     strings.TrimSpace(get(EnvAuthURL)),
		APIURL:      strings.TrimSpace(get(EnvAPIURL)),
	}
	// Paths written in a .env are relative to that file, not to whichever
	// directory the program runs in (a notebook runs in notebooks/).
	for name, path := range map[string]*string{EnvCertFile: &cfg.CertFile, EnvKeyFile: &cfg.KeyFile} {
		if *path != "" && fromFile(name) && !filepath.IsAbs(*path) {
			*path = filepath.Join(filepath.Dir(envFile), *path)
		}
	}
	switch f := strings.ToLower(strings.TrimSpace(get(EnvCertFormat))); f {
	case "", "v2":
	case "v1":
		cfg.CertFormatV1 = true
	default:
		return Config{}, fmt.Errorf("anaplan: %s=%q: expected v1 or v2", EnvCertFormat, f)
	}
	if err := cfg.loadAuth(get); err != nil {
		return Config{}, err
	}
	if cfg.AuthURL == "" {
		cfg.AuthURL = anaplan.DefaultAuthURL
	}
	if cfg.APIURL == "" {
		cfg.APIURL = anaplan.DefaultAPIURL
	}
	return cfg, nil
}

// parseEnvFile parses a .env file's content (see parseEnv); errors name
// the file and the line, never the content.
func parseEnvFile(name string, b []byte) (map[string]string, error) {
	vars, err := parseEnv(b)
	if err != nil {
		return nil, fmt.Errorf("anaplan: %s %w", name, err)
	}
	return vars, nil
}

// NewClient validates c, loads its credentials (reading the certificate
// and key files) and returns a client for its URLs. Options given here win
// over c's URLs.
func (c Config) NewClient(opts ...anaplan.Option) (*anaplan.Client, error) {
	return c.newClient(nil, opts...)
}

// newClient is NewClient with the OAuth device login's prompt.
func (c Config) newClient(prompt func(context.Context, anaplan.DevicePrompt) error, opts ...anaplan.Option) (*anaplan.Client, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	creds, err := c.credentials(prompt)
	if err != nil {
		return nil, err
	}
	auth, api, _ := c.hosts()
	base := []anaplan.Option{anaplan.WithAuthURL(auth.url), anaplan.WithAPIURL(api.url)}
	return anaplan.New(creds, append(base, opts...)...)
}

// HasCredentials reports whether any credential variable is set. A partly
// configured Config counts, so that callers choosing between Anaplan and
// the emulator send it to Validate and report the mistake rather than
// quietly falling back to the emulator.
func (c Config) HasCredentials() bool {
	return c.Username != "" || c.Password != "" || c.CertFile != "" || c.KeyFile != "" ||
		c.OAuthClientID != "" || c.Auth != ""
}

func (c Config) hasBasic() bool { return c.Username != "" || c.Password != "" }
func (c Config) hasCert() bool  { return c.CertFile != "" || c.KeyFile != "" }

// Validate reports every configuration mistake at once: half-configured
// credentials, both basic and certificate credentials (an error rather than
// a silent preference, so nobody authenticates as someone unexpected),
// URLs that are malformed or plain http to a non-loopback host, and a URL
// set next to a filled-in one that would send the login elsewhere (a
// sandbox's API with Anaplan's auth host; see checkHostPairing).
func (c Config) Validate() error {
	errs := c.validateAuth()
	if kind, err := c.AuthKind(); err == nil {
		if err := c.checkHostPairing(kind); err != nil {
			errs = append(errs, err)
		}
	}
	for _, u := range []struct{ name, env, value string }{{"auth URL", EnvAuthURL, c.AuthURL}, {"API URL", EnvAPIURL, c.APIURL}} {
		if u.value == "" {
			continue
		}
		if err := anaplan.CheckBaseURL(u.name+" ("+u.env+")", u.value); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Credentials builds the configured credentials, reading the certificate
// and key files. Errors name the file and the problem (missing, not PEM,
// wrong key password, key not matching the certificate). The kind is
// AuthKind's; an OAuth device login prints its link and code on stderr
// (Connect's Options.DevicePrompt shows them elsewhere).
func (c Config) Credentials() (anaplan.Credentials, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c.credentials(nil)
}

// credentials builds the chosen kind's credentials; prompt is the device
// login's (nil: PrintDevicePrompt to stderr).
func (c Config) credentials(prompt func(context.Context, anaplan.DevicePrompt) error) (anaplan.Credentials, error) {
	kind, err := c.AuthKind()
	if err != nil {
		return nil, err
	}
	switch kind {
	case AuthOAuth:
		return c.oauthCredentials(prompt), nil
	case AuthBasic:
		return anaplan.BasicAuth(c.Username, c.Password), nil
	case AuthCert:
		certPEM, err := readConfigFile(EnvCertFile, c.CertFile, "a PEM certificate")
		if err != nil {
			return nil, err
		}
		keyPEM, err := readConfigFile(EnvKeyFile, c.KeyFile, "a PEM private key")
		if err != nil {
			return nil, err
		}
		var opts []anaplan.CertOption
		if c.CertFormatV1 {
			opts = append(opts, anaplan.WithCertFormatV1())
		}
		creds, err := anaplan.CertificateAuth(certPEM, keyPEM, c.KeyPassword, opts...)
		if err != nil {
			return nil, fmt.Errorf("%w (%s=%s, %s=%s)", err, EnvCertFile, c.CertFile, EnvKeyFile, c.KeyFile)
		}
		return creds, nil
	}
	return nil, fmt.Errorf("anaplan: no credentials configured: set %s and %s, or %s and %s, or %s (in the environment or .env)",
		EnvUsername, EnvPassword, EnvCertFile, EnvKeyFile, EnvOAuthClientID)
}

// readConfigFile reads the PEM file the setting env names, up to
// MaxPEMFileSize.
func readConfigFile(env, path, kind string) ([]byte, error) {
	return readSettingFile(env+"="+path, path, MaxPEMFileSize, kind)
}

// String shows every field with the two passwords masked.
func (c Config) String() string {
	return fmt.Sprintf("session.Config{Username:%q, Password:%s, CertFile:%q, KeyFile:%q, KeyPassword:%s, CertFormatV1:%t, AuthURL:%q, APIURL:%q, %s}",
		c.Username, mask(c.Password), c.CertFile, c.KeyFile, mask(c.KeyPassword), c.CertFormatV1, c.AuthURL, c.APIURL, c.authString())
}

// GoString keeps %#v masked too.
func (c Config) GoString() string { return c.String() }

// Format keeps every fmt verb (%v, %+v, %#v, %s, %q, …) to String.
func (c Config) Format(f fmt.State, verb rune) {
	s := c.String()
	if verb == 'q' {
		s = fmt.Sprintf("%q", s)
	}
	_, _ = io.WriteString(f, s)
}

// MarshalJSON masks the passwords too, so a Config shown as JSON (in a
// notebook, a debug dump) cannot leak them.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config // without methods, so no recursion
	masked := plain(c)
	masked.Password, masked.KeyPassword = maskJSON(c.Password), maskJSON(c.KeyPassword)
	return json.Marshal(masked)
}

func maskJSON(secret string) string {
	if secret == "" {
		return ""
	}
	return "[REDACTED]"
}

// mask shows whether a secret is set, never any of it.
func mask(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[REDACTED]"
}

// LogValue masks the passwords in structured logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("username", c.Username), slog.String("password", mask(c.Password)),
		slog.String("certFile", c.CertFile), slog.String("keyFile", c.KeyFile),
		slog.String("keyPassword", mask(c.KeyPassword)), slog.Bool("certFormatV1", c.CertFormatV1),
		slog.String("authURL", c.AuthURL), slog.String("apiURL", c.APIURL),
		slog.String("auth", c.Auth), slog.String("oauthClientID", c.OAuthClientID),
		slog.String("oauthURL", c.OAuthURL), slog.String("region", c.Region))
}
