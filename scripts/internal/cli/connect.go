package cli

import (
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/anaplan-registry/toolkit/lib/session"
)

// Connection holds the flags every script that talks to Anaplan shares.
type Connection struct {
	EnvFile string
	Verbose bool
	// Auth overrides ANAPLAN_AUTH (session.Options.Auth), e.g. from a
	// script's -oauth flag.
	Auth string
	// AdvanceDemo moves the built-in demo tenant a day on (see
	// session.Options.AdvanceDemo); scripts/registry sets it from a flag.
	AdvanceDemo bool
}

// ConnectionFlags registers -env and -v on fs.
func ConnectionFlags(fs *flag.FlagSet) *Connection {
	c := &Connection{}
	fs.StringVar(&c.EnvFile, "env", session.DefaultEnvFile(), "file with ANAPLAN_* settings (a missing file is fine; the environment overrides it)")
	fs.BoolVar(&c.Verbose, "v", false, "log each request and retry on stderr")
	return c
}

// Connect opens a session and says on stderr, in one line, what it talks
// to: the configured tenant or the built-in emulator.
func (c *Connection) Connect(stderr io.Writer) (*session.Session, error) {
	opts := session.DefaultOptions() // the demo tenant keeps what runs load into it
	opts.EnvFile = c.EnvFile
	opts.Logger = c.Logger(stderr)
	opts.Auth = c.Auth
	opts.DevicePrompt = session.PrintDevicePrompt(stderr) // stdout keeps only the result
	opts.AdvanceDemo = c.AdvanceDemo
	s, err := session.Connect(opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(stderr, s.Describe())
	return s, nil
}

// Logger writes warnings (retries, token refresh trouble) to stderr, and
// with -v also debug lines.
func (c *Connection) Logger(stderr io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if c.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}
