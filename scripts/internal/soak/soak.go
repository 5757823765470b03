// Package soak runs a script's whole flow against an emulator that
// misbehaves the way a busy tenant does, and checks that the flow still
// writes exactly what a fault-free run writes. The CI soak test
// (scripts/registry) and the long soak (go run ./scripts/soak) share it.
//
// A run is: start the emulator on loopback with a tenant, a fault profile
// and a seed; write a .env naming it; run the flow (with, optionally,
// another user keeping the model busy); keep every file the flow wrote,
// the emulator's traffic Stats and, for a load, the model's contents and
// how often each import was started; stop the emulator. Diff compares a
// run with a fault-free one; Tally adds runs up for a table.
package soak

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// Profile is a set of faults to soak under. Faults.Seed is set per run.
type Profile struct {
	Name     string
	Faults   emulator.Faults
	TokenTTL time.Duration // 0: emulator.DefaultTokenTTL
}

// Busy is the busy tenant: 15% 429 (Retry-After up to 2 s), 10%
// 500/502/503, 1% dropped connections (before and after acting) and
// tokens that live 2 s, on the API and the auth service alike.
func Busy() Profile {
	return Profile{Name: "busy", TokenTTL: 2 * time.Second,
		Faults: emulator.Faults{RateLimit: 0.15, ErrorRate: 0.10, DropRate: 0.01}}
}

// FlakyNetwork drops one connection in five, half before the emulator
// acts and half after (response cut mid-body), with 2 s tokens: the
// drops Busy injects too rarely to show up in a short soak.
func FlakyNetwork() Profile {
	return Profile{Name: "flaky-network", TokenTTL: 2 * time.Second,
		Faults: emulator.Faults{DropRate: 0.2}}
}

// FaultFree is the baseline: no faults, default token lifetime.
func FaultFree() Profile { return Profile{Name: "fault-free"} }

// Flow runs the workflow under test against the tenant envFile configures
// (ANAPLAN_AUTH_URL, ANAPLAN_API_URL, ANAPLAN_USERNAME, ANAPLAN_PASSWORD),
// writing its files into outDir. stdout and stderr are what it printed.
type Flow func(ctx context.Context, envFile, outDir string) (stdout, stderr string, err error)

// Config is one run: a tenant under a fault profile and seed, a flow, and
// how to read what the flow left behind in the emulator.
type Config struct {
	Tenant  *emulator.Tenant
	Profile Profile
	Seed    int64
	Flow    Flow
	WorkDir string        // the run's directory is made under it
	Timeout time.Duration // a flow that outlives it fails the run
	// TaskDuration is how long the emulator's import tasks take (0: its
	// default); soaks shorten it, their point is faults, not waiting.
	TaskDuration time.Duration
	// Competitor, when set, runs alongside the flow until it ends: another
	// user keeping the model busy (see CompetingExports), so the flow's
	// task starts meet 409s.
	Competitor func(ctx context.Context, srv *emulator.Server)
	// Contents, when set, reads what the flow left in the emulator after
	// it finished (see ModelContents); its files are compared like the
	// flow's own, under "model/".
	Contents func(ctx context.Context, srv *emulator.Server) (files map[string][]byte, starts map[string]int, err error)
}

// Result is one run of a flow.
type Result struct {
	Profile  string
	Seed     int64
	Dir      string            // the run's directory: its .env and output
	Files    map[string][]byte // by path relative to the output directory
	Stdout   string            // with the output directory replaced by "<out>"
	Stderr   string
	Err      error
	Stats    emulator.Stats
	Starts   map[string]int // tasks started per import (Config.Contents)
	Duration time.Duration
}

// Run starts an emulator serving the tenant under the profile and seed,
// runs the flow against it with a fresh output directory, and collects
// what it wrote (and, with Contents, what it left in the model).
func Run(ctx context.Context, c Config) Result {
	p := c.Profile
	res := Result{Profile: p.Name, Seed: c.Seed}
	faults := p.Faults
	faults.Seed = c.Seed
	srv, err := emulator.Start("", emulator.Options{Tenant: c.Tenant, TokenTTL: p.TokenTTL, Faults: faults, TaskDuration: c.TaskDuration})
	if err != nil {
		res.Err = fmt.Errorf("starting the emulator: %w", err)
		return res
	}
	defer srv.Close()

	dir, err := os.MkdirTemp(c.WorkDir, p.Name+"-")
	if err != nil {
		res.Err = err
		return res
	}
	res.Dir = dir
	envFile, outDir := filepath.Join(dir, "soak.env"), filepath.Join(dir, "out")
	env := fmt.Sprintf("ANAPLAN_AUTH_URL=%s\nANAPLAN_API_URL=%s\nANAPLAN_USERNAME=%s\nANAPLAN_PASSWORD=%s\n",
		srv.AuthURL(), srv.APIURL(), emulator.DemoUser, emulator.DemoPassword)
	if err := os.WriteFile(envFile, []byte(env), 0o600); err != nil {
		res.Err = err
		return res
	}

	rctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var competing sync.WaitGroup
	cctx, stopCompeting := context.WithCancel(rctx)
	if c.Competitor != nil {
		competing.Go(func() { c.Competitor(cctx, srv) })
	}
	start := time.Now()
	stdout, stderr, err := c.Flow(rctx, envFile, outDir)
	res.Duration = time.Since(start)
	stopCompeting()
	competing.Wait()
	res.Stdout = strings.ReplaceAll(stdout, outDir, "<out>")
	res.Stderr = stderr
	res.Err = err
	if rctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		res.Err = fmt.Errorf("did not finish within %s (last error: %v)", c.Timeout, err)
	}
	res.Stats = srv.Emulator.Stats()
	files, ferr := readTree(outDir)
	if ferr != nil && res.Err == nil {
		res.Err = ferr
	}
	res.Files = files
	if c.Contents != nil && res.Err == nil {
		model, starts, err := c.Contents(rctx, srv)
		if err != nil {
			res.Err = fmt.Errorf("reading the model after the run: %w", err)
		}
		for name, b := range model {
			res.Files["model/"+name] = b
		}
		res.Starts = starts
	}
	return res
}

// sandboxPort is the port in a sandbox tenant's history key.
var sandboxPort = regexp.MustCompile(`sandbox=([^ :]+):[0-9]+`)

// readTree reads every regular file under dir (a history database as what
// it holds); a missing dir is empty.
func readTree(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir && os.IsNotExist(err) {
				return filepath.SkipDir
			}
			return err
		}
		if d.Type().IsRegular() {
			if strings.HasSuffix(path, ".db-wal") || strings.HasSuffix(path, ".db-shm") {
				return nil // the database's own working files
			}
			b, err := os.ReadFile(path)
			if strings.HasSuffix(path, ".db") {
				// The history database: compared by what it holds, not
				// by its bytes, which carry the time of each run.
				b, err = history.Canonical(context.Background(), path)
				// A sandbox's tenant is keyed by its port, new each run.
				b = sandboxPort.ReplaceAll(b, []byte("sandbox=${1}:PORT"))
			}
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			files[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	return files, err
}

// Diff lists how got differs from want, file by file (missing, extra,
// different, with the first differing line) and in stdout; empty when
// the run wrote byte-identical files and printed the same summary.
func Diff(want, got Result) []string {
	var out []string
	names := map[string]bool{}
	for n := range want.Files {
		names[n] = true
	}
	for n := range got.Files {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	slices.Sort(sorted)
	for _, n := range sorted {
		w, inWant := want.Files[n]
		g, inGot := got.Files[n]
		switch {
		case !inGot:
			out = append(out, n+": missing")
		case !inWant:
			out = append(out, n+": not written by the fault-free run")
		case string(w) != string(g):
			out = append(out, fmt.Sprintf("%s: differs (%d bytes, fault-free %d): %s", n, len(g), len(w), firstDifference(string(w), string(g))))
		}
	}
	if want.Stdout != got.Stdout {
		out = append(out, "stdout: "+firstDifference(want.Stdout, got.Stdout))
	}
	for _, id := range slices.Sorted(maps.Keys(want.Starts)) {
		if got.Starts[id] != want.Starts[id] {
			out = append(out, fmt.Sprintf("import %s started %d times, fault-free %d", id, got.Starts[id], want.Starts[id]))
		}
	}
	return out
}

// firstDifference quotes the first line that differs.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d is %.120q, fault-free %.120q", i+1, gl, wl)
		}
	}
	return "same lines, different bytes"
}
