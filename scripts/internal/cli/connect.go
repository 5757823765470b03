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
	// EnvFile is -env: the .env file to read.
	EnvFile string
	// EnvFileNamed is set when -env was given: then the file must exist.
	EnvFileNamed bool
	Verbose      bool
	// Auth overrides ANAPLAN_AUTH (session.Options.Auth), e.g. from a
	// script's -oauth flag.
	Auth string
	// AdvanceDemo moves the built-in demo tenant a day on (see
	// session.Options.AdvanceDemo); scripts/registry sets it from a flag.
	AdvanceDemo bool
}

// ConnectionFlags registers -env and -v on fs.
func ConnectionFlags(fs *flag.FlagSet) *Connection {
	c := &Connection{EnvFile: session.DefaultEnvFile()}
	fs.Var(envFlag{c}, "env", "`file` of ANAPLAN_* settings, read as written (no $ expansion); the environment overrides it.\nA file named here must exist; the default (the nearest .env) may be absent")
	fs.BoolVar(&c.Verbose, "v", false, "log each request and retry on stderr")
	return c
}

// Connect opens a session and says on stderr, in one line, what it talks
// to: the configured tenant or the built-in emulator.
func (c *Connection) Connect(stderr io.Writer) (*session.Session, error) {
	opts := session.DefaultOptions() // the demo tenant keeps what runs load into it
	opts.EnvFile = c.EnvFile
	opts.EnvFileNamed = opts.EnvFileNamed || c.EnvFileNamed // or ANAPLAN_ENV_FILE
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

// envFlag is -env: it records that the flag was given, since a file the
// user named must exist while the default one may be absent.
type envFlag struct{ c *Connection }

func (f envFlag) String() string {
	if f.c == nil {
		return ""
	}
	return f.c.EnvFile
}

func (f envFlag) Set(path string) error {
	f.c.EnvFile, f.c.EnvFileNamed = path, true
	return nil
}
