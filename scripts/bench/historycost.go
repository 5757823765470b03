package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The history scenario: what keeping the SQLite history costs a
// scripts/registry run, against the same run with -history off, and the
// history package's own benchmarks (one daily run recorded, two snapshots
// diffed, a year of daily runs).
const (
	targetHistoryRatio = "History: scripts/registry with history ÷ -history off, 20,000 models, -alm=false (wall)"
	targetHistoryYear  = "History: database after 365 daily runs of a 20,000-model tenant"
	historyModels      = 20000
	maxHistoryRatio    = 1.2
	maxHistoryYearMB   = 200
)

const (
	subjectHistoryOn  = "registry -alm=false (history kept)"
	subjectHistoryOff = "registry -alm=false -history off"
)

func (b *bench) historyScenario(ctx context.Context) (section, []verdict, error) {
	sec, verdicts := placeholder("history")
	models := historyModels
	repeats := 15 // the pairs spread widely on a shared machine
	if b.plan.Quick {
		models, repeats = 5000, 3
	}
	sec.About = fmt.Sprintf(`A generated tenant of %s models, served by scripts/sandbox in its own process with no injected
latency. scripts/registry -alm=false runs as users run it, whole process, into two output directories: one keeps
the history (registry.db, which already holds a run of the tenant: the steady state of a daily run), the other
runs with -history off. One untimed run of each first, then %d repeats, the two interleaved and their order
alternating, so both see the same load. Wall and CPU time (user + system) and peak RSS from wait4; the ratio is
of the medians, and the spread that of the ratios of each repeat's pair. Then the history package's benchmarks
(go test -bench, the test binary built by this run): one daily run recorded on a database holding the day
before (a tenth of the models saved, 5 created), two snapshots a day apart read and diffed, and 365 daily runs
recorded with the size of the database file at the end.`, groupThousands(int64(models)), repeats)

	sb, err := startSandbox(ctx, b.binary("sandbox"), nil, "-models", strconv.Itoa(models))
	if err != nil {
		return sec, verdicts, err
	}
	defer sb.stop()
	dirs := map[string]string{}
	args := map[string][]string{}
	for _, s := range []string{subjectHistoryOn, subjectHistoryOff} {
		dir, err := os.MkdirTemp(b.tmp, "history-")
		if err != nil {
			return sec, verdicts, err
		}
		defer os.RemoveAll(dir)
		dirs[s] = dir
		args[s] = []string{"-out", dir, "-env", os.DevNull, "-format", "json", "-alm=false"}
	}
	args[subjectHistoryOff] = append(args[subjectHistoryOff], "-history", "off")
	run := func(s string) (measured, error) {
		m, err := child{Path: b.binary("registry"), Args: args[s], Env: clientEnv(sb), Dir: b.tmp}.run(ctx)
		if err != nil {
			return m, fmt.Errorf("%s: %w", s, err)
		}
		return m, nil
	}
	for _, s := range []string{subjectHistoryOn, subjectHistoryOff} { // warm-up; the history's first run
		if _, err := run(s); err != nil {
			return sec, verdicts, err
		}
	}
	kase := modelsCase(models)
	for rep := 1; rep <= repeats; rep++ {
		order := []string{subjectHistoryOn, subjectHistoryOff}
		if rep%2 == 0 {
			order[0], order[1] = order[1], order[0]
		}
		got := map[string]measured{}
		for _, s := range order {
			m, err := run(s)
			if err != nil {
				return sec, verdicts, err
			}
			got[s] = m
			for _, v := range []struct {
				metric, unit string
				v            float64
			}{{"wall", "s", m.Wall.Seconds()}, {"cpu", "s", m.CPU.Seconds()}, {"rss", "MB", mb(m.MaxRSS)}} {
				b.res.add(sample{Scenario: "history", Case: kase, Subject: s, Metric: v.metric, Unit: v.unit, Repeat: rep, Value: v.v})
			}
		}
		pair := got[subjectHistoryOn].Wall.Seconds() / got[subjectHistoryOff].Wall.Seconds()
		b.res.add(sample{Scenario: "history", Case: kase, Subject: subjectHistoryOn, Metric: "wall-ratio", Unit: "x", Repeat: rep, Value: pair})
		b.progress("repeat %d: with history %s, without %s (%.2fx)", rep,
			got[subjectHistoryOn].Wall.Round(time.Millisecond), got[subjectHistoryOff].Wall.Round(time.Millisecond), pair)
	}
	get := func(s, metric string) summary { return b.res.summary("history", kase, s, metric) }
	var rows [][]string
	for _, s := range []string{subjectHistoryOn, subjectHistoryOff} {
		rows = append(rows, []string{s, get(s, "wall").spread("s"), get(s, "cpu").spread("s"), get(s, "rss").spread("MB")})
	}
	sec.Tables = append(sec.Tables, table{Header: []string{"Run", "Wall", "CPU", "Peak RSS"}, Rows: rows})
	on, off := get(subjectHistoryOn, "wall"), get(subjectHistoryOff, "wall")
	pairs := get(subjectHistoryOn, "wall-ratio")
	wallRatio := on.Median / off.Median
	got := fmt.Sprintf("%s (repeats %s–%s)", ratio(on.Median, off.Median), sig(pairs.Min), sig(pairs.Max))
	if models != historyModels {
		got += fmt.Sprintf(" at %s models (-quick)", groupThousands(int64(models)))
	}
	verdicts[0] = measuredVerdict(targetHistoryRatio, got, wallRatio <= maxHistoryRatio)
	sec.Notes = append(sec.Notes, fmt.Sprintf("With history ÷ without: wall %s (the repeats' pairs %s–%s), CPU %s.",
		ratio(on.Median, off.Median), sig(pairs.Min), sig(pairs.Max),
		ratio(get(subjectHistoryOn, "cpu").Median, get(subjectHistoryOff, "cpu").Median)))

	benches, err := b.historyBenchmarks(ctx)
	if err != nil {
		return sec, verdicts, err
	}
	var brows [][]string
	for _, name := range []string{"BenchmarkRecord20k", "BenchmarkDiff20k", "BenchmarkHistoryYear"} {
		r, ok := benches[name]
		if !ok {
			continue
		}
		var perOp []float64
		for i, ns := range r["ns/op"] {
			perOp = append(perOp, ns/1e9)
			b.res.add(sample{Scenario: "history", Case: "go test -bench", Subject: name, Metric: "time", Unit: "s", Repeat: i + 1, Value: ns / 1e9})
		}
		secs := summarize(perOp)
		extra := ""
		if v, ok := r["changes"]; ok {
			extra = groupThousands(int64(summarize(v).Median)) + " changes"
		}
		if v, ok := r["MB/year"]; ok {
			size := summarize(v)
			extra = fmt.Sprintf("365 runs (one op): %s MB, %s models at the end", sig(size.Median), groupThousands(int64(summarize(r["models"]).Median)))
			b.res.add(sample{Scenario: "history", Case: "go test -bench", Subject: name, Metric: "size", Unit: "MB", Repeat: 1, Value: size.Median})
			verdicts[1] = measuredVerdict(targetHistoryYear, sig(size.Median)+" MB", size.Median < maxHistoryYearMB)
		}
		brows = append(brows, []string{name, strconv.Itoa(secs.N), secs.spread("s"), extra})
	}
	sec.Tables = append(sec.Tables, table{Header: []string{"Benchmark", "Counts", "Time per op", "Result"}, Rows: brows})
	return sec, verdicts, nil
}

// historyBenchmarks builds the history package's test binary and runs its
// benchmarks: each result's values by unit (ns/op, changes, MB/year, ...),
// one per count. The year is left out with -quick: it records 365 runs.
func (b *bench) historyBenchmarks(ctx context.Context) (map[string]map[string][]float64, error) {
	bin := filepath.Join(b.bin, "history.test")
	if _, err := (child{Path: "go", Args: []string{"test", "-c", "-o", bin, "./lib/registry/history"}, Dir: b.root}).run(ctx); err != nil {
		return nil, err
	}
	runs := [][]string{{"-test.bench", "^(BenchmarkRecord20k|BenchmarkDiff20k)$", "-test.benchtime", "10x", "-test.count", "3"}}
	if !b.plan.Quick {
		runs = append(runs, []string{"-test.bench", "^BenchmarkHistoryYear$", "-test.benchtime", "1x"})
	}
	out := map[string]map[string][]float64{}
	for _, args := range runs {
		b.progress("go test -bench %s", args[1])
		m, err := child{Path: bin, Args: append([]string{"-test.run", "^$"}, args...), Dir: filepath.Join(b.root, "lib", "registry", "history")}.run(ctx)
		if err != nil {
			return nil, err
		}
		for name, r := range parseBenchOutput(m.Stdout) {
			if out[name] == nil {
				out[name] = map[string][]float64{}
			}
			for unit, vs := range r {
				out[name][unit] = append(out[name][unit], vs...)
			}
		}
	}
	return out, nil
}

// parseBenchOutput reads go test -bench lines ("BenchmarkX-2  10  123 ns/op
// 4.5 MB/year"): each benchmark's values by unit, the -N suffix dropped.
func parseBenchOutput(s string) map[string]map[string][]float64 {
	out := map[string]map[string][]float64{}
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			name = name[:i]
		}
		if out[name] == nil {
			out[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			out[name][f[i+1]] = append(out[name][f[i+1]], v)
		}
	}
	return out
}
