package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The ALM lineage scenario: scripts/registry on a generated tenant with
// lineage, first with an empty cache (every model asked), then again on
// the unchanged tenant (the cache answers; the target is zero ALM calls),
// with -alm=false as the baseline.
const (
	targetALMSecondRun = "ALM lineage: ALM calls of a second run on an unchanged tenant"
	almModels          = 20000
)

const (
	subjectALMFirst  = "registry, first run (ALM)"
	subjectALMSecond = "registry, second run (history)"
	subjectALMOff    = "registry -alm=false"
)

// almRun is one scripts/registry run of the scenario.
type almRun struct {
	measured
	traffic
	Asked, Calls, Cached int
}

func (b *bench) almScenario(ctx context.Context) (section, []verdict, error) {
	sec, verdicts := placeholder("alm")
	models := almModels
	if b.plan.Quick {
		models = 5000
	}
	repeats := min(b.plan.Repeats, 3)
	sec.About = fmt.Sprintf(`A generated tenant of %s models (one workspace per 250; every fourth model is a development
model whose revisions were applied to the next two, one in three of those production models behind), served by
scripts/sandbox in its own process with no injected latency. scripts/registry runs as users run it: first into an
empty output directory, so it asks ALM about every model (latestRevision, then appliedToModels for each model with
a revision; 8 requests in flight), then again into the same directory, where the history database (registry.db) answers for every model
whose lastSavedSerialNumber and activeState did not change, which is all of them. Baseline: the same run with
-alm=false. Requests are what the sandbox logged; ALM calls what the script reported. %d repeats, each in a fresh
directory.`, groupThousands(int64(models)), repeats)

	sb, err := startSandbox(ctx, b.binary("sandbox"), nil, "-models", strconv.Itoa(models))
	if err != nil {
		return sec, verdicts, err
	}
	defer sb.stop()
	secondCalls := 0
	for rep := 1; rep <= repeats; rep++ {
		out, err := os.MkdirTemp(b.tmp, "alm-")
		if err != nil {
			return sec, verdicts, err
		}
		for _, s := range []string{subjectALMFirst, subjectALMSecond, subjectALMOff} {
			dir := out
			args := []string{"-out", dir, "-env", os.DevNull, "-format", "json"}
			if s == subjectALMOff {
				dir = out + "-off"
				args = []string{"-out", dir, "-env", os.DevNull, "-format", "json", "-alm=false"}
			}
			r, err := b.almOnce(ctx, sb, args)
			if err != nil {
				return sec, verdicts, fmt.Errorf("%s: %w", s, err)
			}
			if s == subjectALMSecond {
				secondCalls = max(secondCalls, r.Calls)
			}
			b.progress("%s, repeat %d: %s, %d requests, %d ALM calls", s, rep, r.Wall.Round(1e6), r.Requests, r.Calls)
			kase := modelsCase(models)
			for _, m := range []struct {
				metric, unit string
				v            float64
			}{
				{"wall", "s", r.Wall.Seconds()}, {"rss", "MB", float64(r.MaxRSS) / 1e6},
				{"requests", "count", float64(r.Requests)}, {"alm-calls", "count", float64(r.Calls)},
				{"asked", "count", float64(r.Asked)},
			} {
				b.res.add(sample{Scenario: "alm", Case: kase, Subject: s, Metric: m.metric, Unit: m.unit, Repeat: rep, Value: m.v})
			}
		}
		os.RemoveAll(out)
		os.RemoveAll(out + "-off")
	}
	kase := modelsCase(models)
	var rows [][]string
	for _, s := range []string{subjectALMFirst, subjectALMSecond, subjectALMOff} {
		get := func(metric string) summary { return b.res.summary("alm", kase, s, metric) }
		count := func(metric string) string { return groupThousands(int64(get(metric).Median)) }
		rows = append(rows, []string{s, get("wall").spread("s"), get("rss").spread("MB"),
			count("requests"), count("alm-calls"), count("asked")})
	}
	sec.Tables = append(sec.Tables, table{
		Header: []string{"Run", "Wall", "Peak RSS", "Requests", "ALM calls", "Models asked"},
		Rows:   rows,
	})
	first, second, off := b.res.summary("alm", kase, subjectALMFirst, "wall"), b.res.summary("alm", kase, subjectALMSecond, "wall"),
		b.res.summary("alm", kase, subjectALMOff, "wall")
	sec.Notes = append(sec.Notes, fmt.Sprintf("The first run costs %s the time of a run without ALM; the second %s (reading the last run from the history database and recording this one is the difference).",
		ratio(first.Median, off.Median), ratio(second.Median, off.Median)))
	verdicts[0] = measuredVerdict(targetALMSecondRun, strconv.Itoa(secondCalls), secondCalls == 0)
	return sec, verdicts, nil
}

// almOnce runs scripts/registry once and reads its ALM counts from the
// JSON report.
func (b *bench) almOnce(ctx context.Context, sb *sandbox, args []string) (almRun, error) {
	before := sb.snapshot()
	m, err := child{Path: b.binary("registry"), Args: args, Env: clientEnv(sb), Dir: b.tmp}.run(ctx)
	if err != nil {
		return almRun{}, err
	}
	r := almRun{measured: m, traffic: sb.snapshot().since(before)}
	var report struct {
		Organisation struct {
			ALM *struct{ Asked, Calls, Cached int } `json:"alm"`
		} `json:"organisation"`
	}
	if err := json.NewDecoder(strings.NewReader(m.Stdout)).Decode(&report); err != nil {
		return r, fmt.Errorf("no JSON report (%v):\n%s", err, tail(m.Stdout, 5))
	}
	if a := report.Organisation.ALM; a != nil {
		r.Asked, r.Calls, r.Cached = a.Asked, a.Calls, a.Cached
	}
	return r, nil
}
