// Command import uploads a file to an import data source of any model and
// runs an import (or a process), for automation: it reports rows loaded,
// ignored and failed, saves failure dumps, and exits 1 when rows failed.
// Everything it can check before the upload (flags, the file, the names
// of the import, process and data source, the dump directory) it checks
// first. An upload cut short by Ctrl-C is completed or discarded rather
// than left half-written on the server, and the script says which (or
// that Anaplan could not be reached to do either).
//
//	go run ./scripts/import -workspace WID -model MID -file data.csv -import "Employees from data.csv"
//	go run ./scripts/import -workspace WID -model MID -list
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

type options struct {
	workspace, model    string
	file, source        string
	importName, process string
	dumps               string
	list                bool
	chunkMiB, parallel  int
	noGzip              bool
	format              *cli.Format
	conn                *cli.Connection
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("import", "Uploads a file to a model's import data source and runs an import or a process.", stderr)
	var o options
	fs.StringVar(&o.workspace, "workspace", "", "id of the model's workspace (required)")
	fs.StringVar(&o.model, "model", "", "id of the model (required)")
	fs.StringVar(&o.file, "file", "", "file to upload before running (omit to run on the data already there)")
	fs.StringVar(&o.source, "source", "", "import data source (name or id) to upload into; default: the import's own")
	fs.StringVar(&o.importName, "import", "", "import to run (name or id)")
	fs.StringVar(&o.process, "process", "", "process to run instead of an import (name or id); needs -source with -file")
	fs.StringVar(&o.dumps, "dumps", "dumps", "directory for failure dumps")
	fs.BoolVar(&o.list, "list", false, "list the model's files, imports and processes, and exit")
	cli.IntRangeVar(fs, &o.chunkMiB, "chunk-size", anaplan.DefaultChunkSize>>20, anaplan.MinChunkSize>>20, anaplan.MaxChunkSize>>20,
		"upload chunk size in `MiB`")
	cli.IntRangeVar(fs, &o.parallel, "parallel", anaplan.DefaultUploadParallelism(), 1, maxParallel,
		"`N` chunks uploaded at once (by default one per CPU, at most 4)")
	fs.BoolVar(&o.noGzip, "no-gzip", false, "send chunks uncompressed")
	o.format = cli.FormatFlag(fs)
	o.conn = cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return cli.UsageError{Err: err}
	}
	if !o.list {
		// What can be checked here costs nothing; found after the
		// upload or the import, it would have cost both.
		if err := o.checkLocal(); err != nil {
			return err
		}
	}
	session, err := o.conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()
	m := session.Client.Model(o.workspace, o.model)
	if o.list {
		return list(ctx, m, stdout, *o.format)
	}
	t, err := o.resolve(ctx, m)
	if err != nil {
		return err
	}
	return o.load(ctx, m, t, stdout, stderr)
}

// maxParallel bounds -parallel: memory grows with chunk size × PUTs in
// flight (50 MiB × 17 is already 850 MiB), and more PUTs than CPUs buy
// no speed (anaplan.DefaultUploadParallel's benchmarks).
const maxParallel = 16

func (o *options) check() error {
	switch {
	case o.workspace == "" || o.model == "":
		return errors.New("-workspace and -model are required (ids; list models with go run ./scripts/models)")
	case o.list:
		return nil
	case (o.importName == "") == (o.process == ""):
		return errors.New("name exactly one of -import or -process (see -list)")
	case o.process != "" && o.file != "" && o.source == "":
		return errors.New("with -process and -file, say which data source to upload into with -source")
	case o.source != "" && o.file == "":
		return errors.New("-source needs -file: there is nothing to upload")
	}
	return nil
}

// runTarget is what a run acts on, resolved from the names it was given
// before anything is uploaded or run.
type runTarget struct {
	imp    anaplan.Import  // with -import
	proc   anaplan.Process // with -process
	source anaplan.File    // with -file: the data source to upload into
}

// resolve finds the import or process and the data source by name or id,
// so that a wrong name fails at once, listing the names there are, with
// nothing uploaded.
func (o *options) resolve(ctx context.Context, m *anaplan.ModelHandle) (runTarget, error) {
	var t runTarget
	var err error
	if o.importName != "" {
		if t.imp, err = m.FindImport(ctx, o.importName); err != nil {
			return t, fmt.Errorf("-import: %w", err)
		}
	} else if t.proc, err = m.FindProcess(ctx, o.process); err != nil {
		return t, fmt.Errorf("-process: %w", err)
	}
	if o.file == "" {
		return t, nil
	}
	source := cmp.Or(o.source, t.imp.ImportDataSourceID)
	if source == "" {
		return t, fmt.Errorf("import %q reads no file: give -source", t.imp.Name)
	}
	if t.source, err = m.FindFile(ctx, source); err != nil {
		return t, fmt.Errorf("-source: %w", err)
	}
	return t, nil
}

func (o *options) load(ctx context.Context, m *anaplan.ModelHandle, t runTarget, stdout, stderr io.Writer) error {
	progress := cli.NewProgress(stderr)
	opts := registry.LoadOptions{
		DumpDir:  o.dumps,
		Upload:   o.uploadOptions(),
		OnUpload: progress.Upload,
		OnTask:   progress.Task,
	}
	if o.file != "" {
		if _, err := registry.Upload(ctx, m, t.source.ID, o.file, opts); err != nil {
			return o.uploadError(t.source, err)
		}
	}
	var report registry.LoadReport
	if o.process != "" {
		imports, err := registry.RunProcess(ctx, m, t.proc.ID, opts)
		if err != nil {
			return err
		}
		report.Imports = imports
	} else {
		ir, err := registry.RunImport(ctx, m, t.imp.ID, opts)
		if err != nil {
			return err
		}
		report.Imports = []registry.ImportReport{ir}
	}
	if err := cli.Write(stdout, *o.format, report.Table(), report.Imports); err != nil {
		return err
	}
	return report.Err()
}

// list shows what a model offers to load: files, imports, exports and
// processes.
func list(ctx context.Context, m *anaplan.ModelHandle, w io.Writer, format cli.Format) error {
	actions, err := registry.ReadModelActions(ctx, m)
	if err != nil {
		return err
	}
	return cli.Write(w, format, actions.Table(), actions)
}
