package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// record writes runs of one tenant at the given times, each with the
// models its function returns.
func record(t *testing.T, path, tenant string, at []time.Time, ws func(i int) []history.Workspace, ms func(i int) []history.Model) {
	t.Helper()
	db, err := history.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, when := range at {
		if _, err := db.Record(context.Background(), tenant, when, ws(i), ms(i)); err != nil {
			t.Fatal(err)
		}
	}
}

func sameWorkspaces(int) []history.Workspace {
	return []history.Workspace{{ID: "w1", Name: "Finance", SizeAllowance: 1000, CurrentSize: 500}}
}

// fileState is what a test compares before and after a read: the bytes of
// the file and which files sit beside it.
func fileState(t *testing.T, path string) string {
	t.Helper()
	var data []byte
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		if data, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sum := sha256.Sum256(data)
	return fmt.Sprintf("%x %s", sum, strings.Join(names, ","))
}

func TestDiffNeverCreatesOrWritesADatabase(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte("these are not the runs you are looking for\n"), 0o644)
	other := filepath.Join(t.TempDir(), "other.db")
	func() {
		db, err := sql.Open("sqlite", "file:"+other)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE things (id INTEGER)`); err != nil {
			t.Fatal(err)
		}
	}()
	for _, c := range []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "none.db"), "there is no history at"},
		{"empty", empty, "is empty, not a history database"},
		{"not SQLite", text, "is not a SQLite database"},
		{"another database", other, "is a SQLite database but not a registry history"},
		{"a directory", dir, "is a directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := fileState(t, c.path)
			for _, args := range [][]string{{"-history", c.path}, {"-history", c.path, "-list"}} {
				_, _, err := runDiff(t, args...)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%q: err = %v, want it to say %q", args, err, c.want)
				}
			}
			if after := fileState(t, c.path); after != before {
				t.Errorf("registry-diff changed %s or its folder: %s, was %s", c.path, after, before)
			}
		})
	}

	// A history it reads is left byte for byte as it was.
	path := seed(t, "demo")
	before := fileState(t, path)
	for _, args := range [][]string{{}, {"-list"}, {"-from", "1", "-format", "json"}} {
		if _, _, err := runDiff(t, append([]string{"-history", path}, args...)...); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
	}
	if after := fileState(t, path); after != before {
		t.Errorf("reading the history changed it or its folder: %s, was %s", after, before)
	}

	// While a registry run has the database open (its log beside it), the
	// diff shares the log and sees the run it committed.
	w, err := history.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Record(context.Background(), "demo", day0.AddDate(0, 0, 5), sameWorkspaces(0), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("an open history has no log beside it (%v): the case is not tested", err)
	}
	out, _, err := runDiff(t, "-history", path, "-list")
	if err != nil || !strings.Contains(out, "2026-11-06 06:00:00") {
		t.Errorf("-list beside an open writer = %q, %v; want the run it committed", out, err)
	}
}

func TestDiffFromADate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.db")
	yesterday := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	today := time.Date(2026, 12, 2, 0, 7, 26, 0, time.UTC)
	// Run 1 today, runs 2-4 seconds apart today: each adds a model.
	at := []time.Time{today, today.Add(time.Second), today.Add(2 * time.Second), today.Add(3 * time.Second)}
	models := func(i int) []history.Model {
		var ms []history.Model
		for j := range i + 1 {
			ms = append(ms, history.Model{ID: string(rune('A' + j)), Name: "Model " + string(rune('A'+j)), WorkspaceID: "w1", MemoryUsage: 1 << 20})
		}
		return ms
	}
	record(t, path, "demo", at, sameWorkspaces, models)

	// Every run today: -from today is the day's first run, not the last.
	out, _, err := runDiff(t, "-history", path, "-from", "2026-12-02")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "run 1 (2026-12-02 00:07:26) -> run 4 (2026-12-02 00:07:29): 3 changes") {
		t.Errorf("-from today:\n%s", out)
	}
	// -to a date is the day's last run; -from the same date its first.
	if out, _, err = runDiff(t, "-history", path, "-from", "2026-12-02", "-to", "2026-12-02", "-format", "csv"); err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(strings.NewReader(out)).ReadAll(); len(rows) != 4 {
		t.Errorf("-from and -to the same day: %q, want 3 models added", rows)
	}
	// -list tells runs seconds apart.
	if out, _, err = runDiff(t, "-history", path, "-list"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026-12-02 00:07:26", "2026-12-02 00:07:27", "2026-12-02 00:07:29"} {
		if !strings.Contains(out, want) {
			t.Errorf("-list lacks %s:\n%s", want, out)
		}
	}

	// With a run the day before, -from today is the tenant as the day
	// began: that run.
	path2 := filepath.Join(t.TempDir(), "registry.db")
	record(t, path2, "demo", append([]time.Time{yesterday}, at...), sameWorkspaces, models)
	if out, _, err = runDiff(t, "-history", path2, "-from", "2026-12-02"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "run 1 (2026-12-01 23:00:00) -> run 5 (2026-12-02 00:07:29): 4 changes") {
		t.Errorf("-from today after a run yesterday:\n%s", out)
	}
}

func TestDiffOutputs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.db")
	day := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	ws := func(i int) []history.Workspace {
		return []history.Workspace{{ID: "w1", Name: "Finance", SizeAllowance: 1000, CurrentSize: int64(500 + 100*min(i, 1))}}
	}
	ms := func(i int) []history.Model {
		m := []history.Model{{ID: "M1", Name: "Plan", WorkspaceID: "w1", MemoryUsage: 100}}
		if i >= 1 {
			m = append(m, history.Model{ID: "M2", Name: "Plan PROD", WorkspaceID: "w1", MemoryUsage: 2048})
		}
		return m
	}
	record(t, path, "demo", []time.Time{day, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)}, ws, ms)

	// No changes: an empty JSON list, not null.
	out, _, err := runDiff(t, "-history", path, "-format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("json of no changes = %q, want []", out)
	}
	out, _, _ = runDiff(t, "-history", path)
	if !strings.Contains(out, ": no changes\n") {
		t.Errorf("table of no changes = %q", out)
	}

	// An added model carries its size; a workspace's change is workspace-*.
	if out, _, err = runDiff(t, "-history", path, "-from", "1", "-to", "2", "-format", "csv"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0]+" "+r[1]+" "+r[6])
	}
	if want := []string{"workspace-used w1 100", "added M2 2048"}; !slices.Equal(got, want) {
		t.Errorf("csv kind, id, bytes = %q, want %q", got, want)
	}
	if out, _, err = runDiff(t, "-history", path, "-from", "1", "-to", "2"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2.0 KiB") || !strings.Contains(out, "workspace-used") {
		t.Errorf("table of an added model and a grown workspace:\n%s", out)
	}
}

func TestDiffNamesTenantsInWords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.db")
	day := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	acme := "customer=8a81b09d5e8c6f27015ece3402487d33 user=a.user@acme.com"
	ms := func(int) []history.Model { return nil }
	for _, key := range []string{acme, "demo tenant (built-in emulator)"} {
		record(t, path, key, []time.Time{day, day.AddDate(0, 0, 1)}, sameWorkspaces, ms)
	}
	_, _, err := runDiff(t, "-history", path)
	if err == nil || !strings.Contains(err.Error(), `"Anaplan customer 8a81b09d… as a.user@acme.com" (-tenant "`+acme+`")`) ||
		!strings.Contains(err.Error(), `"demo tenant (built-in emulator)"`) {
		t.Errorf("err = %v, want the tenants in words", err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-history", path, "-tenant", "anaplan customer 8a81b09d… as a.user@acme.com"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "Anaplan customer 8a81b09d… as a.user@acme.com: run 1 ") {
		t.Errorf("-tenant by label: %q", out.String())
	}
	if _, _, err := runDiff(t, "-history", path, "-tenant", acme, "-list"); err != nil {
		t.Errorf("-tenant by key: %v", err)
	}
}

func TestDiffHelpListsTheKinds(t *testing.T) {
	_, stderr, err := runDiff(t, "-h")
	if err == nil {
		t.Fatal("-h returned no error (flag.ErrHelp)")
	}
	for _, want := range []string{"workspace-allowance (size allowance)", "workspace-used (current size)", "added, removed, renamed", "-from YYYY-MM-DD is the tenant as that day began"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("-h lacks %q:\n%s", want, stderr)
		}
	}
}
