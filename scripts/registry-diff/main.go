// Command registry-diff says what changed in the tenant between two runs of
// scripts/registry, from the history database those runs keep. It only
// reads the database: it never creates or writes one.
//
//	go run ./scripts/registry-diff                          # the last two runs
//	go run ./scripts/registry-diff -from 2026-11-01 -to 7   # since that day began, up to run 7
//	go run ./scripts/registry-diff -list                    # the runs recorded
//	go run ./scripts/registry-diff -format csv|json         # for programs
//
// The kinds of change (the CHANGE column, "kind" in CSV and JSON): for a
// model added, removed, renamed, moved, state, environment, family, alm,
// grown, shrunk; for a workspace the same words after "workspace-":
// workspace-added, workspace-removed, workspace-renamed,
// workspace-allowance (its size allowance changed), workspace-used (its
// current size changed). Sizes (bytes, percent) are the difference; an
// added model or workspace has its size, a removed one minus its size.
package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

// kindsHelp ends -h: what the kinds of change are and how -from reads a date.
const kindsHelp = `
Kinds of change (the CHANGE column; "kind" in CSV and JSON):
  a model:     added, removed, renamed, moved, state, environment, family, alm, grown, shrunk
  a workspace: workspace-added, workspace-removed, workspace-renamed,
               workspace-allowance (size allowance), workspace-used (current size)
  bytes and percent are the size's difference; an added model or workspace
  carries its size, a removed one minus its size.
Dates: -from YYYY-MM-DD is the tenant as that day began (the last run before
it, else that day's first run), so -from with today's date lists today's changes;
-to YYYY-MM-DD is the last run of that day or before. An RFC 3339 time means
the last run at or before it.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("registry-diff", "Lists what changed in the tenant between two registry runs (reads the history, never writes it).", stderr)
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(stderr, kindsHelp) }
	path := fs.String("history", "out/registry.db", "the history database scripts/registry writes")
	tenant := fs.String("tenant", "", "which tenant, when the database holds runs of several: its name in words or its key (the error without -tenant lists both)")
	from := fs.String("from", "", "the older run: a run id, or a date (see below); default: the run before -to")
	to := fs.String("to", "", "the newer run: a run id, or a date meaning the last run on or before it; default: the last run")
	list := fs.Bool("list", false, "list the recorded runs instead")
	format := cli.FormatFlag(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	db, err := history.OpenReadOnly(ctx, *path)
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
	older, newer, err := pickRuns(runs, registry.TenantLabel(name), *from, *to)
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
	if changes == nil {
		changes = []history.Change{} // JSON [] for no changes, not null
	}
	if *format == cli.FormatTable {
		fmt.Fprintf(stdout, "%s: run %d (%s) -> run %d (%s): %s\n", registry.TenantLabel(name),
			older.ID, older.TakenAt.UTC().Format(time.DateTime), newer.ID, newer.TakenAt.UTC().Format(time.DateTime), countText(len(changes)))
		if len(changes) == 0 {
			return nil
		}
		fmt.Fprintln(stdout)
	}
	return cli.Write(stdout, *format, changesTable(*format, changes, b), changes)
}

func countText(n int) string {
	switch n {
	case 0:
		return "no changes"
	case 1:
		return "1 change"
	}
	return fmt.Sprintf("%d changes", n)
}

// pickTenant is the named tenant (by the key the history files it under,
// or by its label), or the only one the database holds.
func pickTenant(ctx context.Context, db *history.DB, want string) (string, error) {
	tenants, err := db.Tenants(ctx)
	if err != nil {
		return "", err
	}
	if want != "" {
		var byLabel []string
		for _, t := range tenants {
			if t == want {
				return t, nil
			}
			if strings.EqualFold(registry.TenantLabel(t), want) {
				byLabel = append(byLabel, t)
			}
		}
		switch len(byLabel) {
		case 1:
			return byLabel[0], nil
		case 0:
			return "", cli.UsageError{Err: fmt.Errorf("%s holds no runs of tenant %q; it holds %s", db.Path(), want, namesOf(tenants))}
		}
		return "", cli.UsageError{Err: fmt.Errorf("%q names %d tenants of %s: give one of %s", want, len(byLabel), db.Path(), quoteAll(byLabel))}
	}
	switch len(tenants) {
	case 0:
		return "", fmt.Errorf("%s holds no runs yet: run go run ./scripts/registry first", db.Path())
	case 1:
		return tenants[0], nil
	}
	return "", cli.UsageError{Err: fmt.Errorf("%s holds runs of %d tenants (%s): pick one with -tenant", db.Path(), len(tenants), namesOf(tenants))}
}

// namesOf lists tenants by label, with the key where it differs, since
// either is a -tenant.
func namesOf(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(registry.TenantLabel(k))
		if l := registry.TenantLabel(k); l != k {
			q[i] += " (-tenant " + strconv.Quote(k) + ")"
		}
	}
	return strings.Join(q, ", ")
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// pickRuns resolves -from and -to among the tenant's runs (oldest first);
// by default the last two.
func pickRuns(runs []history.Run, tenant, from, to string) (history.Run, history.Run, error) {
	if len(runs) == 0 {
		return history.Run{}, history.Run{}, fmt.Errorf("no runs of %s recorded yet", tenant)
	}
	newer := runs[len(runs)-1]
	if to != "" {
		r, err := resolve(runs, tenant, to, "-to", false)
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
	older, err := resolve(runs, tenant, from, "-from", true)
	if err != nil {
		return history.Run{}, history.Run{}, err
	}
	if older.ID >= newer.ID {
		what := fmt.Sprintf("-to (run %d", newer.ID)
		if to == "" {
			what += ", the last recorded"
		}
		return history.Run{}, history.Run{}, cli.UsageError{Err: fmt.Errorf("-from %s (run %d) is not older than %s): nothing to compare; see -list", from, older.ID, what)}
	}
	return older, newer, nil
}

// resolve reads a run id, an RFC 3339 time (the last run at or before it)
// or a date. As -to, a date is the last run on or before that day; as
// -from (dayStart), the tenant as that day began: the last run before the
// day, else the day's first run.
func resolve(runs []history.Run, tenant, s, flag string, dayStart bool) (history.Run, error) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		for _, r := range runs {
			if r.ID == id {
				return r, nil
			}
		}
		return history.Run{}, cli.UsageError{Err: fmt.Errorf("%s %s: there is no run %d of %s (see -list)", flag, s, id, tenant)}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if r, ok := lastAtOrBefore(runs, t); ok {
			return r, nil
		}
		return history.Run{}, cli.UsageError{Err: fmt.Errorf("%s %s: no run of %s at or before %s (see -list)", flag, s, tenant, t.UTC().Format(time.RFC3339))}
	}
	day, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return history.Run{}, cli.UsageError{Err: fmt.Errorf("%s %q is neither a run id nor a date (YYYY-MM-DD or RFC 3339)", flag, s)}
	}
	next := day.AddDate(0, 0, 1)
	if dayStart {
		if r, ok := lastAtOrBefore(runs, day.Add(-time.Nanosecond)); ok {
			return r, nil
		}
		for _, r := range runs { // nothing before the day: its first run
			if !r.TakenAt.Before(day) && r.TakenAt.Before(next) {
				return r, nil
			}
		}
		return history.Run{}, cli.UsageError{Err: fmt.Errorf("%s %s: no run of %s on or before %s (see -list)", flag, s, tenant, s)}
	}
	if r, ok := lastAtOrBefore(runs, next.Add(-time.Nanosecond)); ok {
		return r, nil
	}
	return history.Run{}, cli.UsageError{Err: fmt.Errorf("%s %s: no run of %s on or before %s (see -list)", flag, s, tenant, s)}
}

// lastAtOrBefore is the last of runs (oldest first) taken at or before t.
func lastAtOrBefore(runs []history.Run, t time.Time) (history.Run, bool) {
	for i := len(runs) - 1; i >= 0; i-- {
		if !runs[i].TakenAt.After(t) {
			return runs[i], true
		}
	}
	return history.Run{}, false
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
