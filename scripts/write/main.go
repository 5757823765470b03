// Command write writes list items or cells from a CSV file into a model
// through the transactional API, in batches at Anaplan's limits, and
// reports each rejected row with its CSV line.
//
//	go run ./scripts/write -model NAME|ID -list NAME|ID [-action add|update|delete] -file items.csv
//	go run ./scripts/write -model NAME|ID -module NAME|ID [-by-code] -file cells.csv
//
// Items CSV: columns id, name, code, parent; any other column is a
// property. Cells CSV: "Line Item", one column per dimension (item names,
// or codes with -by-code), "Value".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/modeldata"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("write", "Writes list items or module cells from a CSV file.", stderr)
	workspace := fs.String("workspace", "", "id of the model's workspace (optional: found from the model)")
	model := fs.String("model", "", "the model to write into, by name or id (required: a write changes data, so no default)")
	list := fs.String("list", "", "write items into this list (name or id)")
	module := fs.String("module", "", "write cells into this module (name or id)")
	action := fs.String("action", "add", "with -list: add, update or delete")
	byCode := fs.Bool("by-code", false, "with -module: dimension columns hold item codes, not names")
	file := fs.String("file", "", "the CSV file to write (required)")
	var batch int
	cli.IntRangeVar(fs, &batch, "batch", anaplan.MaxItemsPerCall, 1, anaplan.MaxItemsPerCall, "`N` items or cells per request")
	conn := cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	switch {
	case *model == "":
		return cli.UsageError{Err: errors.New("-model is required: name the model to write into, by name or id (list them with go run ./scripts/models)")}
	case (*list == "") == (*module == ""):
		return cli.UsageError{Err: errors.New("name exactly one of -list or -module")}
	case *file == "":
		return cli.UsageError{Err: errors.New("-file is required: the CSV to write")}
	case *action != "add" && *action != "update" && *action != "delete":
		return cli.UsageError{Err: fmt.Errorf("-action %q: use add, update or delete", *action)}
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	session, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()
	m, err := modeldata.FindModel(ctx, session.Client, *workspace, *model)
	if err != nil {
		return err
	}
	opts := anaplan.WriteOptions{MaxPerCall: batch}
	var (
		res  modeldata.WriteResult
		what string
	)
	if *list != "" {
		l, err := m.FindList(ctx, *list)
		if err != nil {
			return err
		}
		what = fmt.Sprintf("list %q of model %q", l.Name, *model)
		res, err = modeldata.WriteItems(ctx, m, l.ID, modeldata.ItemAction(*action), f, opts)
		if err != nil {
			return fmt.Errorf("writing %s from %s: %w", what, *file, err)
		}
		fmt.Fprintf(stdout, "%s: %s, %s %s in %s, %d rejected\n", what, cli.Count(res.Rows, "row"), cli.Count(res.Applied, "item"), pastTense(*action), cli.Count(res.Requests, "request"), len(res.Rejected))
	} else {
		mod, err := m.FindModule(ctx, *module)
		if err != nil {
			return err
		}
		what = fmt.Sprintf("module %q of model %q", mod.Name, *model)
		res, err = modeldata.WriteCells(ctx, m, mod.ID, f, modeldata.CellsOptions{ByCode: *byCode}, opts)
		if err != nil {
			return fmt.Errorf("writing %s from %s: %w", what, *file, err)
		}
		fmt.Fprintf(stdout, "%s: %s, %s changed in %s, %d rejected\n", what, cli.Count(res.Rows, "row"), cli.Count(res.Applied, "cell"), cli.Count(res.Requests, "request"), len(res.Rejected))
	}
	for _, r := range res.Rejected {
		fmt.Fprintf(stdout, "  %s %s\n", *file, r)
	}
	return res.Err()
}

func pastTense(action string) string {
	return map[string]string{"add": "added", "update": "updated", "delete": "deleted"}[action]
}
