// Command read writes any list or view of a model, by name or id, to CSV
// or JSON on stdout or a file: through a large read request when it is
// big, with a progress bar on a terminal.
//
//	go run ./scripts/read -model NAME|ID (-list NAME|ID | -view NAME|ID) [-format csv|json] [-o FILE] [-large auto|always|never]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/anaplan-registry/toolkit/lib/modeldata"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

// maxListItems is the most items a list can index (anaplan-api.md §8),
// so the largest -large-items that means anything.
const maxListItems = 999_999_999

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := cli.NewFlagSet("read", "Writes a list's items or a view's cells as CSV or JSON.", stderr)
	workspace := flags.String("workspace", "", "id of the model's workspace (optional: found from the model)")
	model := flags.String("model", "Model Registry", "the model, by name or id")
	list := flags.String("list", "", "the list to read, by name or id")
	view := flags.String("view", "", "the view to read, by name or id (a module's name reads its default view)")
	format := flags.String("format", "csv", "output format: csv or json")
	out := flags.String("o", "", "file to write (atomically); default stdout")
	large := flags.String("large", string(modeldata.LargeAuto), "large read request: auto (big lists, views too large to read at once), always or never")
	var threshold int
	cli.IntRangeVar(flags, &threshold, "large-items", modeldata.DefaultLargeThreshold, 1, maxListItems, "with -large auto: lists with more `items` are read through a read request")
	conn := cli.ConnectionFlags(flags)
	if err := cli.Parse(flags, args); err != nil {
		return err
	}
	switch {
	case (*list == "") == (*view == ""):
		return cli.UsageError{Err: errors.New("name exactly one of -list or -view")}
	case *format != "csv" && *format != "json":
		return cli.UsageError{Err: fmt.Errorf("-format %q: use csv or json", *format)}
	case *large != "auto" && *large != "always" && *large != "never":
		return cli.UsageError{Err: fmt.Errorf("-large %q: use auto, always or never", *large)}
	}
	if *out != "" { // before logging in: a typo in -o should not cost a read
		if dir := filepath.Dir(*out); !isDir(dir) {
			return cannotWrite(*out, dir, fs.ErrNotExist)
		}
	}
	session, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()
	m, err := modeldata.FindModel(ctx, session.Client, *workspace, *model)
	if err != nil {
		return err
	}
	obj, err := modeldata.Resolve(ctx, m, *list, *view)
	if err != nil {
		return err
	}
	bar := cli.NewRowProgress(stderr, "read "+obj.Name, int64(obj.Items))
	opts := modeldata.ReadOptions{
		JSON: *format == "json", Large: modeldata.Large(*large), LargeThreshold: threshold,
		Progress: bar.Rows, Notice: func(s string) { fmt.Fprintln(stderr, s) },
	}
	var res modeldata.ReadResult
	if *out == "" {
		res, err = modeldata.Read(ctx, m, obj, stdout, opts)
	} else {
		res, err = readToFile(ctx, *out, func(w io.Writer) (modeldata.ReadResult, error) { return modeldata.Read(ctx, m, obj, w, opts) })
	}
	bar.Done()
	if err != nil {
		return err
	}
	how := "at once"
	if res.Large {
		how = "through a large read request"
	}
	fmt.Fprintf(stderr, "read %d rows of %s %q %s\n", res.Rows, obj.Kind, obj.Name, how)
	return nil
}

// readToFile writes to a temporary file beside path and renames it into
// place only when the read is complete: path is never half-written.
func readToFile(ctx context.Context, path string, read func(io.Writer) (modeldata.ReadResult, error)) (modeldata.ReadResult, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return modeldata.ReadResult{}, cannotWrite(path, dir, err)
	}
	res, err := read(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		if err = os.Rename(f.Name(), path); err != nil {
			err = cannotWrite(path, dir, err)
		}
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return res, err
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// cannotWrite says why path cannot be written in terms of path and its
// directory, never the temporary file beside it the user did not name.
func cannotWrite(path, dir string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot write %s: the directory %s does not exist (create it, or name another -o)", path, dir)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // "permission denied", without the temporary name
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return fmt.Errorf("cannot write %s: %w", path, err)
}
