package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine/enginetest"
)

// The Model Registry model's imports the scenario runs (engine README, IDs).
const (
	importW1Workspaces = "112000000000" // HIERARCHY_DATA: code, name, one text property
	importW1Register   = "112000000002" // MODULE_DATA: two number line items per row
)

// importKinds are what the import child can time.
var importKinds = []struct{ kind, label string }{
	{"list", "list import (W1 Workspaces: code, name, a text property)"},
	{"module", "module import (W1 Workspace Register: two number cells per row)"},
}

// importScenario is scenario 3: the emulator's model engine importing a
// large file, each kind in a fresh child process, against encoding/csv
// reading the same bytes (the floor for any Go importer of that file).
func (b *bench) importScenario(ctx context.Context) (section, []verdict, error) {
	sec, verdicts := placeholder("import")
	p := b.plan
	repeats := min(p.Repeats, 3)
	sec.About = fmt.Sprintf(`The emulator's model engine (lib/emulator/engine) runs the Model Registry model's imports on
generated workspaces.csv data (the shape scripts/registry writes), in a fresh child process per run:

- **list import**: %s rows into the numbered list W1 Workspaces (code, name, one text property);
- **module import**: %s cells, i.e. %s rows of two number line items into W1 Workspace Register (its list is
  loaded first, untimed).

The time is the import call alone (the file is generated in memory first). The baseline, measured in the same
child right after, is encoding/csv reading every record of the same bytes: what any Go importer must at least
spend. %d repeats. Through the HTTP bulk API the emulator adds the upload and the task around this same call.`,
		groupThousands(int64(p.ImportRows)),
		groupThousands(int64(p.ImportCells)), groupThousands(int64(p.ImportCells/2)), repeats)

	sizes := map[string]int{"list": p.ImportRows, "module": p.ImportCells / 2}
	for r := 1; r <= repeats; r++ {
		for _, k := range importKinds {
			rows := sizes[k.kind]
			m, err := child{Path: b.self, Args: []string{childCommand, "import", "-kind", k.kind, "-rows", strconv.Itoa(rows)}, Dir: b.tmp}.run(ctx)
			if err != nil {
				return sec, verdicts, err
			}
			var out importResult
			if err := json.Unmarshal([]byte(m.Stdout), &out); err != nil {
				return sec, verdicts, fmt.Errorf("import child printed %q: %w", m.Stdout, err)
			}
			kase := k.kind + " rows=" + strconv.Itoa(rows)
			b.res.add(sample{Scenario: "import", Case: kase, Subject: "engine import", Metric: "time", Unit: "s", Repeat: r, Value: out.Seconds})
			b.res.add(sample{Scenario: "import", Case: kase, Subject: "engine import", Metric: "rows/s", Unit: "rows/s", Repeat: r, Value: float64(rows) / out.Seconds})
			b.res.add(sample{Scenario: "import", Case: kase, Subject: "engine import", Metric: "rss", Unit: "MB", Repeat: r, Value: mb(m.MaxRSS)})
			b.res.add(sample{Scenario: "import", Case: kase, Subject: "encoding/csv", Metric: "rows/s", Unit: "rows/s", Repeat: r, Value: float64(rows) / out.CSVSeconds})
			b.progress("%s #%d: %.2fs, %.0f rows/s (csv %.0f rows/s)", kase, r, out.Seconds, float64(rows)/out.Seconds, float64(rows)/out.CSVSeconds)
		}
	}

	var rows [][]string
	for i, k := range importKinds {
		n := sizes[k.kind]
		kase := k.kind + " rows=" + strconv.Itoa(n)
		rate := b.res.summary("import", kase, "engine import", "rows/s")
		base := b.res.summary("import", kase, "encoding/csv", "rows/s")
		shown := rate.spread("rows/s")
		target := targetImportList
		if k.kind == "module" {
			shown += ", " + sig(2*rate.Median) + " cells/s"
			target = targetImportModule
		}
		rows = append(rows, []string{k.label, groupThousands(int64(n)),
			b.res.summary("import", kase, "engine import", "time").spread("s"),
			shown, base.spread("rows/s"), ratio(rate.Median, base.Median),
			b.res.summary("import", kase, "engine import", "rss").spread("MB")})
		got := rate.spread("rows/s")
		if p.Quick {
			got += " (quick: " + groupThousands(int64(n)) + " rows)"
		}
		verdicts[i] = measuredVerdict(target, got, rate.Median >= 500_000)
	}
	sec.Tables = append(sec.Tables, table{
		Header: []string{"Import", "Rows", "Time", "Rate", "encoding/csv, same bytes", "import ÷ csv", "Child peak RSS"},
		Rows:   rows,
	})
	sec.Notes = append(sec.Notes, "Peak RSS includes the generated file, held in memory (about 64 bytes per row).")

	e2e, err := b.importEndToEnd(ctx, sizes)
	if err != nil {
		return sec, verdicts, err
	}
	sec.Tables = append(sec.Tables, e2e)
	sec.Notes = append(sec.Notes, "End to end, as users run it: `scripts/import` in its own process uploads the same file to "+
		"scripts/sandbox (also its own process) and runs the import task until it completes. The emulator reports a task "+
		"COMPLETE no sooner than its task duration (1 s of simulated work) and the client polls, so this is what a user "+
		"waits, not the engine's rate; the engine's rate is the table above.")
	return sec, verdicts, nil
}

// importEndToEnd runs scripts/import against a sandbox for each kind: the
// upload and the import task, as a user runs them.
func (b *bench) importEndToEnd(ctx context.Context, sizes map[string]int) (table, error) {
	t := table{Caption: "End to end through the bulk API (scripts/import: upload, run the import, wait):",
		Header: []string{"Import", "Rows", "scripts/import wall time", "Rows/s seen by the user"}}
	sb, err := startSandbox(ctx, b.binary("sandbox"), nil)
	if err != nil {
		return t, err
	}
	defer sb.stop()
	repeats := min(b.plan.Repeats, 3)
	if b.plan.Quick {
		repeats = 1
	}
	for _, k := range importKinds {
		rows := sizes[k.kind]
		file := filepath.Join(b.tmp, "workspaces.csv") // the data source's own name
		if err := os.WriteFile(file, enginetest.WorkspacesCSV(rows), 0o644); err != nil {
			return t, err
		}
		name := "W1 Workspaces from workspaces.csv"
		if k.kind == "module" {
			name = "W1 Workspace Register from workspaces.csv"
		}
		run := func(importName string) (measured, error) {
			return child{Path: b.binary("import"), Dir: b.tmp, Env: clientEnv(sb), Args: []string{
				"-workspace", emulator.RegistryWorkspaceID, "-model", emulator.RegistryModelID,
				"-file", file, "-import", importName, "-format", "json", "-env", os.DevNull}}.run(ctx)
		}
		if k.kind == "module" { // the module's list must hold the items first
			if _, err := run("W1 Workspaces from workspaces.csv"); err != nil {
				return t, err
			}
		}
		kase := k.kind + " rows=" + strconv.Itoa(rows)
		for r := 1; r <= repeats; r++ {
			m, err := run(name)
			if err != nil {
				return t, err
			}
			if !strings.Contains(m.Stdout, `"Loaded": `+strconv.Itoa(rows)) {
				return t, fmt.Errorf("scripts/import did not load %d rows:\n%s", rows, tail(m.Stdout, 20))
			}
			b.res.add(sample{Scenario: "import", Case: kase, Subject: "scripts/import", Metric: "wall", Unit: "s", Repeat: r, Value: m.Wall.Seconds()})
			b.progress("%s scripts/import #%d: %.2fs", kase, r, m.Wall.Seconds())
		}
		wall := b.res.summary("import", kase, "scripts/import", "wall")
		t.Rows = append(t.Rows, []string{k.label, groupThousands(int64(rows)), wall.spread("s"), sig(float64(rows)/wall.Median) + " rows/s"})
	}
	return t, nil
}

// importResult is what the import child prints.
type importResult struct {
	Seconds    float64 `json:"seconds"`
	CSVSeconds float64 `json:"csvSeconds"`
	Succeeded  int     `json:"succeeded"`
}

// importChild times one import in this process: bench child import -kind
// list|module -rows N.
func importChild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	kind := fs.String("kind", "list", "list or module")
	rows := fs.Int("rows", 1000, "rows")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data := enginetest.WorkspacesCSV(*rows)
	m := engine.ModelRegistry()
	id := importW1Workspaces
	if *kind == "module" {
		if _, err := m.RunImport(ctx, importW1Workspaces, bytes.NewReader(data), nil); err != nil {
			return err
		}
		id = importW1Register
	} else if *kind != "list" {
		return fmt.Errorf("unknown -kind %q", *kind)
	}
	start := time.Now()
	res, err := m.RunImport(ctx, id, bytes.NewReader(data), nil)
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	if res.RowsSucceeded != *rows {
		return fmt.Errorf("%d of %d rows succeeded", res.RowsSucceeded, *rows)
	}
	csvTime, err := timeCSV(data, *rows)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(importResult{Seconds: elapsed.Seconds(), CSVSeconds: csvTime.Seconds(), Succeeded: res.RowsSucceeded})
}

// timeCSV reads every record of data with encoding/csv.
func timeCSV(data []byte, want int) (time.Duration, error) {
	start := time.Now()
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	n := -1 // the header
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		n++
	}
	if n != want {
		return 0, fmt.Errorf("encoding/csv read %d records, want %d", n, want)
	}
	return time.Since(start), nil
}
