// Command registry-diff says what changed in the tenant between two runs of
// scripts/registry, from the history database those runs keep: models
// added, removed, renamed, moved, archived, re-classified, fallen behind
// production or caught up, grown or shrunk; workspaces' allowance and use.
//
//	go run ./scripts/registry-diff                          # the last two runs
//	go run ./scripts/registry-diff -from 2026-11-01 -to 7   # a date (the last run on or before it) and a run id
//	go run ./scripts/registry-diff -list                    # the runs recorded
//	go run ./scripts/registry-diff -format csv|json         # for programs
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("registry-diff", "Lists what changed in the tenant between two registry runs.", stderr)
	path := fs.String("history", "out/registry.db", "the history database scripts/registry writes")
	tenant := fs.String("tenant", "", "which tenant, when the database holds runs of several (see -list)")
	from := fs.String("from", "", "the older run: a run id, or a date (YYYY-MM-DD or RFC 3339) meaning the last run on or before it; default: the run before -to")
	to := fs.String("to", "", "the newer run, like -from; default: the last run")
	list := fs.Bool("list", false, "list the recorded runs instead")
	format := cli.FormatFlag(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(*path); err != nil {
		return fmt.Errorf("no history at %s: run go run ./scripts/registry first (it records every run there), or name the file with -history", *path)
	}
	db, err := history.Open(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	name, err := pickTenant(ctx, db, *tenant)
	if err != nil {
		return err
	}
	runs, err := db.Runs(ctx, name)
	if err != nil {
		return err
	}
	if *list {
		return cli.Write(stdout, *format, registry.RunsTable(runs), runs)
	}
	older, newer, err := pickRuns(ctx, db, name, runs, *from, *to)
	if err != nil {
		return err
	}
	a, err := db.Snapshot(ctx, older)
	if err != nil {
		return err
	}
	b, err := db.Snapshot(ctx, newer)
	if err != nil {
		return err
	}
	changes := history.Diff(a, b)
	if *format == cli.FormatTable {
		fmt.Fprintf(stdout, "%s: run %d (%s) -> run %d (%s): %d changes\n", name,
			older.ID, older.TakenAt.Format(time.DateTime), newer.ID, newer.TakenAt.Format(time.DateTime), len(changes))
		if len(changes) == 0 {
			return nil
		}
		fmt.Fprintln(stdout)
	}
	return cli.Write(stdout, *format, changesTable(*format, changes, b), changes)
}

// pickTenant is the named tenant, or the only one the database holds.
func pickTenant(ctx context.Context, db *history.DB, want string) (string, error) {
	tenants, err := db.Tenants(ctx)
	if err != nil {
		return "", err
	}
	if want != "" {
		for _, t := range tenants {
			if t == want {
				return t, nil
			}
		}
		return "", cli.UsageError{Err: fmt.Errorf("%s holds no runs of tenant %q; it holds %s", db.Path(), want, quoteAll(tenants))}
	}
	switch len(tenants) {
	case 0:
		return "", fmt.Errorf("%s holds no runs yet: run go run ./scripts/registry first", db.Path())
	case 1:
		return tenants[0], nil
	}
	return "", cli.UsageError{Err: fmt.Errorf("%s holds runs of %d tenants (%s): pick one with -tenant", db.Path(), len(tenants), quoteAll(tenants))}
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// pickRuns resolves -from and -to; by default the last two runs.
func pickRuns(ctx context.Context, db *history.DB, tenant string, runs []history.Run, from, to string) (history.Run, history.Run, error) {
	if len(runs) == 0 {
		return history.Run{}, history.Run{}, fmt.Errorf("no runs of %s recorded yet", tenant)
	}
	newer := runs[len(runs)-1]
	if to != "" {
		r, err := resolve(ctx, db, tenant, to, "-to")
		if err != nil {
			return history.Run{}, history.Run{}, err
		}
		newer = r
	}
	if from == "" {
		for i := len(runs) - 1; i >= 0; i-- {
			if runs[i].ID < newer.ID {
				return runs[i], newer, nil
			}
		}
		return history.Run{}, history.Run{}, fmt.Errorf("run %d is the first of %s recorded: there is nothing before it to compare with (run the registry again later, or give -from)", newer.ID, tenant)
	}
	older, err := resolve(ctx, db, tenant, from, "-from")
	if err != nil {
		return history.Run{}, history.Run{}, err
	}
	if older.ID >= newer.ID {
		return history.Run{}, history.Run{}, cli.UsageError{Err: fmt.Errorf("-from (run %d) is not older than -to (run %d)", older.ID, newer.ID)}
	}
	return older, newer, nil
}

// resolve reads a run id or a date.
func resolve(ctx context.Context, db *history.DB, tenant, s, flag string) (history.Run, error) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		r, err := db.Run(ctx, tenant, id)
		if errors.Is(err, history.ErrNoRun) {
			return r, cli.UsageError{Err: fmt.Errorf("%s %s: %w (see -list)", flag, s, err)}
		}
		return r, err
	}
	var t time.Time
	var err error
	if t, err = time.Parse(time.RFC3339, s); err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			return history.Run{}, cli.UsageError{Err: fmt.Errorf("%s %q is neither a run id nor a date (YYYY-MM-DD or RFC 3339)", flag, s)}
		}
		t = t.Add(24*time.Hour - time.Millisecond) // the whole day
	}
	r, err := db.RunAt(ctx, tenant, t)
	if errors.Is(err, history.ErrNoRun) {
		return r, cli.UsageError{Err: fmt.Errorf("%s %s: %w (see -list)", flag, s, err)}
	}
	return r, err
}

func changesTable(format cli.Format, changes []history.Change, newer history.Snapshot) registry.Table {
	if format == cli.FormatCSV {
		t := registry.Table{Header: []string{"kind", "id", "name", "workspaceId", "from", "to", "bytes", "percent"}}
		for _, c := range changes {
			t.Rows = append(t.Rows, []string{string(c.Kind), c.ID, c.Name, c.WorkspaceID, c.From, c.To,
				strconv.FormatInt(c.Bytes, 10), strconv.FormatFloat(c.Percent, 'f', 1, 64)})
		}
		return t
	}
	return registry.ChangesTable(changes, newer)
}
