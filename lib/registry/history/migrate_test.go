package history_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// v1Database is testdata/registry-v1.sql loaded into a new file: what
// schema version 1 wrote.
func v1Database(t *testing.T) string {
	t.Helper()
	dump, err := os.ReadFile(filepath.Join("testdata", "registry-v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "registry.db")
	raw, err := history.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(string(dump)); err != nil {
		t.Fatal(err)
	}
	return path
}

// A database of schema 1 opens migrated: the runs read back as they were
// recorded, and the digests filled in by the migration match the ones a
// new run computes, so an unchanged run stores no rows.
func TestOpenMigratesVersion1(t *testing.T) {
	path := v1Database(t)
	before := rowCounts(t, path)
	ctx := context.Background()
	db, err := history.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := userVersion(t, path); got != 2 {
		t.Fatalf("user_version after Open = %d, want 2", got)
	}
	if got := rowCounts(t, path); !reflect.DeepEqual(got, before) {
		t.Fatalf("rows after the migration = %v, want %v", got, before)
	}

	runs, err := db.Runs(ctx, tenant)
	if err != nil || len(runs) != 2 {
		t.Fatalf("Runs = %+v, %v; want the 2 runs of the dump", runs, err)
	}
	first, err := db.Snapshot(ctx, runs[0])
	if err != nil {
		t.Fatal(err)
	}
	ws, ms := tenantV1()
	ms[2].CreatedAt, ms[2].LastModified = "2025-03-04T05:06:07Z", "2026-10-30T12:00:00Z"
	if !reflect.DeepEqual(first.Workspaces, ws) || !reflect.DeepEqual(first.Models, ms) {
		t.Fatalf("run 1 after the migration:\n got %+v\n     %+v\nwant %+v\n     %+v", first.Workspaces, first.Models, ws, ms)
	}
	last, err := db.Snapshot(ctx, runs[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := last.Models[0].MemoryUsage; got != 150 || last.Models[2].ID != "M4" {
		t.Fatalf("run 2 after the migration: %+v", last.Models)
	}

	// The same tenant again: one runs row, nothing else.
	counts := rowCounts(t, path)
	if _, err := db.Record(ctx, tenant, runs[1].TakenAt.Add(time.Hour), last.Workspaces, last.Models); err != nil {
		t.Fatal(err)
	}
	counts["runs"]++
	if got := rowCounts(t, path); !reflect.DeepEqual(got, counts) {
		t.Fatalf("rows after an unchanged run on the migrated database = %v, want %v", got, counts)
	}
	// One rename: one identity row closed and one opened, and the diff says so.
	last.Models[1].Name = "FP&A PRODUCTION"
	rec, err := db.RecordChanges(ctx, tenant, runs[1].TakenAt.Add(2*time.Hour), last.Workspaces, last.Models)
	if err != nil {
		t.Fatal(err)
	}
	counts["runs"]++
	counts["model_versions"]++
	if got := rowCounts(t, path); !reflect.DeepEqual(got, counts) {
		t.Fatalf("rows after one rename = %v, want %v", got, counts)
	}
	want := []history.Change{{Kind: history.ModelRenamed, ID: "M2", Name: "FP&A PRODUCTION", WorkspaceID: "w1", From: "FP&A PROD", To: "FP&A PRODUCTION"}}
	if !reflect.DeepEqual(rec.Changes, want) {
		t.Fatalf("changes after one rename = %+v, want %+v", rec.Changes, want)
	}
}

// Two runs opening the same schema-1 database at once migrate it once.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	path := v1Database(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := history.Open(context.Background(), path)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := userVersion(t, path); got != 2 {
		t.Fatalf("user_version = %d, want 2", got)
	}
}

// Record finds what changed from the ids and digests alone: SQLite reads
// them from the indexes of current rows without touching the tables.
func TestDigestsAreReadFromTheIndexAlone(t *testing.T) {
	_, path := open(t)
	raw, err := history.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range history.CurrentDigestQueries() {
		rows, err := raw.Query("EXPLAIN QUERY PLAN "+q, 1)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "COVERING INDEX") || !strings.Contains(p, "_current") {
			t.Errorf("%s\nplan: %s; want a covering index of current rows", q, p)
		}
	}
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	raw, err := history.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
