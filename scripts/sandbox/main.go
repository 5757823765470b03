// Command sandbox runs the Anaplan emulator on a loopback address, so the
// toolkit's scripts and notebooks (or curl) can talk to a realistic tenant
// without Anaplan credentials.
//
//	go run ./scripts/sandbox                       # demo tenant on 127.0.0.1:8080
//	go run ./scripts/sandbox -state .cache/sandbox # tokens survive restarts
//	go run ./scripts/sandbox -models 20000         # a large generated tenant
//	go run ./scripts/sandbox -rate-limit 0.1 -error-rate 0.05 -drop-rate 0.02 \
//	    -latency 50ms -token-ttl 2m -seed 7        # a busy tenant, replayable
//
// Ctrl-C stops it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

// config is the parsed command line.
type config struct {
	addr        string
	allowRemote bool
	stateDir    string
	definitions modelDefinitions
	tokenTTL    time.Duration
	taskTime    time.Duration
	workspaces  int
	models      int
	verbose     bool
	faults      emulator.Faults
	oauthPoll   time.Duration
	approveAs   string
	advance     string
	advanceDays int
	timeouts    emulator.ServerTimeouts
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	var c config
	fs := cli.NewFlagSet("sandbox", "Runs the Anaplan emulator (auth service + Integration API v2) on a loopback address.", stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	fs.BoolVar(&c.allowRemote, "allow-remote", false, "allow a non-loopback -addr (the demo password is public)")
	fs.StringVar(&c.stateDir, "state", "", "persist tokens, uploaded files, tasks and model data in `DIR`; empty keeps them in memory")
	c.definitions = modelDefinitions{}
	fs.Var(c.definitions, "model", "make model `MODELID=FILE` stand in for yours in the bulk API: FILE is an engine definition\n"+
		"(lib/emulator/engine/README.md); repeatable. The demo's Model Registry has one built in")
	fs.DurationVar(&c.tokenTTL, "token-ttl", emulator.DefaultTokenTTL, "token lifetime, e.g. 2m to exercise refreshes")
	fs.DurationVar(&c.taskTime, "task-duration", 0, "how long tasks and large read requests take to complete, e.g. 1ms (default 1s)")
	fs.IntVar(&c.workspaces, "workspaces", 0, "serve a generated tenant with `N` workspaces instead of the demo tenant (default models/250, at least 1)")
	fs.StringVar(&c.advance, "advance", "", "serve the tenant moved `N`d days on (models created, grown, archived, moved, renamed, synced; deterministic under -seed), e.g. 7d")
	fs.IntVar(&c.models, "models", 0, "serve a generated tenant with `M` models instead of the demo tenant")
	fs.BoolVar(&c.verbose, "v", false, "log every request to stderr")
	fs.StringVar(&c.approveAs, "oauth-approve-as", "", "approve every OAuth device code at once as the user with this `EMAIL` (for tests with nobody at the page)")
	fs.DurationVar(&c.oauthPoll, "oauth-interval", emulator.DefaultDevicePollEvery, "the OAuth device grant's poll `interval` (whole seconds), e.g. 1s for quick tests")
	fs.Float64Var(&c.faults.RateLimit, "rate-limit", 0, "answer fraction `F` of requests 429 with a short Retry-After")
	fs.Float64Var(&c.faults.ErrorRate, "error-rate", 0, "answer fraction `F` of requests 500, 502 or 503")
	fs.Float64Var(&c.faults.DropRate, "drop-rate", 0, "drop the connection of fraction `F` of requests")
	fs.TextVar(&c.faults.DropMode, "drop-mode", emulator.DropMixed, "`MODE`: before (the emulator acts), after (it acted; response cut mid-body) or mixed")
	fs.DurationVar(&c.faults.Latency, "latency", 0, "delay every request by `D`")
	fs.Int64Var(&c.faults.Seed, "seed", 0, "seed `N` of the fault injection: the same seed replays the same faults")
	fs.BoolVar(&c.faults.ExemptAuth, "exempt-auth", false, "never fault the auth service (/token/...)")
	fs.DurationVar(&c.timeouts.ReadHeader, "header-timeout", emulator.DefaultReadHeaderTimeout, "close a connection whose request headers take longer than `D`")
	fs.DurationVar(&c.timeouts.Idle, "idle-timeout", emulator.DefaultIdleTimeout, "close a kept-alive connection idle for `D`")
	fs.DurationVar(&c.timeouts.BodyGrace, "body-grace", emulator.DefaultBodyGrace, "how far a request body may lag behind -body-min-rate, `D`, before it is cut off")
	fs.Int64Var(&c.timeouts.BodyMinRate, "body-min-rate", emulator.DefaultBodyMinRate, "cut off a request body arriving slower than `BYTES` a second on average (large uploads on slow links stay well above it)")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, cli.UsageError{Err: err}
	}
	return &c, nil
}

// check validates the values the flags' types let through, each error
// naming the one flag at fault.
func (c *config) check() error {
	switch {
	case c.tokenTTL <= 0:
		return fmt.Errorf("-token-ttl %v: want a positive duration such as 35m", c.tokenTTL)
	case c.oauthPoll < time.Second || c.oauthPoll%time.Second != 0:
		return fmt.Errorf("-oauth-interval %v: want whole seconds of at least 1s, e.g. 5s", c.oauthPoll)
	case c.taskTime < 0:
		return fmt.Errorf("-task-duration %v: want a duration of at least 0, e.g. 1ms", c.taskTime)
	case c.advance != "" && !c.parseAdvance():
		return fmt.Errorf("-advance %q: want a number of days from 0 to 3650, e.g. 7d", c.advance)
	case c.timeouts.ReadHeader <= 0:
		return fmt.Errorf("-header-timeout %v: want a positive duration such as 10s", c.timeouts.ReadHeader)
	case c.timeouts.Idle <= 0:
		return fmt.Errorf("-idle-timeout %v: want a positive duration such as 2m", c.timeouts.Idle)
	case c.timeouts.BodyGrace <= 0:
		return fmt.Errorf("-body-grace %v: want a positive duration such as 10s", c.timeouts.BodyGrace)
	case c.timeouts.BodyMinRate <= 0:
		return fmt.Errorf("-body-min-rate %d: want a positive number of bytes a second, e.g. %d", c.timeouts.BodyMinRate, emulator.DefaultBodyMinRate)
	case c.workspaces < 0:
		return fmt.Errorf("-workspaces %d: want a count of 1 or more (leave it out for the demo tenant)", c.workspaces)
	case c.models < 0:
		return fmt.Errorf("-models %d: want a count of 1 or more (leave it out for the demo tenant)", c.models)
	}
	return checkFaults(c.faults)
}

// checkFaults validates the fault flags, naming the flag at fault.
func checkFaults(f emulator.Faults) error {
	for _, frac := range []struct {
		flag string
		v    float64
	}{{"-rate-limit", f.RateLimit}, {"-error-rate", f.ErrorRate}, {"-drop-rate", f.DropRate}} {
		if !(frac.v >= 0 && frac.v <= 1) {
			return fmt.Errorf("%s %v: want a fraction between 0 and 1, e.g. 0.05", frac.flag, frac.v)
		}
	}
	if sum := f.RateLimit + f.ErrorRate + f.DropRate; sum > 1+1e-9 {
		return fmt.Errorf("-rate-limit %v + -error-rate %v + -drop-rate %v = %v: want at most 1 (a request gets at most one fault)",
			f.RateLimit, f.ErrorRate, f.DropRate, sum)
	}
	if f.Latency < 0 {
		return fmt.Errorf("-latency %v: want a duration of at least 0, e.g. 100ms", f.Latency)
	}
	return nil
}

// run serves the emulator until ctx ends, then shuts it down cleanly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if c.verbose {
		level = slog.LevelDebug
	}
	opts := emulator.Options{
		TokenTTL:     c.tokenTTL,
		TaskDuration: c.taskTime,
		StateDir:     c.stateDir,
		Faults:       c.faults,
		Logger:       slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
		AllowRemote:  c.allowRemote,
		Timeouts:     c.timeouts,
		AdvanceSeed:  uint64(c.faults.Seed) + 1, // -advance and POST /__emulator/advance move it alike
		OAuth:        emulator.OAuthOptions{PollInterval: c.oauthPoll, ApproveAs: c.approveAs},
	}
	if err := c.definitions.load(&opts); err != nil {
		return err
	}
	demo := emulator.Demo()
	tenant := fmt.Sprintf("the demo tenant (%d workspaces, %d models; lib/emulator/README.md describes it)", len(demo.Workspaces), len(demo.Models))
	if c.workspaces > 0 || c.models > 0 {
		ws := c.workspaces
		if ws == 0 {
			ws = max(1, c.models/250)
		}
		opts.Tenant = emulator.Generate(ws, c.models)
		tenant = fmt.Sprintf("generated tenant (%s, %s)", cli.Count(len(opts.Tenant.Workspaces), "workspace"), cli.Count(len(opts.Tenant.Models), "model"))
	}
	if c.advance != "" {
		days := c.advanceDays
		base := opts.Tenant
		if base == nil {
			base = demo
		}
		var events []emulator.Event
		opts.Tenant, events = base.Advance(days, opts.AdvanceSeed)
		tenant += fmt.Sprintf(", moved %s on (%s)", cli.Count(days, "day"), cli.Count(len(events), "change"))
	}
	tenant += c.definitions.banner()
	srv, err := emulator.Start(c.addr, opts)
	switch {
	case errors.Is(err, emulator.ErrRemoteAddr):
		return cli.UsageError{Err: fmt.Errorf("-addr %s is not a loopback address and the demo password is public; pass -allow-remote to listen there anyway", c.addr)}
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("-addr %s: the address is already in use (another sandbox still running?): stop that one, or pass another port; -addr 127.0.0.1:0 picks a free one", c.addr)
	case err != nil:
		return err
	}
	state := "in memory (a restart forgets tokens, files and tasks; use -state DIR to keep them)"
	if c.stateDir != "" {
		state = "persisted in " + c.stateDir
	}
	faults := ""
	if c.faults.Active() {
		faults = "\n  faults:    " + c.faults.String() + " (the same flags replay the same faults)"
	}
	fmt.Fprintf(stdout, `Anaplan emulator listening on %s
  tenant:    %s
  state:     %s
  token TTL: %v%s
  auth URL:  %s
  API URL:   %s

Log in as %s
  Basic:       password in lib/emulator/demo/README.md (DEMO ONLY)
  Certificate: lib/emulator/demo/user.pem with lib/emulator/demo/user-key.pem

Point the toolkit at it (or put these lines in .env):
  ANAPLAN_AUTH_URL=%s
  ANAPLAN_API_URL=%s
%s

Move the tenant on while it runs (the admin's token; answers what changed):
  curl -X POST -H "Authorization: AnaplanAuthToken $TOKEN" '%s/__emulator/advance?days=7'

Ctrl-C stops it.
`, srv.URL, tenant, state, c.tokenTTL, faults, srv.AuthURL(), srv.APIURL(), emulator.DemoUser, srv.AuthURL(), srv.APIURL(), oauthBanner(srv.URL, c.oauthPoll, c.approveAs), srv.URL)

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	// Close stops running tasks and removes uploaded chunks kept in a
	// temporary directory (with -state they stay for the next run).
	if cerr := srv.Emulator.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(stdout, "Emulator stopped.")
	return nil
}

// parseAdvance reads -advance, a count of days written 7d or 7.
func (c *config) parseAdvance() bool {
	n, err := strconv.Atoi(strings.TrimSuffix(c.advance, "d"))
	c.advanceDays = n
	return err == nil && n >= 0 && n <= 3650
}
