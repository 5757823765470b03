// Command bench measures the toolkit against its baselines, in one run on
// one machine, and writes BENCHMARKS.md (a table per scenario: what was
// measured, the baseline measured in the same run, the ratio, the machine)
// and benchmarks.csv (every raw measurement).
//
//	go run ./scripts/bench            # the full run (about half an hour on 2 cores)
//	go run ./scripts/bench -quick     # under a minute: smaller sizes, one repeat
//	go run ./scripts/bench -only registry,scaling
//	go run ./scripts/bench -dry-run   # print the plan, measure nothing
//
// Everything is measured as users run it: the scripts are built once and
// run as child processes against scripts/sandbox serving the emulator in its
// own process, so wall time and peak RSS (wait4's rusage) are the real ones.
// The bench is not part of go test: it takes too long for CI.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

// The scenarios, in the order. "reads" (large reads and cell
// writes) waits for the transactional API.
var allScenarios = []string{"registry", "upload", "import", "reads", "notebooks", "scaling", "alm", "history"}

// bench is one run: its plan, where things are, and what it measured.
type bench struct {
	plan plan
	root string // repository root
	bin  string // the binaries built for this run
	tmp  string // scratch space, removed at the end
	self string // this program, re-run as a child for in-process measurements
	res  *results
	log  io.Writer // progress, on stderr
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == childCommand {
		return runChild(ctx, args[1:], stdout)
	}
	fs := cli.NewFlagSet("bench", "Measures the toolkit against its baselines and writes BENCHMARKS.md and benchmarks.csv.", stderr)
	quick := fs.Bool("quick", false, "smaller sizes and one repeat: finishes in under a minute")
	dryRun := fs.Bool("dry-run", false, "print the plan and the output files, measure nothing")
	only := fs.String("only", strings.Join(allScenarios, ","), "comma-separated `scenarios` to run")
	out := fs.String("out", "", "Markdown report `file` (default: BENCHMARKS.md at the repository root; out/bench/ with -quick)")
	csvOut := fs.String("csv", "", "raw CSV `file` (default: benchmarks.csv next to the report)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	scenarios, err := parseScenarios(*only)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	p := fullPlan()
	if *quick {
		p = quickPlan()
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	mdPath, csvPath := outputPaths(root, *quick, *out, *csvOut)
	fmt.Fprint(stderr, p.describe(scenarios))
	fmt.Fprintf(stderr, "  writes:    %s and %s\n", mdPath, csvPath)
	if *dryRun {
		return nil
	}

	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the bench binary to run its child measurements: %w", err)
	}
	tmp, err := os.MkdirTemp("", "anaplan-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &bench{plan: p, root: root, bin: filepath.Join(tmp, "bin"), tmp: tmp, self: self, res: &results{}, log: stderr}
	rep := &report{Command: reproduceCommand(args), Machine: describeMachine(ctx), Quick: p.Quick, History: profilingHistory}
	if err := b.build(ctx); err != nil {
		return err
	}

	start := time.Now()
	var failed []string
	for _, name := range allScenarios {
		if !slices.Contains(scenarios, name) {
			sec, verdicts := notRun(name)
			rep.Sections = append(rep.Sections, sec)
			rep.Verdicts = append(rep.Verdicts, verdicts...)
			continue
		}
		fmt.Fprintf(stderr, "\n== %s (%s elapsed)\n", name, time.Since(start).Round(time.Second))
		sec, verdicts, err := b.scenario(ctx, name)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed = append(failed, name)
			fmt.Fprintf(stderr, "%s failed: %v\n", name, err)
			sec.Skipped = "the scenario failed in this run: " + oneLine(err.Error())
		}
		rep.Sections = append(rep.Sections, sec)
		rep.Verdicts = append(rep.Verdicts, verdicts...)
	}
	rep.Machine.LoadEnd = loadAverage()
	rep.Machine.RSSFloor = rssFloor(ctx)

	if err := writeOutputs(rep, b.res, mdPath, csvPath); err != nil {
		return err
	}
	if err := rep.writeText(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nWrote %s and %s in %s.\n", mdPath, csvPath, time.Since(start).Round(time.Second))
	if len(failed) > 0 {
		return fmt.Errorf("scenario(s) %s failed; the report says why", strings.Join(failed, ", "))
	}
	return nil
}

// scenario runs one scenario by name.
func (b *bench) scenario(ctx context.Context, name string) (section, []verdict, error) {
	switch name {
	case "registry":
		return b.registryScenario(ctx)
	case "upload":
		return b.uploadScenario(ctx)
	case "import":
		return b.importScenario(ctx)
	case "reads":
		return b.readsScenario(ctx)
	case "notebooks":
		return b.notebookScenario(ctx)
	case "scaling":
		return b.scalingScenario(ctx)
	case "alm":
		return b.almScenario(ctx) // alm.go
	case "history":
		return b.historyScenario(ctx) // historycost.go
	}
	return section{}, nil, fmt.Errorf("unknown scenario %q", name)
}

func parseScenarios(list string) ([]string, error) {
	var out []string
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(allScenarios, s) {
			return nil, fmt.Errorf("-only: unknown scenario %q: choose from %s", s, strings.Join(allScenarios, ", "))
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("-only: no scenario named: choose from " + strings.Join(allScenarios, ", "))
	}
	return out, nil
}

// outputPaths defaults the report to the repository root for a full run
// and to the gitignored out/bench/ for a quick one, so a quick run never
// overwrites the committed report.
func outputPaths(root string, quick bool, md, csvPath string) (string, string) {
	if md == "" {
		dir := root
		if quick {
			dir = filepath.Join(root, "out", "bench")
		}
		md = filepath.Join(dir, "BENCHMARKS.md")
	}
	if csvPath == "" {
		csvPath = filepath.Join(filepath.Dir(md), "benchmarks.csv")
	}
	return md, csvPath
}

func writeOutputs(rep *report, res *results, mdPath, csvPath string) error {
	for _, o := range []struct {
		path  string
		write func(io.Writer) error
	}{{mdPath, rep.writeMarkdown}, {csvPath, res.writeCSV}} {
		if err := os.MkdirAll(filepath.Dir(o.path), 0o755); err != nil {
			return err
		}
		f, err := os.Create(o.path)
		if err != nil {
			return err
		}
		err = o.write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", o.path, err)
		}
	}
	return nil
}

// reproduceCommand is the command line that reproduces the run, without
// output paths (they do not change what is measured).
func reproduceCommand(args []string) string {
	cmd := []string{"go run ./scripts/bench"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(name, "out") || strings.HasPrefix(name, "csv") {
			if !strings.Contains(a, "=") {
				i++ // skip the value
			}
			continue
		}
		cmd = append(cmd, a)
	}
	return strings.Join(cmd, " ")
}

// build compiles the scripts the bench runs, once, into b.bin.
func (b *bench) build(ctx context.Context) error {
	fmt.Fprintln(b.log, "building scripts/sandbox, scripts/registry and scripts/import ...")
	_, err := child{Path: "go", Args: []string{"build", "-o", b.bin + string(filepath.Separator),
		"./scripts/sandbox", "./scripts/registry", "./scripts/import"}, Dir: b.root}.run(ctx)
	return err
}

func (b *bench) binary(name string) string { return filepath.Join(b.bin, name) }

// progress prints one line of progress on stderr.
func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(b.log, "  "+format+"\n", args...)
}

// repoRoot walks up from the working directory to this module's go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(data), "module github.com/anaplan-registry/toolkit\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the bench from inside the toolkit repository (no go.mod of github.com/anaplan-registry/toolkit above the working directory)")
		}
		dir = parent
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// notRun is the section and verdicts of a scenario left out with -only.
func notRun(name string) (section, []verdict) {
	sec, verdicts := placeholder(name)
	if sec.Skipped == "" {
		sec.Skipped = "left out of this run (-only)"
	}
	return sec, verdicts
}
