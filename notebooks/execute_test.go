package notebooks_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false,
	"write the freshly executed notebooks over the committed ones (go test ./notebooks -update)")

// cellTimeout bounds one cell. It is generous because the first Go cell of a
// cold machine compiles gota, gonum and the library before it runs.
const cellTimeout = 10 * time.Minute

// running limits how many notebooks execute at once. A notebook spends much
// of its time waiting (Python and kernel start-up, pipes), so two overlap
// well even on 2 cores (4 smoke notebooks on this 2-core box: about 20s one
// at a time, 15s two at a time, 26s three at a time); beyond that, every
// cell's go build and link compete for the CPUs.
var running = make(chan struct{}, max(2, runtime.NumCPU()/2))

// executedNotebook is a notebook as a fresh headless execution shows it.
type executedNotebook struct {
	name    string
	raw     []byte // the executed notebook as nbconvert wrote it
	cells   []shownCell
	elapsed time.Duration // nbconvert's run, without building the kernel or waiting for a turn
}

// executed returns the notebook notebooks/<name> as a fresh execution shows
// it. Each notebook runs once per test process; every test asking for it
// shares that run. A notebook that cannot run, or whose cell fails, fails t
// with the failing cell's source and error.
//
// Per-notebook content tests look like this:
//
//	func TestWorkspacesNotebookShowsDemoWorkspaces(t *testing.T) {
//		t.Parallel()
//		out := executed(t, "02-workspaces.ipynb").cell(t, "ListWorkspaces").text()
//		if !strings.Contains(out, "Demo Workspace") { t.Errorf(...) }
//	}
func executed(t testing.TB, name string) *executedNotebook {
	t.Helper()
	e := executionOf(name)
	e.once.Do(func() { e.nb, e.err = execute(name) })
	if e.err != nil {
		t.Fatalf("notebook %s: %v", name, e.err)
	}
	return e.nb
}

// cell returns the first code cell whose source contains code; t fails when
// no cell does, so a renamed call cannot make a content test pass vacuously.
func (nb *executedNotebook) cell(t testing.TB, code string) shownCell {
	t.Helper()
	for _, c := range nb.cells {
		if strings.Contains(c.Source, code) {
			return c
		}
	}
	t.Fatalf("notebook %s has no code cell containing %q", nb.name, code)
	return shownCell{}
}

// text is everything the notebook's code cells show, in order.
func (nb *executedNotebook) text() string {
	var b strings.Builder
	for _, c := range nb.cells {
		b.WriteString(c.text())
	}
	return b.String()
}

type execution struct {
	once sync.Once
	nb   *executedNotebook
	err  error
}

var (
	executionsMu sync.Mutex
	executions   = map[string]*execution{}
)

func executionOf(name string) *execution {
	executionsMu.Lock()
	defer executionsMu.Unlock()
	e, ok := executions[name]
	if !ok {
		e = &execution{}
		executions[name] = e
	}
	return e
}

// execute runs nbconvert on notebooks/<name> with the project-local kernel.
// --allow-errors keeps nbconvert going past a failing cell so the executed
// notebook is always written: the harness reads the error from it, with the
// failing cell's source and what earlier cells printed to stderr.
func execute(name string) (*executedNotebook, error) {
	k, err := sharedKernel()
	if err != nil {
		return nil, err
	}
	trackInputs(k.root)
	path := filepath.Join(k.root, "notebooks", filepath.FromSlash(name))
	source, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	committed, err := parseNotebook(source)
	if err != nil {
		return nil, err
	}
	if err := unsyncedDisplay(shown(committed)); err != nil {
		return nil, err
	}

	running <- struct{}{}
	defer func() { <-running }()
	start := time.Now()

	tmp, err := os.MkdirTemp("", "notebook-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	outDir, kernelTmp := filepath.Join(tmp, "out"), filepath.Join(tmp, "tmp")
	if err := os.Mkdir(kernelTmp, 0o755); err != nil {
		return nil, err
	}

	cmd := exec.Command("jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name=gonb",
		"--ExecutePreprocessor.timeout="+strconv.Itoa(int(cellTimeout.Seconds())),
		"--ExecutePreprocessor.record_timing=False",
		"--output-dir", outDir, path)
	cmd.Dir = filepath.Dir(path)
	cmd.Env = k.env(kernelTmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if jupyterErr := checkJupyter(); jupyterErr != nil {
			return nil, jupyterErr
		}
		return nil, fmt.Errorf("jupyter nbconvert failed (%v); its log ends with:\n%s", err, tail(stderr.String(), 60))
	}

	raw, err := os.ReadFile(filepath.Join(outDir, filepath.Base(path)))
	if err != nil {
		return nil, fmt.Errorf("nbconvert wrote no executed notebook: %w\n%s", err, tail(stderr.String(), 60))
	}
	nb, err := parseNotebook(raw)
	if err != nil {
		return nil, err
	}
	cells := shown(nb)
	if err := firstFailure(cells); err != nil {
		return nil, err
	}
	return &executedNotebook{name: name, raw: raw, cells: cells, elapsed: time.Since(start)}, nil
}

// unsyncedDisplay rejects a cell that displays through gonbui without
// gonbui.Sync: GoNB reads displays from a pipe it closes when the cell's
// program exits, so an unsynced display is lost now and then (flaky on a
// busy CI machine). Cells use displayHTML from the setup cell instead.
func unsyncedDisplay(cells []shownCell) error {
	for _, c := range cells {
		if (strings.Contains(c.Source, "gonbui.Display") || strings.Contains(c.Source, "gonbui.Update")) &&
			!strings.Contains(c.Source, "gonbui.Sync()") {
			return fmt.Errorf("cell %d displays through gonbui without gonbui.Sync(), so its output is lost now and then; "+
				"call displayHTML from the setup cell (see notebooks/README.md)\n--- source of cell %d\n%s",
				c.Index, c.Index, indent(c.Source))
		}
	}
	return nil
}

// firstFailure describes the first cell with an error output, with what
// earlier cells wrote to stderr: GoNB does not fail a cell when one of its
// shell commands (!, !*) fails, so a broken setup cell only shows there.
func firstFailure(cells []shownCell) error {
	var stderr strings.Builder
	for _, c := range cells {
		if len(c.Errors) == 0 {
			if c.Stderr != "" {
				fmt.Fprintf(&stderr, "--- stderr of cell %d\n%s", c.Index, c.Stderr)
			}
			continue
		}
		return fmt.Errorf("cell %d failed.\n%s--- source of cell %d\n%s\n--- output of cell %d\n%s",
			c.Index, stderr.String(), c.Index, indent(c.Source), c.Index, c.text())
	}
	return nil
}

var logKernelSetup sync.Once

// checkCommitted executes the notebook and fails t when a cell shows
// something else than the committed notebook; with -update it writes the
// fresh execution over the committed notebook instead.
func checkCommitted(t *testing.T, name string) {
	t.Helper()
	nb := executed(t, name)
	// On a cold machine building the kernel dominates the first notebook's time.
	logKernelSetup.Do(func() { t.Logf("GoNB kernel built and installed in %s", kernelSetup.Round(100*time.Millisecond)) })
	t.Logf("%s executed in %s", name, nb.elapsed.Round(100*time.Millisecond))
	path := filepath.Join(theKernel.root, "notebooks", filepath.FromSlash(name))
	if *update {
		if err := os.WriteFile(path, nb.raw, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s with the fresh outputs", path)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := parseNotebook(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if diff := compareShown(shown(committed), nb.cells); diff != "" {
		t.Errorf("notebook %s: %s\nIf the fresh output is right, commit it: go test ./notebooks -run '%s' -update",
			name, diff, t.Name())
	}
}

// tail returns the last n lines of text.
func tail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("[... %d earlier lines]", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
