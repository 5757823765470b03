package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// emulatorPollInterval is how often tasks are polled on an emulator. The 5 s
// Anaplan advises is for Anaplan; the emulator's tasks take about a second,
// and a demo load of four imports should not take twenty.
const emulatorPollInterval = 250 * time.Millisecond

// isLoopback reports whether host is this machine (where only an emulator,
// never Anaplan, can be).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Session is a client for the configured Anaplan tenant or, when no
// credentials are configured, for the built-in emulator's demo tenant.
type Session struct {
	Client   *anaplan.Client
	Emulated bool   // true when the client talks to the in-process emulator
	Auth     string // how it logs in: AuthBasic, AuthCert or AuthOAuth

	release func() error // lets go of the built-in emulator, nil for a real tenant
	user    string
	login   string // where the login goes: the auth service, or OAuth's
	logger  *slog.Logger
	cache   registryCache
	last    registryRead // what the last Registry or ReadRegistry returned
}

// Options say where configuration comes from, how the offline fallback
// behaves and where the registry cache lives.
type Options struct {
	// EnvFile is the .env file to read (a missing file is fine unless
	// EnvFileNamed); "" reads only the process environment.
	EnvFile string
	// EnvFileNamed says EnvFile was named explicitly (a -env flag,
	// ANAPLAN_ENV_FILE), so a missing one is an error, not the demo tenant.
	EnvFileNamed bool
	// StateDir, when set, keeps the emulator's state (tokens, uploaded
	// files, model data) on disk, so a new process (a script run, a notebook
	// cell) continues where the previous one stopped.
	StateDir string
	// TokenCacheDir keeps the token on disk between runs (see
	// anaplan.WithTokenCache); "" turns the cache off. Emulated sessions
	// keep theirs in StateDir instead, or none without one.
	TokenCacheDir string
	// Logger receives the client's warnings (retries, refresh failures).
	Logger *slog.Logger
	// ClientOptions are passed to the client after the URLs and logger.
	ClientOptions []anaplan.Option
	// CacheDir keeps the registry Session.Registry read, so the next
	// process (a notebook cell) reuses it instead of reading the tenant
	// again; "" turns the cache off.
	CacheDir string
	// CacheFor is how long a cached registry is reused (default
	// DefaultCacheFor).
	CacheFor time.Duration
	// Auth, when set, overrides ANAPLAN_AUTH (a script's -oauth flag).
	// With no credentials configured at all, the built-in emulator then
	// logs in that way too (AuthOAuth: its demo device-grant client).
	Auth string
	// DevicePrompt shows an OAuth device login's link and code; nil
	// prints them on stderr (PrintDevicePrompt). See also DevicePromptHTML.
	DevicePrompt func(context.Context, anaplan.DevicePrompt) error
	// DevicePromptHTML, when set and DevicePrompt is not, receives the
	// prompt as HTML (DevicePromptHTML; masked on the built-in emulator,
	// whose port and codes vary): a notebook passes its displayHTML.
	DevicePromptHTML func(html string)
	// AdvanceDemo moves the built-in demo tenant one day on at each
	// Connect (emulator.Tenant.Advance), counting the days in StateDir, so
	// that repeated registry runs have a history to show: models created,
	// grown, archived, moved, renamed, synced. Without StateDir it stays
	// at day 0.
	AdvanceDemo bool
}

// DefaultOptions are the settings scripts and notebooks use: the nearest
// .env (see DefaultEnvFile), the token cache of DefaultTokenCacheDir, the
// emulator's state and the registry cache kept under the temp directory,
// so that each notebook cell, a new process, continues where the previous
// one stopped (tokens, uploaded files, loaded model data, the tenant read).
func DefaultOptions() Options {
	return Options{
		EnvFile:       DefaultEnvFile(),
		EnvFileNamed:  os.Getenv(EnvFileVar) != "",
		StateDir:      filepath.Join(os.TempDir(), "anaplan-registry-emulator"),
		TokenCacheDir: DefaultTokenCacheDir(),
		CacheDir:      filepath.Join(os.TempDir(), "anaplan-registry-cache"),
		CacheFor:      DefaultCacheFor,
	}
}

// Connect loads the configuration and returns a session. With credentials
// it talks to the configured tenant; with none at all it starts the
// emulator on a loopback port and logs in as the demo user. Half-configured
// credentials are an error, never a silent fallback to the demo tenant.
// Connect sends nothing (so it takes no context): the first call logs in,
// or reuses a cached token.
func Connect(opts Options) (*Session, error) {
	cfg, err := loadConfig(opts.EnvFile, opts.EnvFileNamed)
	if err != nil {
		return nil, err
	}
	configured := cfg.HasCredentials()
	if opts.Auth != "" {
		cfg.Auth = opts.Auth
	}
	clientOpts := []anaplan.Option{}
	logger := opts.Logger
	if logger != nil {
		clientOpts = append(clientOpts, anaplan.WithLogger(logger))
	} else {
		logger = slog.New(slog.DiscardHandler)
	}
	if configured {
		kind, err := cfg.AuthKind()
		if err != nil {
			return nil, err
		}
		if kind == AuthOAuth && opts.TokenCacheDir == "" {
			logger.Warn("anaplan: the token cache is off: every run needs a new OAuth device login")
		}
		clientOpts = append(clientOpts, anaplan.WithTokenCache(opts.TokenCacheDir))
		if u, err := url.Parse(cfg.APIURL); err == nil && isLoopback(u.Hostname()) {
			clientOpts = append(clientOpts, anaplan.WithPollInterval(emulatorPollInterval)) // a sandbox
		}
		c, err := cfg.newClient(opts.prompt(false), append(clientOpts, opts.ClientOptions...)...)
		if err != nil {
			return nil, err
		}
		user := cfg.Username
		switch kind {
		case AuthCert:
			user = "certificate " + cfg.CertFile
		case AuthOAuth:
			user = "the OAuth device login of client " + cfg.OAuthClientID
		}
		login := c.AuthURL()
		if kind == AuthOAuth {
			_, _, oauth := cfg.hosts()
			login = strings.TrimRight(shownURL(oauth.url), "/")
		}
		s := &Session{Client: c, Auth: kind, user: user, login: login, logger: logger}
		s.cache = newRegistryCache(opts, c.APIURL(), user)
		return s, nil
	}
	waitCtx, cancel := context.WithTimeout(context.Background(), stateWaitFor)
	defer cancel()
	srv, release, err := acquireEmulator(waitCtx, opts.StateDir, func() (emulator.Options, error) {
		tenant, err := demoTenant(opts) // the demo's day moves on only when an emulator starts
		return emulator.Options{Tenant: tenant, AdvanceSeed: demoSeed, StateDir: opts.StateDir, Logger: opts.Logger, OAuth: emulatorOAuth}, err
	}, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("starting the built-in emulator: %w", err)
	}
	clientOpts = append(clientOpts, anaplan.WithAuthURL(srv.AuthURL()), anaplan.WithAPIURL(srv.APIURL()),
		anaplan.WithPollInterval(emulatorPollInterval))
	if opts.StateDir != "" {
		// The emulator remembers its tokens in StateDir: so can the client.
		clientOpts = append(clientOpts, anaplan.WithTokenCache(filepath.Join(opts.StateDir, "client-tokens")))
	}
	creds, kind := anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword), AuthBasic
	if cfg.Auth == AuthOAuth {
		kind = AuthOAuth
		creds = anaplan.DeviceAuth(emulator.DemoOAuthClientID, anaplan.DeviceOptions{OAuthURL: srv.URL, Prompt: opts.prompt(true)})
	}
	c, err := anaplan.New(creds, append(clientOpts, opts.ClientOptions...)...)
	if err != nil {
		release()
		return nil, err
	}
	s := &Session{Client: c, Emulated: true, Auth: kind, release: release, user: emulator.DemoUser, logger: logger}
	s.cache = newRegistryCache(opts, c.APIURL(), emulator.DemoUser)
	return s, nil
}

// Describe says in one line what the session talks to: for a tenant, both
// the API and the host the login goes to (they are configured apart, and
// the password must not go where the user does not expect). It never
// contains a secret; for the built-in emulator, no port either: notebook
// outputs must be reproducible.
func (s *Session) Describe() string {
	if s.Emulated && s.Auth == AuthOAuth {
		return "No Anaplan credentials configured: using the built-in emulator's demo tenant (user " + s.user +
			", OAuth device login; the emulator approves every code itself)."
	}
	if s.Emulated {
		return "No Anaplan credentials configured: using the built-in emulator's demo tenant (user " + s.user + ")."
	}
	return "Using Anaplan at " + s.Client.APIURL() + " as " + s.user + ", logging in at " + s.login + "."
}

// Close ends the client's background work (see anaplan.Client.Close) and
// stops the built-in emulator, if the session started one. It does not log
// out: the token stays valid for the next run to reuse.
func (s *Session) Close() error {
	err := s.Client.Close()
	if s.release == nil {
		return err
	}
	return errors.Join(err, s.release())
}

// Tenant says whose runs the history files this session's under (see
// registry.Tenant): the built-in emulator's demo tenant, or the customer
// and user GET /users/me names (one request; the host only for a sandbox
// on this machine, with its port). The key older toolkits used, the API
// host without its port and the user, comes along as Legacy.
func (s *Session) Tenant(ctx context.Context) (registry.Tenant, error) {
	host := s.Client.APIURL()
	if u, err := url.Parse(host); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	legacy := host + " " + strings.ToLower(s.user)
	if s.Emulated {
		return registry.DemoTenant(legacy), nil
	}
	me, err := s.Client.Me(ctx)
	if err != nil {
		return registry.Tenant{}, fmt.Errorf("asking Anaplan who the user is, to file the run in the history: %w", err)
	}
	user := me.Email
	if user == "" {
		user = s.user
	}
	return registry.AnaplanTenant(me.CustomerID, user, s.Client.APIURL(), legacy), nil
}
