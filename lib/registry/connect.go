package registry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// emulatorPollInterval is how often tasks are polled on an emulator. The 5 s
// Anaplan advises is for Anaplan; the emulator's tasks take about a second,
// and a demo load of four imports should not take twenty.
const emulatorPollInterval = 250 * time.Millisecond

// isLoopback reports whether host is this machine (where only an emulator,
// never Anaplan, can be).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Session is a client for the configured Anaplan tenant or, when no
// credentials are configured, for the built-in emulator's demo tenant.
type Session struct {
	Client   *anaplan.Client
	Emulated bool // true when the client talks to the in-process emulator

	server *emulator.Server
	user   string
}

// ConnectOptions say where configuration comes from and how the offline
// fallback behaves.
type ConnectOptions struct {
	// EnvFile is the .env file to read (a missing file is fine); "" reads
	// only the process environment.
	EnvFile string
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
}

// DefaultOptions are the settings notebooks use: the nearest .env (see
// anaplan.DefaultEnvFile) and the emulator's state kept under the temp
// directory, so that each notebook cell, a new process, continues where the
// previous one stopped (tokens, uploaded files, loaded model data).
func DefaultOptions() ConnectOptions {
	return ConnectOptions{
		EnvFile:       anaplan.DefaultEnvFile(),
		StateDir:      filepath.Join(os.TempDir(), "anaplan-registry-emulator"),
		TokenCacheDir: anaplan.DefaultTokenCacheDir(),
	}
}

// Connect loads the configuration and returns a session. With credentials
// it talks to the configured tenant; with none at all it starts the
// emulator on a loopback port and logs in as the demo user. Half-configured
// credentials are an error, never a silent fallback to the demo tenant.
func Connect(ctx context.Context, opts ConnectOptions) (*Session, error) {
	cfg, err := anaplan.LoadConfig(opts.EnvFile)
	if err != nil {
		return nil, err
	}
	clientOpts := []anaplan.Option{}
	if opts.Logger != nil {
		clientOpts = append(clientOpts, anaplan.WithLogger(opts.Logger))
	}
	if cfg.HasCredentials() {
		clientOpts = append(clientOpts, anaplan.WithTokenCache(opts.TokenCacheDir))
		if u, err := url.Parse(cfg.APIURL); err == nil && isLoopback(u.Hostname()) {
			clientOpts = append(clientOpts, anaplan.WithPollInterval(emulatorPollInterval)) // a sandbox
		}
		c, err := anaplan.NewFromConfig(ctx, cfg, append(clientOpts, opts.ClientOptions...)...)
		if err != nil {
			return nil, err
		}
		user := cfg.Username
		if user == "" {
			user = "certificate " + cfg.CertFile
		}
		return &Session{Client: c, user: user}, nil
	}
	srv, err := startSharedEmulator(ctx, emulator.Options{StateDir: opts.StateDir, Logger: opts.Logger}, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("starting the built-in emulator: %w", err)
	}
	clientOpts = append(clientOpts, anaplan.WithAuthURL(srv.AuthURL()), anaplan.WithAPIURL(srv.APIURL()),
		anaplan.WithPollInterval(emulatorPollInterval))
	if opts.StateDir != "" {
		// The emulator remembers its tokens in StateDir: so can the client.
		clientOpts = append(clientOpts, anaplan.WithTokenCache(filepath.Join(opts.StateDir, "client-tokens")))
	}
	c, err := anaplan.New(ctx, anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		append(clientOpts, opts.ClientOptions...)...)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Session{Client: c, Emulated: true, server: srv, user: emulator.DemoUser}, nil
}

// Describe says in one line what the session talks to. It never contains
// a secret, and no port: notebook outputs must be reproducible.
func (s *Session) Describe() string {
	if s.Emulated {
		return "No Anaplan credentials configured: using the built-in emulator's demo tenant (user " + s.user + ")."
	}
	return "Using Anaplan at " + s.Client.APIURL() + " as " + s.user + "."
}

// Close ends the client's background work (see anaplan.Client.Close) and
// stops the built-in emulator, if the session started one. It does not log
// out: the token stays valid for the next run to reuse.
func (s *Session) Close() error {
	err := s.Client.Close()
	if s.server == nil {
		return err
	}
	return errors.Join(err, s.server.Close())
}
