// Command registry builds the model registry of an Anaplan tenant: it reads
// every workspace and model and writes workspaces.csv and models.csv (the
// shapes the tutorial's imports take) and registry.csv (every detail, for
// people), families.csv (the copies of each application by environment,
// with flags) and hygiene.csv (what an admin should look at). With -load it then loads them into the registry model: uploads,
// imports, failure dumps. With no credentials configured it runs against
// the built-in emulator's demo tenant.
//
// With -sync it writes the registry into the model through the
// transactional API instead: only what differs, items and cells.
//
// -load and -sync are two ways to write the same registry into the model,
// so a run takes one of them; -process needs -load, -prune needs -sync.
//
//	go run ./scripts/registry [-out DIR] [-rules FILE] [-alm=false] [-load [-model NAME|ID] [-process NAME] | -sync [-model NAME|ID] [-prune]] [-format table|csv|json]
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("registry", "Reads every workspace and model of the tenant and writes the registry CSV files.", stderr)
	out := fs.String("out", "out", "directory for workspaces.csv, models.csv, registry.csv, families.csv and hygiene.csv")
	load := fs.Bool("load", false, "then load the CSVs into the registry model (upload, run the imports); not with -sync")
	target := fs.String("model", "Model Registry", "with -load or -sync: name or id of the model to load into")
	process := fs.String("process", "", "with -load: run this process instead of the imports one by one")
	// -sync / -prune: the transactional load (sync.go).
	syncFlags := addSyncFlags(fs)
	format := cli.FormatFlag(fs)
	conn := cli.ConnectionFlags(fs)
	fs.BoolVar(&conn.AdvanceDemo, "advance-demo", true, "with the built-in demo tenant: move it a day on first (models created, grown, archived, moved, renamed, synced), so the history has something to show")
	orgFlags := newOrganiseFlags(fs) // environments, families, hygiene: organise.go
	histFlags := addHistoryFlags(fs) // -history, -report: history.go
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := syncFlags.check(*load, *process); err != nil {
		return err
	}
	if err := checkOutDir(*out); err != nil {
		return err
	}
	if err := orgFlags.load(); err != nil {
		return err
	}
	if err := histFlags.check(); err != nil {
		return err
	}

	if err := histFlags.raiseDemoDay(ctx, *out); err != nil { // demoday.go
		return err
	}
	session, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()
	reg, err := registry.Read(ctx, session.Client)
	if err != nil {
		return err
	}
	tenant, err := session.Tenant(ctx)
	if err != nil {
		return err
	}
	// The history opens once the tenant is read: a run that fails before
	// leaves nothing behind, not even an empty database.
	db, err := histFlags.open(ctx, *out)
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	if err := histFlags.adopt(ctx, db, tenant, stderr); err != nil {
		return err
	}
	demoDay, err := servedDemoDay(session)
	if err != nil {
		return err
	}
	at := runTime(demoDay) // demoday.go: the demo tenant's day, or now
	if demoDay != nil {
		if err := checkDemoRunTime(ctx, db, tenant.Key, at); err != nil {
			return err
		}
	}
	known, err := known(ctx, db, tenant.Key, *orgFlags.alm)
	if err != nil {
		return err
	}
	lineage, almStats, err := orgFlags.organise(ctx, session.Client, reg, known, at, stderr)
	if err != nil {
		return err
	}
	// The run is written into the history while the files are, and
	// committed once they have landed (history.go).
	staged := stage(ctx, db, tenant.Key, at, reg, lineage)
	defer staged.abandon()
	files, err := reg.WriteFiles(*out)
	if err != nil {
		return err
	}
	if err := report(stdout, *format, reg, files, almStats, known != nil); err != nil {
		return err
	}
	if err := histFlags.record(ctx, db, staged, tenant.Key, reg, demoDay, *out, historyOut(*format, stdout, stderr)); err != nil {
		return err
	}
	if syncFlags.sync { // never with -load (syncFlags.check)
		return syncInto(ctx, session, reg, *target, syncFlags.prune, stdout)
	}
	if !*load {
		return nil
	}
	return loadInto(ctx, session, reg, files, *target, *process, filepath.Join(*out, "dumps"), stdout, stderr)
}

// loadInto loads the files into the target model and fails, naming the
// dumps, when an import rejected rows.
func loadInto(ctx context.Context, s *session.Session, reg *registry.Registry, files registry.Files,
	target, process, dumps string, stdout, stderr io.Writer) error {
	model, err := reg.FindModel(target)
	if err != nil {
		return err
	}
	progress := cli.NewProgress(stderr)
	result, err := registry.Load(ctx, s.Client.Model(model.CurrentWorkspaceID, model.ID), files, registry.LoadOptions{
		Process:  process,
		DumpDir:  dumps,
		OnUpload: progress.Upload,
		OnTask:   progress.Task,
	})
	if err != nil {
		return fmt.Errorf("loading into %q: %w", model.Name, err)
	}
	fmt.Fprintf(stdout, "\nLoaded into %q (%s):\n", model.Name, model.ID)
	if err := result.Table().WriteText(stdout); err != nil {
		return err
	}
	return result.Err()
}

// checkOutDir fails early, before any request, when the files could not be
// written: the path is not a directory, or the directory (or, when it does
// not exist yet, its nearest existing parent) does not take new files. It
// creates nothing, so a run that fails later leaves no empty directory.
func checkOutDir(dir string) error {
	if dir == "" {
		return cli.UsageError{Err: fmt.Errorf("-out must name a directory")}
	}
	probe := filepath.Clean(dir)
	for {
		fi, err := os.Stat(probe)
		if err == nil && !fi.IsDir() {
			if probe == filepath.Clean(dir) {
				return fmt.Errorf("output path %s is not a directory: choose another -out", dir)
			}
			return fmt.Errorf("cannot create output directory %s: %s is a file (choose another -out)", dir, probe)
		}
		if err == nil {
			break
		}
		parent := filepath.Dir(probe)
		if parent == probe {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
		probe = parent
	}
	for _, name := range []string{registry.WorkspacesFile, registry.ModelsFile, registry.RegistryFile} {
		if fi, err := os.Lstat(filepath.Join(dir, name)); err == nil && fi.IsDir() {
			return fmt.Errorf("cannot replace %s: it is a directory (move it away or choose another -out)", filepath.Join(dir, name))
		}
	}
	f, err := os.CreateTemp(probe, ".registry-write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write to output directory %s: %w (choose another -out)", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// report prints the summary; earlier says a recorded run's ALM answers
// were there to reuse.
func report(w io.Writer, format cli.Format, reg *registry.Registry, files registry.Files, alm *registry.LineageStats, earlier bool) error {
	summary := reg.Summary()
	switch format {
	case cli.FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Files      registry.Files   `json:"files"`
			Workspaces int              `json:"workspaces"`
			Models     int              `json:"models"`
			States     []registry.Count `json:"modelsByState"`
			Usage      []usageJSON      `json:"workspaceUsage"`
			Org        organisationJSON `json:"organisation"`
		}{files, len(reg.Workspaces), len(reg.Models), summary.States, usage(summary), organisationSummary(reg, alm)})
	case cli.FormatCSV:
		return reg.WriteRegistryCSV(w)
	}
	if err := summary.WriteText(w); err != nil {
		return err
	}
	if err := writeOrganisation(w, reg, alm, earlier); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWrote %s (%d workspaces), %s (%d models), %s, %s and %s.\n",
		files.Workspaces, len(reg.Workspaces), files.Models, len(reg.Models), files.Registry, files.Families, files.Hygiene)
	return nil
}

type usageJSON struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Models        int      `json:"models"`
	SizeAllowance int64    `json:"sizeAllowance"`
	CurrentSize   int64    `json:"currentSize"`
	UsedPercent   *float64 `json:"usedPercent"`
	Status        string   `json:"status,omitempty"`
}

func usage(s registry.Summary) []usageJSON {
	out := make([]usageJSON, 0, len(s.Workspaces))
	for _, u := range s.Workspaces {
		j := usageJSON{ID: u.ID, Name: u.Name, Models: u.Models,
			SizeAllowance: int64(u.SizeAllowance), CurrentSize: int64(u.CurrentSize), Status: u.Status()}
		if u.HasAllowance {
			p := u.UsedPercent
			j.UsedPercent = &p
		}
		out = append(out, j)
	}
	return out
}
