// Command soak is the long soak: it runs the registry script again and
// again, as a separate process like cron would, against emulators that
// misbehave like a busy tenant (rate limits, 5xx, dropped connections,
// 2-second tokens), with random seeds, and checks every run wrote exactly
// what a fault-free run writes; with -load, that it left the same model
// contents and started each import exactly once. It prints a table of
// runs, faults and mismatches, and exits non-zero if any run failed or
// differed; each problem names the seed that replays it.
//
//	go run ./scripts/soak -duration 5m
//	go run ./scripts/soak -seeds 7,42 -duration 0     # replay two seeds only
//	go run ./scripts/soak -flows load -tenants demo   # only registry -load
//
// Flows: read (registry), load (registry -load: uploads, imports, task
// polling; demo tenant), load-busy (-load while another user keeps the
// model busy with exports, so task starts meet 409).
//
// The bounded version of this soak runs in CI (scripts/registry's
// TestSoakRegistryUnderFaults).
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
	"github.com/anaplan-registry/toolkit/scripts/internal/soak"
)

func main() { cli.Main(run) }

// registryPackage is what soak builds when -registry names no binary.
const registryPackage = "github.com/anaplan-registry/toolkit/scripts/registry"

// runTimeout bounds one run: a run that does not finish is a failure.
const runTimeout = 5 * time.Minute

// taskDuration shortens the emulator's import tasks: the soak is about
// faults, not about waiting for tasks.
const taskDuration = 50 * time.Millisecond

type config struct {
	duration    time.Duration
	seeds       []int64
	concurrency int
	tenants     []string
	flows       []string
	profiles    []soak.Profile
	workspaces  int
	models      int
	registry    string
	twice       bool
	verbose     bool
}

func parse(args []string, stderr io.Writer) (*config, error) {
	fs := cli.NewFlagSet("soak", "Runs the registry script under injected faults with random seeds and compares every run with a fault-free one.", stderr)
	c := &config{}
	fs.DurationVar(&c.duration, "duration", time.Minute, "keep starting runs with random seeds for `D` (0: only the -seeds)")
	seeds := fs.String("seeds", "", "comma-separated seeds to run first, e.g. to replay a failure")
	fs.IntVar(&c.concurrency, "concurrency", 4, "runs in flight at once")
	tenants := fs.String("tenants", "demo,generated", "comma-separated tenants: demo, generated")
	flows := fs.String("flows", "read,load,load-busy", "comma-separated flows: read (registry), load (registry -load, demo tenant only), load-busy (-load while another user keeps the model busy)")
	profiles := fs.String("profiles", "busy,flaky-network", "comma-separated fault profiles: busy (15% 429, 10% 5xx, 1% drops, 2 s tokens), flaky-network (20% drops, 2 s tokens)")
	fs.IntVar(&c.workspaces, "workspaces", 50, "workspaces of the generated tenant")
	fs.IntVar(&c.models, "models", 12_000, "models of the generated tenant (over 5,000 to page)")
	fs.StringVar(&c.registry, "registry", "", "registry binary to run (default: build "+registryPackage+")")
	fs.BoolVar(&c.twice, "twice", true, "run the script twice per emulator, as cron would, so the second run reuses the first's cached token")
	fs.BoolVar(&c.verbose, "v", false, "print one line per run")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	var err error
	if c.seeds, err = parseSeeds(*seeds); err != nil {
		return nil, cli.UsageError{Err: err}
	}
	known := map[string]soak.Profile{"busy": soak.Busy(), "flaky-network": soak.FlakyNetwork()}
	for _, name := range splitList(*profiles) {
		p, ok := known[name]
		if !ok {
			return nil, cli.UsageError{Err: fmt.Errorf("-profiles: unknown profile %q: use busy or flaky-network", name)}
		}
		c.profiles = append(c.profiles, p)
	}
	for _, name := range splitList(*tenants) {
		if name != "demo" && name != "generated" {
			return nil, cli.UsageError{Err: fmt.Errorf("-tenants: unknown tenant %q: use demo or generated", name)}
		}
		c.tenants = append(c.tenants, name)
	}
	for _, name := range splitList(*flows) {
		if name != "read" && name != "load" && name != "load-busy" {
			return nil, cli.UsageError{Err: fmt.Errorf("-flows: unknown flow %q: use read, load or load-busy", name)}
		}
		c.flows = append(c.flows, name)
	}
	switch {
	case len(c.profiles) == 0 || len(c.tenants) == 0 || len(c.flows) == 0:
		return nil, cli.UsageError{Err: errors.New("-profiles, -tenants and -flows must name at least one each")}
	case c.duration < 0:
		return nil, cli.UsageError{Err: fmt.Errorf("-duration %v: want 0 or more (0: only the -seeds)", c.duration)}
	case c.concurrency < 1:
		return nil, cli.UsageError{Err: fmt.Errorf("-concurrency %d: want 1 or more runs in flight", c.concurrency)}
	case c.workspaces < 1:
		return nil, cli.UsageError{Err: fmt.Errorf("-workspaces %d: want 1 or more", c.workspaces)}
	case c.models < 0:
		return nil, cli.UsageError{Err: fmt.Errorf("-models %d: want 0 or more", c.models)}
	case c.duration == 0 && len(c.seeds) == 0:
		return nil, cli.UsageError{Err: errors.New("nothing to run: give -duration or -seeds")}
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "anaplan-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if c.registry == "" {
		if c.registry, err = buildRegistry(ctx, work); err != nil {
			return err
		}
	}
	tenants := map[string]*emulator.Tenant{"demo": emulator.Demo(), "generated": emulator.Generate(c.workspaces, c.models)}
	// The combinations to soak: every flow on every tenant, except that
	// only the demo tenant has the Model Registry model to load into.
	type combo struct{ flow, tenant string }
	var combos []combo
	for _, flow := range c.flows {
		for _, tenant := range c.tenants {
			if flow == "read" || tenant == "demo" {
				combos = append(combos, combo{flow, tenant})
			}
		}
	}
	if len(combos) == 0 {
		return cli.UsageError{Err: errors.New("-flows load needs the demo tenant in -tenants")}
	}
	config := func(cb combo, p soak.Profile, seed int64) soak.Config {
		args := []string(nil)
		if cb.flow != "read" {
			args = []string{"-load"}
		}
		if cb.tenant == "generated" {
			// ALM asks once or twice per model: on 12,000 models under a
			// 15% rate limit honouring Retry-After that is over the run's
			// five minutes. The demo tenant soaks ALM under every fault;
			// the generated one soaks paging.
			args = append(args, "-alm=false")
		}
		cfg := soak.Config{Tenant: tenants[cb.tenant], Profile: p, Seed: seed, Flow: binaryFlow(c.registry, c.twice, args...),
			WorkDir: work, Timeout: runTimeout, TaskDuration: taskDuration}
		if cb.flow != "read" {
			cfg.Contents = soak.ModelContents
		}
		if cb.flow == "load-busy" {
			// Longer tasks, so the other user's exports hold the model.
			cfg.Competitor, cfg.TaskDuration = soak.CompetingExports, 6*taskDuration
		}
		return cfg
	}

	baselines := map[combo]soak.Result{}
	for _, cb := range combos {
		cfg := config(cb, soak.FaultFree(), 0)
		cfg.Competitor = nil // the other user changes nothing: compare with a plain load
		base := soak.Run(ctx, cfg)
		if base.Err != nil {
			return fmt.Errorf("the fault-free %s run on the %s tenant failed, so there is nothing to compare with: %w\n%s", cb.flow, cb.tenant, base.Err, base.Stderr)
		}
		baselines[cb] = base
		os.RemoveAll(base.Dir)
	}

	var (
		mu      sync.Mutex
		tallies = map[string]*soak.Tally{}
		order   []string
		next    = newSeedSource(c.seeds, c.duration)
		wg      sync.WaitGroup
		n       int
	)
	start := time.Now()
	for range c.concurrency {
		wg.Go(func() {
			for {
				mu.Lock()
				seed, ok := next(ctx)
				i := n
				if ok {
					n++
				}
				mu.Unlock()
				if !ok {
					return
				}
				cb := combos[i%len(combos)]
				p := c.profiles[(i/len(combos))%len(c.profiles)]
				r := soak.Run(ctx, config(cb, p, seed))
				if ctx.Err() != nil {
					return // interrupted: this run proves nothing
				}
				key := cb.flow + "/" + cb.tenant + "/" + p.Name
				mu.Lock()
				tl, seen := tallies[key]
				if !seen {
					tl = &soak.Tally{}
					tallies[key] = tl
					order = append(order, key)
				}
				failedBefore := tl.Failed + tl.Mismatched
				r.Profile = key
				tl.Add(r, baselines[cb])
				bad := tl.Failed+tl.Mismatched > failedBefore
				if c.verbose || bad {
					fmt.Fprintf(stderr, "%s seed %d: %v, faults %v%s\n", key, seed, r.Duration.Round(time.Millisecond), r.Stats.Faults, verdict(bad, p, seed, tenantFlags(c, cb.tenant)))
				}
				mu.Unlock()
				if !bad {
					os.RemoveAll(r.Dir)
				}
			}
		})
	}
	wg.Wait()

	rows := make([]*soak.Tally, 0, len(order))
	failed := 0
	for _, key := range order {
		rows = append(rows, tallies[key])
		failed += tallies[key].Failed + tallies[key].Mismatched
	}
	fmt.Fprintf(stdout, "Soak: %d runs in %s.\n", n, time.Since(start).Round(time.Second))
	if err := soak.WriteTable(stdout, rows); err != nil {
		return err
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d runs failed or wrote something other than the fault-free run (seeds above)", failed)
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return nil
}

// verdict is the end of a run's line: how to replay a failed run.
func verdict(bad bool, p soak.Profile, seed int64, tenant string) string {
	if !bad {
		return ""
	}
	f := p.Faults
	f.Seed = seed
	return fmt.Sprintf(": FAILED; replay with go run ./scripts/sandbox%s -token-ttl %s %s", tenant, p.TokenTTL, f)
}

// tenantFlags are the sandbox flags that serve the same tenant.
func tenantFlags(c *config, tenant string) string {
	if tenant == "generated" {
		return fmt.Sprintf(" -workspaces %d -models %d", c.workspaces, c.models)
	}
	return ""
}

// newSeedSource hands out the given seeds, then random ones until the
// duration has passed or ctx ends.
func newSeedSource(seeds []int64, d time.Duration) func(context.Context) (int64, bool) {
	deadline := time.Now().Add(d)
	return func(ctx context.Context) (int64, bool) {
		if ctx.Err() != nil {
			return 0, false
		}
		if len(seeds) > 0 {
			s := seeds[0]
			seeds = seeds[1:]
			return s, true
		}
		if time.Now().After(deadline) {
			return 0, false
		}
		return rand.Int64N(1 << 31), true
	}
}

// binaryFlow runs the registry binary (twice when twice is set) with the
// .env file, a token cache of its own, and no ANAPLAN_ variable from this
// process's environment.
func binaryFlow(bin string, twice bool, args ...string) soak.Flow {
	return func(ctx context.Context, envFile, outDir string) (string, string, error) {
		env := []string{"ANAPLAN_TOKEN_CACHE=" + filepath.Join(filepath.Dir(envFile), "tokens")}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "ANAPLAN_") {
				env = append(env, kv)
			}
		}
		var stdout, stderr bytes.Buffer
		times := 1
		if twice {
			times = 2
		}
		for range times {
			cmd := exec.CommandContext(ctx, bin, append([]string{"-env", envFile, "-out", outDir}, args...)...)
			cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
			if err := cmd.Run(); err != nil {
				return stdout.String(), stderr.String(), fmt.Errorf("%v: %s", err, lastLine(stderr.String()))
			}
		}
		return stdout.String(), stderr.String(), nil
	}
}

// buildRegistry builds the registry script into dir.
func buildRegistry(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "registry")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, registryPackage)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s (run soak from the repository, or give -registry): %v\n%s", registryPackage, err, out)
	}
	return bin, nil
}

func parseSeeds(s string) ([]int64, error) {
	var seeds []int64
	for _, f := range splitList(s) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("-seeds: %q is not an integer", f)
		}
		seeds = append(seeds, n)
	}
	return seeds, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
