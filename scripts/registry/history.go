package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// HistoryFile is the history database's name in the output directory
// unless -history names another.
const HistoryFile = "registry.db"

// ReportFile is the report page's name in the output directory.
const ReportFile = "report.html"

// historyFlags are -history and -report.
type historyFlags struct {
	path   *string
	report *bool
	label  string // the tenant in words, for the report (adopt sets it)
}

func addHistoryFlags(fs *flag.FlagSet) *historyFlags {
	return &historyFlags{
		path:   fs.String("history", "", "SQLite database that remembers every run (default OUT/"+HistoryFile+"); off keeps no history"),
		report: fs.Bool("report", false, "also write OUT/"+ReportFile+": one self-contained page to share"),
	}
}

// file is the database to use, "" for none.
func (h *historyFlags) file(out string) string {
	switch *h.path {
	case "":
		return filepath.Join(out, HistoryFile)
	case "off":
		return ""
	}
	return *h.path
}

// check refuses -report without history before any request: the page's
// forecast and changes come from it.
func (h *historyFlags) check() error {
	if *h.report && *h.path == "off" {
		return cli.UsageError{Err: fmt.Errorf("-report needs the history (its forecast and changes come from it): drop -history off")}
	}
	return nil
}

// open opens the history database, or returns nil with -history off. It
// runs before the tenant is read, so a bad file costs no request.
func (h *historyFlags) open(ctx context.Context, out string) (*history.DB, error) {
	path := h.file(out)
	if path == "" {
		return nil, nil
	}
	if *h.path == "" { // the default lives in the output directory: make it
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s for the history: %w", out, err)
		}
	}
	return history.Open(ctx, path)
}

// adopt notes the tenant's label for the report and, with a history,
// continues the runs an older toolkit recorded under the tenant's older key
// (registry.AdoptLegacyTenant), saying so once.
func (h *historyFlags) adopt(ctx context.Context, db *history.DB, tenant registry.Tenant, stderr io.Writer) error {
	h.label = tenant.Label
	adopted, err := registry.AdoptLegacyTenant(ctx, db, tenant)
	if adopted {
		fmt.Fprintf(stderr, "History: the runs recorded as %q continue as %s.\n", tenant.Legacy, tenant.Label)
	}
	return err
}

// known is what the tenant's last recorded run learnt from ALM; nothing
// when ALM is not read (the snapshot is not worth reading then).
func known(ctx context.Context, db *history.DB, tenant string, alm bool) (map[string]registry.ModelLineage, error) {
	if !alm {
		return nil, nil
	}
	return registry.KnownLineage(ctx, db, tenant)
}

// staging is the run being written into the history in the background
// while the CSV files are written: the two need different cores, and the
// run is committed only once the files have landed (record).
type staging struct {
	done   chan struct{}
	staged *history.Staged
	err    error
}

// stage starts writing the run taken at at into the history; nil without
// history.
func stage(ctx context.Context, db *history.DB, tenant string, at time.Time, reg *registry.Registry,
	lineage map[string]registry.ModelLineage) *staging {
	if db == nil {
		return nil
	}
	s := &staging{done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.staged, s.err = registry.StageRun(ctx, db, tenant, at, reg, lineage)
	}()
	return s
}

// abandon drops the staged run unless it was committed: a run that fails
// adds nothing.
func (s *staging) abandon() {
	if s == nil {
		return
	}
	<-s.done
	if s.staged != nil {
		s.staged.Rollback()
	}
}

// record commits the staged run to the history (with the demo tenant's
// day when demoDay is not nil), prints what changed since the previous
// one, and writes the report page when asked.
func (h *historyFlags) record(ctx context.Context, db *history.DB, s *staging, tenant string, reg *registry.Registry,
	demoDay *int, out string, stdout io.Writer) error {
	if s == nil {
		return nil
	}
	<-s.done
	if s.err != nil {
		return s.err
	}
	rec, err := s.staged.Commit()
	if err != nil {
		return err
	}
	run := rec.Run
	if demoDay != nil {
		if err := db.RecordDemoDay(ctx, run.ID, *demoDay); err != nil {
			return err
		}
	}
	in := registry.ReportInput{Tenant: h.label, Run: run, Previous: rec.Previous, Changes: rec.Changes}
	fmt.Fprintf(stdout, "\nHistory: run %d recorded in %s", run.ID, db.Path())
	switch {
	case in.Previous != nil && len(in.Changes) > 0:
		fmt.Fprintf(stdout, "; %s since run %d (go run ./scripts/registry-diff for the list)", changeCounts(in.Changes), in.Previous.ID)
	case in.Previous != nil:
		fmt.Fprintf(stdout, "; no changes since run %d", in.Previous.ID)
	}
	fmt.Fprintln(stdout, ".")
	if !*h.report {
		return nil
	}
	if in.Capacity, err = db.Forecast(ctx, tenant); err != nil {
		return err
	}
	if in.Fastest, err = db.FastestGrowing(ctx, tenant, 10); err != nil {
		return err
	}
	if in.Trend, err = db.WorkspaceTrend(ctx, tenant, registry.ReportTrendRuns); err != nil {
		return err
	}
	page, err := reg.ReportPage(in)
	if err != nil {
		return err
	}
	path := filepath.Join(out, ReportFile)
	if err := registry.WriteReport(path, page); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Report: %s\n", path)
	return nil
}

// changeCounts says "3 changes (1 added, 2 grown)" or "no changes".
func changeCounts(cs []history.Change) string {
	if len(cs) == 0 {
		return "no changes"
	}
	n := map[history.ChangeKind]int{}
	var order []history.ChangeKind
	for _, c := range cs {
		if n[c.Kind] == 0 {
			order = append(order, c.Kind)
		}
		n[c.Kind]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%d %s", n[k], k)
	}
	return fmt.Sprintf("%d changes (%s)", len(cs), strings.Join(parts, ", "))
}

// historyOut is where the history's lines go: with the summary for people,
// on stderr when stdout carries CSV or JSON for a program.
func historyOut(format cli.Format, stdout, stderr io.Writer) io.Writer {
	if format == cli.FormatTable {
		return stdout
	}
	return stderr
}
