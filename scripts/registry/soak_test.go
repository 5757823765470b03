package main

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
	"github.com/anaplan-registry/toolkit/scripts/internal/soak"
)

// scriptFlow runs the registry script's run function, its public door,
// with nothing but the .env file and the output directory.
func scriptFlow(ctx context.Context, envFile, outDir string) (string, string, error) {
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"-env", envFile, "-out", outDir}, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// soakTimeout bounds one run: a run that does not finish fails the soak.
const soakTimeout = 2 * time.Minute

// soakCase is one run of the bounded soak.
type soakCase struct {
	tenant  string
	profile soak.Profile
	seed    int64
}

// TestSoakRegistryUnderFaults is the bounded soak: the registry script,
// with its default retry policy, against a busy emulator (15% 429, 10%
// 5xx, 1% drops, 2 s tokens) and a flaky network (20% drops, before and
// after the emulator acts, 2 s tokens), on the demo tenant and on a
// generated tenant whose 12,000 models take three pages, under fixed
// seeds. Every run must finish and write byte-identical files, and print
// the same summary, as a fault-free run; and the emulator's counters must
// show that the faults really happened, so the test cannot pass by luck.
//
// The runs mostly sleep (Retry-After, backoff), so they run concurrently
// in goroutines rather than as parallel subtests, which -parallel would
// cap at GOMAXPROCS.
func TestSoakRegistryUnderFaults(t *testing.T) {
	clitest.EnvFileDecides(t, "off")
	// The demo tenant takes three requests a run, so it gets many seeds.
	// The generated one pages (5,001 models: two pages of models) but
	// costs a second of JSON under -race, so it gets one seed per profile,
	// chosen because it faults a models page (checked below).
	const demo, generated = "demo", "generated-20x5001"
	tenants := map[string]*emulator.Tenant{
		demo:      emulator.Demo(),
		generated: emulator.Generate(20, 5_001),
	}
	profiles := []soak.Profile{soak.Busy(), soak.FlakyNetwork()}
	var cases []soakCase
	for _, p := range profiles {
		for seed := int64(1); seed <= 16; seed++ {
			cases = append(cases, soakCase{demo, p, seed})
		}
		cases = append(cases, soakCase{generated, p, 7})
	}
	work := t.TempDir()
	ctx := context.Background()

	// Baselines and faulted runs all at once: the runs mostly sleep.
	baselines := map[string]soak.Result{}
	results := make([]soak.Result, len(cases))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for name, tenant := range tenants {
		wg.Go(func() {
			base := soak.Run(ctx, tenant, soak.FaultFree(), 0, scriptFlow, work, soakTimeout)
			mu.Lock()
			baselines[name] = base
			mu.Unlock()
		})
	}
	for i, c := range cases {
		wg.Go(func() {
			results[i] = soak.Run(ctx, tenants[c.tenant], c.profile, c.seed, scriptFlow, work, soakTimeout)
		})
	}
	wg.Wait()
	for name, base := range baselines {
		if base.Err != nil || len(base.Files) != 3 {
			t.Fatalf("%s: fault-free run: %v (%d files)\n%s", name, base.Err, len(base.Files), base.Stderr)
		}
	}

	tallies := map[string]*soak.Tally{}
	for _, p := range profiles {
		tallies[p.Name] = &soak.Tally{Profile: p.Name}
	}
	for i, c := range cases {
		r := results[i]
		tallies[c.profile.Name].Add(r, baselines[c.tenant])
		var one soak.Tally
		one.Add(r, baselines[c.tenant])
		if len(one.Problems) > 0 {
			t.Errorf("%s: %s\nstderr:\n%s", c.tenant, one.Problems[0], r.Stderr)
		}
		// Two pages of models: more requests means a page was faulted and
		// fetched again, so paging really ran under faults.
		if c.tenant == generated && r.Stats.Requests["GET /2/0/models"] <= 2 {
			t.Errorf("%s %s seed %d: no models page was faulted (%v): pick another seed", c.tenant, c.profile.Name, c.seed, r.Stats.Requests)
		}
	}
	var table bytes.Buffer
	busy, flaky := tallies["busy"], tallies["flaky-network"]
	soak.WriteTable(&table, []*soak.Tally{busy, flaky})
	t.Logf("%d runs:\n%s", len(cases), table.String())

	// The faults really happened: a soak that injected nothing proves nothing.
	if busy.Faults[emulator.FaultRateLimit] == 0 || busy.FaultTotal(soak.Errors5xx...) == 0 {
		t.Errorf("the busy profile injected no 429 or no 5xx: %s", busy.Kinds())
	}
	if flaky.Faults[emulator.FaultDropBefore] == 0 || flaky.Faults[emulator.FaultDropAfter] == 0 {
		t.Errorf("the flaky-network profile dropped no connection before, or none after, acting: %s", flaky.Kinds())
	}
	// Every fault the client saw was retried, and each retry was logged at
	// warn level with its reason. (Go's Transport itself replays a GET
	// dropped before acting on a reused connection, without a log line,
	// so drops may outnumber retries.)
	for _, tl := range []*soak.Tally{busy, flaky} {
		statuses := tl.Faults[emulator.FaultRateLimit] + tl.FaultTotal(soak.Errors5xx...)
		if tl.Retries < statuses+tl.Faults[emulator.FaultDropAfter] {
			t.Errorf("%s: %d retries logged for %s", tl.Profile, tl.Retries, tl.Kinds())
		}
	}
	// Two-second tokens and runs that wait out Retry-After: the client
	// must have refreshed or logged in again along the way.
	if busy.Refreshes == 0 || busy.Logins <= busy.Runs {
		t.Errorf("busy profile: %d refreshes and %d logins in %d runs: the token lifecycle was not exercised",
			busy.Refreshes, busy.Logins, busy.Runs)
	}
}
