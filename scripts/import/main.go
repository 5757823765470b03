// Command import uploads a file to an import data source of any model and
// runs an import (or a process), for automation: it reports rows loaded,
// ignored and failed, saves failure dumps, and exits 1 when rows failed.
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
	fs.IntVar(&o.chunkMiB, "chunk-size", 0, "upload chunk size in MiB, 1 to 50 (default 8)")
	fs.IntVar(&o.parallel, "parallel", 0, "chunks uploaded at once (default: one per CPU, 2 to 4)")
	fs.BoolVar(&o.noGzip, "no-gzip", false, "send chunks uncompressed")
	o.format = cli.FormatFlag(fs)
	o.conn = cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return cli.UsageError{Err: err}
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
	return o.load(ctx, m, stdout, stderr)
}

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
	case o.chunkMiB != 0 && (o.chunkMiB < 1 || o.chunkMiB > 50):
		return fmt.Errorf("-chunk-size %d: Anaplan takes chunks of 1 to 50 MiB", o.chunkMiB)
	case o.parallel < 0:
		return fmt.Errorf("-parallel %d: want 1 or more", o.parallel)
	}
	return nil
}

func (o *options) load(ctx context.Context, m *anaplan.ModelHandle, stdout, stderr io.Writer) error {
	progress := cli.NewProgress(stderr)
	opts := registry.LoadOptions{
		DumpDir:  o.dumps,
		Upload:   anaplan.UploadOptions{ChunkSize: int64(o.chunkMiB) << 20, NoGzip: o.noGzip, Parallel: o.parallel},
		OnUpload: progress.Upload,
		OnTask:   progress.Task,
	}
	var imp anaplan.Import
	if o.importName != "" {
		var err error
		if imp, err = m.FindImport(ctx, o.importName); err != nil {
			return err
		}
	}
	if o.file != "" {
		source := cmp.Or(o.source, imp.ImportDataSourceID)
		if source == "" {
			return fmt.Errorf("import %q reads no file: give -source", imp.Name)
		}
		if _, err := registry.Upload(ctx, m, source, o.file, opts); err != nil {
			return err
		}
	}
	var report registry.LoadReport
	if o.process != "" {
		imports, err := registry.RunProcess(ctx, m, o.process, opts)
		if err != nil {
			return err
		}
		report.Imports = imports
	} else {
		ir, err := registry.RunImport(ctx, m, imp.ID, opts)
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
