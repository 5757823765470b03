package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cellTimeout bounds one cell, as the notebook tests do: a cold first cell
// compiles gota, gonum and the library.
//
// Notebooks run with cells.py, which needs Jupyter's nbclient (Debian's
// jupyter-nbconvert brings it) under pythonPath.
const cellTimeout = 10 * time.Minute

// baselineNotebook is the floor every GoNB cell pays: one trivial cell
// (goimports, go build, run), executed the same way as the notebooks.
const baselineNotebook = `{
 "cells": [{"cell_type": "code", "execution_count": null, "id": "trivial", "metadata": {}, "outputs": [],
   "source": ["%%\n", "fmt.Println(\"hello\")\n"]}],
 "metadata": {"kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
 "nbformat": 4, "nbformat_minor": 5
}
`

// notebookKernel is a GoNB kernel installed for this run only.
type notebookKernel struct {
	bin, data, config string
}

// executedCell is one code cell of an executed notebook.
type executedCell struct {
	Index   int    // among code cells, from 1
	Label   string // the first line of its source that says something
	Seconds float64
	Failed  bool
}

// notebookScenario is scenario 5.
func (b *bench) notebookScenario(ctx context.Context) (section, []verdict, error) {
	sec, verdicts := placeholder("notebooks")
	p := b.plan
	sec.About = fmt.Sprintf(`Each notebook is executed headless as the notebook tests do it (nbclient, the engine of
`+"`jupyter nbconvert --execute`"+`, driven by [scripts/bench/cells.py](scripts/bench/cells.py), with a GoNB kernel built at the
version go.mod pins and no Anaplan settings, so it talks to the built-in emulator). A cell's time is the client's
clock from sending the cell to receiving its reply (the kernel's own timestamps are whole seconds); a notebook's time
is the whole run, Python and kernel start-up included. Every run starts a fresh kernel process in a fresh TMPDIR
(GoNB's scratch module and the emulator's state start empty).

- **cold**: in addition, an empty Go build cache (GOCACHE): the first run on a new machine, where the first cell
  that imports the library compiles it and its dependencies (gota, gonum, gonbui) from source. The module cache is kept:
  downloads are not measured.
- **warm**: the Go build cache already holds everything (%s), as on every later run: each cell
  still runs goimports, compiles its program, links it and runs it.
- **baseline**: a one-cell notebook printing "hello", executed the same way: the cost of any GoNB cell.

%d warm run(s) per notebook%s.`, map[bool]string{true: "one untimed run first", false: "-quick: no untimed run first, the cache of whoever runs it"}[p.NotebookWarmup],
		p.NotebookRepeats, map[bool]string{true: ", one cold run", false: ", no cold run (-quick)"}[p.NotebookCold])

	notebooks, err := filepath.Glob(filepath.Join(b.root, "notebooks", "*.ipynb"))
	if err != nil {
		return sec, verdicts, err
	}
	slices.Sort(notebooks)
	if len(notebooks) == 0 {
		sec.Skipped = "there are no notebooks in notebooks/ yet"
		return sec, verdicts, nil
	}
	if p.NotebookLimit > 0 && len(notebooks) > p.NotebookLimit {
		notebooks = notebooks[:p.NotebookLimit]
	}
	if out, err := exec.CommandContext(ctx, pythonPath, "-c", "import nbclient, nbformat").CombinedOutput(); err != nil {
		sec.Skipped = fmt.Sprintf("Jupyter's nbclient is not available to %s (%v %s): install it with "+
			"`sudo apt-get install jupyter-nbconvert jupyter-client` or run `go run ./scripts/testall` once", pythonPath, err, strings.TrimSpace(string(out)))
		return sec, verdicts, nil
	}
	k, err := b.installKernel(ctx)
	if err != nil {
		return sec, verdicts, err
	}
	baseline := filepath.Join(b.tmp, "baseline", "baseline.ipynb")
	if err := os.MkdirAll(filepath.Dir(baseline), 0o755); err != nil {
		return sec, verdicts, err
	}
	if err := os.WriteFile(baseline, []byte(baselineNotebook), 0o644); err != nil {
		return sec, verdicts, err
	}

	all := append([]string{baseline}, notebooks...)
	labels := map[string][]string{} // notebook name -> cell labels
	for _, nb := range all {
		name := filepath.Base(nb)
		if p.NotebookCold {
			cache, err := os.MkdirTemp(b.tmp, "gocache-")
			if err != nil {
				return sec, verdicts, err
			}
			cells, wall, err := b.executeNotebook(ctx, k, nb, cache)
			os.RemoveAll(cache)
			if err != nil {
				return sec, verdicts, err
			}
			b.recordNotebook(name, "cold", 1, cells, wall)
			labels[name] = cellLabels(cells)
		}
		if p.NotebookWarmup {
			if _, _, err := b.executeNotebook(ctx, k, nb, ""); err != nil { // warms the build cache
				return sec, verdicts, err
			}
		}
		for r := 1; r <= p.NotebookRepeats; r++ {
			cells, wall, err := b.executeNotebook(ctx, k, nb, "")
			if err != nil {
				return sec, verdicts, err
			}
			b.recordNotebook(name, "warm", r, cells, wall)
			labels[name] = cellLabels(cells)
		}
	}

	trivial := b.res.summary("notebooks", "baseline.ipynb cell 1", "warm", "cell")
	var perNotebook, perCell [][]string
	var warmCells []float64
	for _, nb := range all {
		name := filepath.Base(nb)
		nbWarm := b.res.summary("notebooks", name, "warm", "notebook")
		nbCold := b.res.summary("notebooks", name, "cold", "notebook")
		var cellMedians []float64
		for i, label := range labels[name] {
			kase := fmt.Sprintf("%s cell %d", name, i+1)
			warm := b.res.summary("notebooks", kase, "warm", "cell")
			cold := b.res.summary("notebooks", kase, "cold", "cell")
			cellMedians = append(cellMedians, warm.Median)
			if nb != baseline {
				warmCells = append(warmCells, b.res.values("notebooks", kase, "warm", "cell")...)
			}
			perCell = append(perCell, []string{name, strconv.Itoa(i + 1), "`" + label + "`",
				cold.spread("s"), warm.spread("s"), ratio(warm.Median, trivial.Median)})
		}
		med := summarize(cellMedians)
		perNotebook = append(perNotebook, []string{name, strconv.Itoa(len(labels[name])),
			nbCold.spread("s"), nbWarm.spread("s"), sig(med.Median) + " s", sig(med.Max) + " s", ratio(med.Median, trivial.Median)})
	}
	sec.Tables = append(sec.Tables,
		table{
			Caption: "Per notebook (the whole run: Python and kernel start-up included):",
			Header:  []string{"Notebook", "Code cells", "Cold", "Warm", "Warm cell median", "Slowest warm cell", "Cell median ÷ trivial cell"},
			Rows:    perNotebook,
		},
		table{
			Caption: "Per cell:",
			Header:  []string{"Notebook", "Cell", "Starts with", "Cold", "Warm", "Warm ÷ trivial cell"},
			Rows:    perCell,
		})
	if p.CellBuild {
		build, err := b.cellBuildCost(ctx)
		if err != nil {
			return sec, verdicts, err
		}
		sec.Tables = append(sec.Tables, build)
	}
	sec.Notes = append(sec.Notes, "Every cell is a new Go program: GoNB runs goimports on it, then `go build` (the packages come "+
		"from the build cache when warm, but the program is linked anew each time), then runs it. The trivial cell is that cost for "+
		"a program of the standard library alone; the last table is the build of a program importing the library, as the lessons' "+
		"cells do, and what linking without debug information (`-ldflags=-s -w`, which GoNB's `%goflags` can set) would save.")
	all2 := summarize(warmCells)
	verdicts[0] = measuredVerdict(targetNotebookCells, fmt.Sprintf("%s s median over %d cell runs (slowest %s s)", sig(all2.Median), all2.N, sig(all2.Max)),
		all2.ok() && all2.Median <= 2)
	return sec, verdicts, nil
}

func (b *bench) recordNotebook(name, subject string, repeat int, cells []executedCell, wall time.Duration) {
	b.res.add(sample{Scenario: "notebooks", Case: name, Subject: subject, Metric: "notebook", Unit: "s", Repeat: repeat, Value: wall.Seconds()})
	for _, c := range cells {
		b.res.add(sample{Scenario: "notebooks", Case: fmt.Sprintf("%s cell %d", name, c.Index), Subject: subject, Metric: "cell", Unit: "s", Repeat: repeat, Value: c.Seconds})
	}
	b.progress("%s %s #%d: %.1fs, %d cells", name, subject, repeat, wall.Seconds(), len(cells))
}

func cellLabels(cells []executedCell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.Label
	}
	return out
}

// cellProgram is a program shaped like a lesson's cell: it imports the
// library and gonbui, so building it links what a cell links.
const cellProgram = `package main

import (
	"fmt"

	"github.com/anaplan-registry/toolkit/lib/session"
	"github.com/janpfeifer/gonb/gonbui"
)

func main() {
	fmt.Println(session.DefaultOptions().StateDir != "", %d)
	gonbui.Sync()
}
`

// cellBuildCost times go build of a cell-shaped program with a warm build
// cache, changing its main package before each build as a new cell does,
// with the default linker flags and with -ldflags=-s -w.
func (b *bench) cellBuildCost(ctx context.Context) (table, error) {
	t := table{Caption: "Building one cell's program (warm build cache; the main package changes every time, as it does from cell to cell):",
		Header: []string{"go build", "Time"}}
	dir := filepath.Join(b.tmp, "cellbuild")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return t, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module cellbuild\n\ngo 1.26.0\n"), 0o644); err != nil {
		return t, err
	}
	env := cleanEnv("GOWORK=" + filepath.Join(dir, "go.work"))
	if _, err := (child{Path: "go", Args: []string{"work", "init", ".", b.root}, Dir: dir, Env: env}).run(ctx); err != nil {
		return t, err
	}
	variants := []struct{ name, ldflags string }{{"default flags", ""}, {"-ldflags=-s -w", "-s -w"}}
	n := 0
	for r := 0; r <= 3; r++ { // r == 0 warms the cache
		for _, v := range variants {
			n++
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(fmt.Sprintf(cellProgram, n)), 0o644); err != nil {
				return t, err
			}
			m, err := child{Path: "go", Args: []string{"build", "-ldflags=" + v.ldflags, "-o", filepath.Join(dir, "cell"), "."}, Dir: dir, Env: env}.run(ctx)
			if err != nil {
				return t, err
			}
			if r > 0 {
				b.res.add(sample{Scenario: "notebooks", Case: "go build of a cell", Subject: v.name, Metric: "build", Unit: "s", Repeat: r, Value: m.Wall.Seconds()})
			}
		}
	}
	for _, v := range variants {
		t.Rows = append(t.Rows, []string{v.name, b.res.summary("notebooks", "go build of a cell", v.name, "build").spread("s")})
	}
	return t, nil
}

// installKernel builds gonb and goimports at the versions go.mod pins and
// installs the kernel spec into this run's own Jupyter data directory, so
// the developer's Jupyter setup is never read or touched.
func (b *bench) installKernel(ctx context.Context) (*notebookKernel, error) {
	dir := filepath.Join(b.tmp, "jupyter")
	k := &notebookKernel{bin: filepath.Join(dir, "bin"), data: filepath.Join(dir, "data"), config: filepath.Join(dir, "config")}
	for _, d := range []string{k.bin, k.data, k.config} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	b.progress("building the GoNB kernel ...")
	if _, err := (child{Path: "go", Args: []string{"build", "-o", k.bin + string(filepath.Separator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports"}, Dir: b.root}).run(ctx); err != nil {
		return nil, err
	}
	if _, err := (child{Path: filepath.Join(k.bin, "gonb"), Args: []string{"--install", "--raw_error", "--force_deps"},
		Dir: b.root, Env: k.env("", "")}).run(ctx); err != nil {
		return nil, err
	}
	return k, nil
}

// env is the notebooks' environment: no Anaplan, Jupyter, GoNB or go.work
// settings of the developer; this run's kernel; tmp as TMPDIR; and, for a
// cold run, an empty build cache.
func (k *notebookKernel) env(tmp, gocache string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "ANAPLAN_"), strings.HasPrefix(name, "JUPYTER_"), strings.HasPrefix(name, "GONB_"),
			name == "GOWORK", name == "PATH", name == "TMPDIR", name == "GOCACHE" && gocache != "":
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"ANAPLAN_ENV_FILE="+os.DevNull,
		"JUPYTER_DATA_DIR="+k.data,
		"JUPYTER_CONFIG_DIR="+k.config,
		"PATH="+k.bin+string(filepath.ListSeparator)+os.Getenv("PATH"))
	if tmp != "" {
		env = append(env, "TMPDIR="+tmp)
	}
	if gocache != "" {
		env = append(env, "GOCACHE="+gocache)
	}
	return env
}

// executeNotebook runs one notebook with cells.py (nbclient, as nbconvert
// --execute does) in a fresh TMPDIR and returns its code cells' times and
// the whole run's wall time. A cell that fails fails the run: a broken
// notebook has no meaningful time.
func (b *bench) executeNotebook(ctx context.Context, k *notebookKernel, path, gocache string) ([]executedCell, time.Duration, error) {
	tmp, err := os.MkdirTemp(b.tmp, "nb-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(tmp)
	m, err := child{Path: pythonPath, Args: []string{filepath.Join(b.root, "scripts", "bench", "cells.py"), path, "gonb",
		strconv.Itoa(int(cellTimeout.Seconds()))},
		Dir: filepath.Dir(path), Env: k.env(tmp, gocache)}.run(ctx)
	if err != nil {
		return nil, 0, err
	}
	cells, err := parseCellTimes([]byte(m.Stdout))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	for _, c := range cells {
		if c.Failed {
			return nil, 0, fmt.Errorf("%s: code cell %d (%s) failed; run go test ./notebooks to see why", filepath.Base(path), c.Index, c.Label)
		}
	}
	return cells, m.Wall, nil
}

// parseCellTimes reads what cells.py prints: every executed code cell, in
// order, with its time, whether it failed and its source.
func parseCellTimes(raw []byte) ([]executedCell, error) {
	var out struct {
		Cells []struct {
			Seconds float64 `json:"seconds"`
			Failed  bool    `json:"failed"`
			Source  string  `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("cells.py printed no timing (%v): %.200q", err, raw)
	}
	if len(out.Cells) == 0 {
		return nil, errors.New("the notebook has no code cells")
	}
	cells := make([]executedCell, len(out.Cells))
	for i, c := range out.Cells {
		cells[i] = executedCell{Index: i + 1, Label: sourceLabel(c.Source), Seconds: c.Seconds, Failed: c.Failed}
	}
	return cells, nil
}

// sourceLabel is the first line of a cell that is not blank, a comment, or
// a magic or shell command (% or !, with its continuation lines), cut to 50
// characters: enough to recognise the cell.
func sourceLabel(source string) string {
	continued := false
	for _, l := range strings.Split(source, "\n") {
		l = strings.TrimSpace(l)
		skip := continued || l == "" || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "%") || strings.HasPrefix(l, "!")
		continued = skip && strings.HasSuffix(l, "\\")
		if skip {
			continue
		}
		if r := []rune(l); len(r) > 50 {
			l = string(r[:49]) + "…"
		}
		return l
	}
	return "(magics only)"
}
