package registry

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// LoadOptions control how the registry's CSV files are loaded into a model.
type LoadOptions struct {
	// Process, when set, runs that process (by name or id) instead of the
	// imports one by one, the way the tutorial's "Load Model Registry" does.
	Process string
	// DumpDir receives the failure dump of every import that rejected rows;
	// "" keeps dumps on the server only.
	DumpDir string
	// Upload configures the chunked uploads (chunk size, gzip, parallelism).
	Upload anaplan.UploadOptions
	// OnUpload and OnTask, when set, see upload and task progress: file is
	// the data source's name, name the import's or process's.
	OnUpload func(file string, p anaplan.UploadProgress)
	OnTask   func(name string, s anaplan.TaskStatus)
}

// LoadReport says what each import did with the rows it was given.
type LoadReport struct {
	Uploads []anaplan.File
	Imports []ImportReport
}

// ImportReport is one import's outcome. Counts are -1 when Anaplan's result
// did not carry them.
type ImportReport struct {
	ID, Name                           string
	Processed, Loaded, Ignored, Failed int
	Successful                         bool
	Messages                           []string // Anaplan's localMessageText lines
	DumpPath                           string   // where the failure dump was written, if any
}

// FailedRows is the number of rows all imports rejected.
func (r LoadReport) FailedRows() int {
	n := 0
	for _, i := range r.Imports {
		n += max(i.Failed, 0)
	}
	return n
}

// Succeeded reports whether every import loaded every row.
func (r LoadReport) Succeeded() bool {
	for _, i := range r.Imports {
		if !i.Successful {
			return false
		}
	}
	return len(r.Imports) > 0
}

// Err is nil when every import loaded every row, and otherwise says how
// many rows failed and where their dumps are, or, for an import that
// failed without rejecting rows (a data source never uploaded), Anaplan's
// own message.
func (r LoadReport) Err() error {
	if r.Succeeded() {
		return nil
	}
	if len(r.Imports) == 0 {
		return errors.New("nothing was imported")
	}
	var dumps, messages []string
	for _, i := range r.Imports {
		if i.Successful {
			continue
		}
		if i.DumpPath != "" {
			dumps = append(dumps, i.DumpPath)
		}
		if i.Failed <= 0 {
			messages = append(messages, i.Name+": "+cmp.Or(strings.Join(i.Messages, "; "), "failed"))
		}
	}
	var parts []string
	if n := r.FailedRows(); n > 0 {
		part := fmt.Sprintf("%d rows failed to load", n)
		if len(dumps) > 0 {
			part += "; see the failure dumps: " + strings.Join(dumps, ", ")
		}
		parts = append(parts, part)
	}
	return errors.New(strings.Join(append(parts, messages...), "; "))
}

// Table shows the report for people.
func (r LoadReport) Table() Table {
	t := Table{Header: []string{"IMPORT", "LOADED", "IGNORED", "FAILED", "DUMP"}}
	count := func(n int) string {
		if n < 0 {
			return "?"
		}
		return strconv.Itoa(n)
	}
	for _, i := range r.Imports {
		t.Rows = append(t.Rows, []string{i.Name, count(i.Loaded), count(i.Ignored), count(i.Failed), i.DumpPath})
	}
	return t
}

// Load uploads workspaces.csv and models.csv to the model's import data
// sources of the same names, then runs every import that reads them: list
// (HIERARCHY_DATA) imports before module imports, workspaces before models,
// so W2 Models finds its parents in W1 Workspaces. With opts.Process it runs
// that process instead. Rows the imports reject do not make Load fail: they
// are counted in the report and their dumps written to opts.DumpDir.
func Load(ctx context.Context, m *anaplan.ModelHandle, files Files, opts LoadOptions) (LoadReport, error) {
	var report LoadReport
	for _, path := range []string{files.Workspaces, files.Models} {
		f, err := Upload(ctx, m, filepath.Base(path), path, opts)
		if err != nil {
			return report, err
		}
		report.Uploads = append(report.Uploads, f)
	}
	if opts.Process != "" {
		imports, err := RunProcess(ctx, m, opts.Process, opts)
		report.Imports = imports
		return report, err
	}
	imports, err := importsReading(ctx, m, report.Uploads)
	if err != nil {
		return report, err
	}
	names := newDumpNames()
	for _, imp := range imports {
		ir, err := runImport(ctx, m, imp, opts, names)
		if err != nil {
			return report, err
		}
		report.Imports = append(report.Imports, ir)
	}
	return report, nil
}

// Upload uploads the file at path to the model's import data source with
// the given id or name, in chunks (opts.Upload, progress to opts.OnUpload).
func Upload(ctx context.Context, m *anaplan.ModelHandle, source, path string, opts LoadOptions) (anaplan.File, error) {
	src, err := m.FindFile(ctx, source)
	if err != nil {
		return anaplan.File{}, fmt.Errorf("finding the import data source %s: %w", source, err)
	}
	up := opts.Upload
	if opts.OnUpload != nil {
		up.Progress = func(p anaplan.UploadProgress) { opts.OnUpload(src.Name, p) }
	}
	f, err := m.UploadFile(ctx, src.ID, path, up)
	if err != nil {
		return anaplan.File{}, fmt.Errorf("uploading %s: %w", path, err)
	}
	return f, nil
}

// RunImport runs the import with the given id or name, waits for it and
// reports its rows; a failure dump goes to opts.DumpDir.
func RunImport(ctx context.Context, m *anaplan.ModelHandle, idOrName string, opts LoadOptions) (ImportReport, error) {
	imp, err := m.FindImport(ctx, idOrName)
	if err != nil {
		return ImportReport{}, err
	}
	return runImport(ctx, m, imp, opts, newDumpNames())
}

func runImport(ctx context.Context, m *anaplan.ModelHandle, imp anaplan.Import, opts LoadOptions, names *dumpNames) (ImportReport, error) {
	task, err := m.RunImport(ctx, imp.ID, anaplan.TaskOptions{})
	if err != nil {
		return ImportReport{}, fmt.Errorf("starting import %q: %w", imp.Name, err)
	}
	status, err := wait(ctx, task, imp.Name, opts)
	if err != nil {
		return ImportReport{}, err
	}
	ir := importReport(imp.ID, imp.Name, status.Result)
	if status.Result != nil && status.Result.FailureDumpAvailable && opts.DumpDir != "" {
		ir.DumpPath, err = saveDump(opts.DumpDir, imp.Name, names, func(w io.Writer) error { return task.Dump(ctx, w) })
	}
	return ir, err
}

// importsReading lists the model's imports that read the uploaded sources,
// in a safe order: hierarchy (list) imports first, then the rest, each in
// the order of the sources (workspaces before models).
func importsReading(ctx context.Context, m *anaplan.ModelHandle, sources []anaplan.File) ([]anaplan.Import, error) {
	all, err := anaplan.Collect(m.ListImports(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing imports: %w", err)
	}
	rank := map[string]int{}
	for i, s := range sources {
		rank[s.ID] = i + 1
	}
	var imports []anaplan.Import
	for _, imp := range all {
		if rank[imp.ImportDataSourceID] > 0 {
			imports = append(imports, imp)
		}
	}
	if len(imports) == 0 {
		return nil, errors.New("no import of the model reads workspaces.csv or models.csv: create them as the tutorial shows, or name a process with -process")
	}
	slices.SortStableFunc(imports, func(a, b anaplan.Import) int {
		return cmp.Or(
			cmp.Compare(typeRank(a.ImportType), typeRank(b.ImportType)),
			cmp.Compare(rank[a.ImportDataSourceID], rank[b.ImportDataSourceID]))
	})
	return imports, nil
}

func typeRank(t anaplan.ImportType) int {
	if t == "HIERARCHY_DATA" {
		return 0
	}
	return 1
}

// RunProcess runs the process with the given id or name, waits for it and
// reports each of its actions; failure dumps go to opts.DumpDir.
func RunProcess(ctx context.Context, m *anaplan.ModelHandle, idOrName string, opts LoadOptions) ([]ImportReport, error) {
	proc, err := m.FindProcess(ctx, idOrName)
	if err != nil {
		return nil, err
	}
	task, err := m.RunProcess(ctx, proc.ID, anaplan.TaskOptions{})
	if err != nil {
		return nil, fmt.Errorf("starting process %q: %w", proc.Name, err)
	}
	status, err := wait(ctx, task, proc.Name, opts)
	if err != nil {
		return nil, err
	}
	if status.Result == nil {
		return nil, fmt.Errorf("process %q finished without a result", proc.Name)
	}
	var reports []ImportReport
	names := newDumpNames()
	for _, nested := range status.Result.NestedResults {
		name := cmp.Or(nested.ObjectName, nested.ObjectID)
		ir := importReport(nested.ObjectID, name, &nested)
		if nested.FailureDumpAvailable && opts.DumpDir != "" {
			ir.DumpPath, err = saveDump(opts.DumpDir, name, names, func(w io.Writer) error { return task.NestedDump(ctx, nested.ObjectID, w) })
			if err != nil {
				return reports, err
			}
		}
		reports = append(reports, ir)
	}
	return reports, nil
}

// wait waits for a task; an unsuccessful completion is a result to report,
// not an error, but a cancelled task or a lost wait is.
func wait(ctx context.Context, task *anaplan.Task, name string, opts LoadOptions) (anaplan.TaskStatus, error) {
	var progress func(anaplan.TaskStatus)
	if opts.OnTask != nil {
		progress = func(s anaplan.TaskStatus) { opts.OnTask(name, s) }
	}
	status, err := task.Wait(ctx, progress)
	var te *anaplan.TaskError
	if errors.As(err, &te) && te.Failed() {
		return te.Task, nil
	}
	if err != nil {
		return status, fmt.Errorf("%s: %w", name, err)
	}
	return status, nil
}

// importReport reads the row counts out of an import's result details.
func importReport(id, name string, r *anaplan.TaskResult) ImportReport {
	ir := ImportReport{ID: id, Name: name, Processed: -1, Loaded: -1, Ignored: -1, Failed: -1}
	if r == nil {
		return ir
	}
	ir.Successful = r.Successful
	for _, d := range r.Details {
		if msg := strings.TrimSpace(d.LocalMessageText); msg != "" {
			ir.Messages = append(ir.Messages, msg)
		}
		v := d.ValueMap()
		setCount(&ir.Loaded, v["successRowCount"])
		setCount(&ir.Ignored, v["ignoredCount"])
		setCount(&ir.Failed, v["failedCount"])
		setCount(&ir.Processed, v["totalRowCount"])
	}
	return ir
}

func setCount(dst *int, s string) {
	if n, err := strconv.Atoi(s); err == nil {
		*dst = max(*dst, 0) + n
	}
}

// saveDump writes a failure dump to dir/<import name>.dump.csv atomically,
// under a name no other dump of this run took (see dumpNames).
func saveDump(dir, importName string, names *dumpNames, download func(io.Writer) error) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create dump directory %s: %w", dir, err)
	}
	run, err := startTempRun(dir)
	if err != nil {
		return "", err
	}
	defer run.end()
	path := filepath.Join(dir, names.claim(importName))
	tmp, err := run.writeTemp(filepath.Base(path), download)
	if err != nil {
		return "", fmt.Errorf("downloading the failure dump of %q: %w", importName, err)
	}
	if err := run.replaceAll([]replacement{{final: path, temp: tmp}}); err != nil {
		tmp.discard()
		return "", err
	}
	return path, nil
}

// ReadDump reads a failure dump (CSV with _Status_, the data columns,
// _Line_ and _Error_1_) as a frame of strings: type detection would turn
// codes like 0012 into numbers.
func ReadDump(r io.Reader) (dataframe.DataFrame, error) {
	df := dataframe.ReadCSV(r, dataframe.DetectTypes(false), dataframe.DefaultType(series.String), dataframe.NaNValues(nil))
	return df, df.Err
}

// FindModel finds the model to load the registry into, by id or by exact
// name; a name several models share is an error that lists them.
func (r *Registry) FindModel(nameOrID string) (anaplan.Model, error) {
	var matches []anaplan.Model
	for _, m := range r.Models {
		if m.ID == nameOrID {
			return m, nil
		}
		if m.Name == nameOrID {
			matches = append(matches, m)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return anaplan.Model{}, fmt.Errorf("no model named %q among the %d models read: create it as the tutorial shows, or give its id", nameOrID, len(r.Models))
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = m.ID + " in " + r.workspaceName(m)
	}
	return anaplan.Model{}, fmt.Errorf("%d models are named %q (%s): give the id of the one to load", len(matches), nameOrID, strings.Join(ids, ", "))
}
