package history_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

const tenant = "api.example.test admin@example.test"

var day0 = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)

func open(t *testing.T) (*history.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry.db")
	db, err := history.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func tenantV1() ([]history.Workspace, []history.Model) {
	ws := []history.Workspace{
		{ID: "w1", Name: "Finance", Active: true, SizeAllowance: 10 << 30, CurrentSize: 4 << 30},
		{ID: "w2", Name: "Sales", Active: true, SizeAllowance: 10 << 30, CurrentSize: 1 << 30},
	}
	ms := []history.Model{
		{ID: "M1", Name: "FP&A DEV", WorkspaceID: "w1", ActiveState: "UNLOCKED", Environment: "dev", EnvironmentRule: "name: DEV", Family: "FP&A", MemoryUsage: 100, LastSavedSerial: "7"},
		{ID: "M2", Name: "FP&A PROD", WorkspaceID: "w1", ActiveState: "PRODUCTION", Environment: "prod", Family: "FP&A", ALMStatus: "in-sync", ALM: `{"latest":"R1"}`, MemoryUsage: 200, LastSavedSerial: "9"},
		{ID: "M3", Name: "Sales Plan", WorkspaceID: "w2", ActiveState: "UNLOCKED", Environment: "unknown", Family: "Sales Plan", MemoryUsage: 300},
	}
	return ws, ms
}

func record(t *testing.T, db *history.DB, at time.Time, ws []history.Workspace, ms []history.Model) history.Run {
	t.Helper()
	r, err := db.Record(context.Background(), tenant, at, ws, ms)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSnapshotsRoundTrip(t *testing.T) {
	db, _ := open(t)
	ws1, ms1 := tenantV1()
	r1 := record(t, db, day0, ws1, ms1)

	ws2, ms2 := tenantV1()
	ws2[0].CurrentSize = 5 << 30
	ms2[0].MemoryUsage, ms2[0].LastSavedSerial = 150, "8"
	ms2[1].ALMStatus = "behind"
	ms2 = append(ms2[:2], history.Model{ID: "M4", Name: "Copy of Sales Plan", WorkspaceID: "w2", ActiveState: "UNLOCKED", Environment: "sandbox", Family: "Sales Plan", MemoryUsage: 50})
	r2 := record(t, db, day0.Add(24*time.Hour), ws2, ms2)

	if r2.ID <= r1.ID {
		t.Fatalf("run ids %d then %d: not increasing", r1.ID, r2.ID)
	}
	for _, c := range []struct {
		run history.Run
		ws  []history.Workspace
		ms  []history.Model
	}{{r1, ws1, ms1}, {r2, ws2, ms2}} {
		s, err := db.Snapshot(context.Background(), c.run)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s.Workspaces, c.ws) {
			t.Errorf("run %d workspaces:\n got %+v\nwant %+v", c.run.ID, s.Workspaces, c.ws)
		}
		if !reflect.DeepEqual(s.Models, c.ms) {
			t.Errorf("run %d models:\n got %+v\nwant %+v", c.run.ID, s.Models, c.ms)
		}
	}
	runs, err := db.Runs(context.Background(), tenant)
	if err != nil || len(runs) != 2 || !runs[1].TakenAt.Equal(day0.Add(24*time.Hour)) || runs[1].Models != 3 {
		t.Fatalf("Runs = %+v, %v", runs, err)
	}
}

// An unchanged tenant adds a run and nothing else: changes are stored, not
// copies.
func TestUnchangedRunStoresNoRows(t *testing.T) {
	db, path := open(t)
	ws, ms := tenantV1()
	record(t, db, day0, ws, ms)
	before := rowCounts(t, path)
	record(t, db, day0.Add(time.Hour), ws, ms)
	after := rowCounts(t, path)
	want := before
	want["runs"]++
	if !reflect.DeepEqual(after, want) {
		t.Fatalf("rows after an unchanged run = %v, want %v", after, want)
	}
	// A size change adds one activity row and closes one, nothing else.
	ms[2].MemoryUsage++
	record(t, db, day0.Add(2*time.Hour), ws, ms)
	again := rowCounts(t, path)
	want["runs"]++
	want["model_activity"]++
	if !reflect.DeepEqual(again, want) {
		t.Fatalf("rows after one size change = %v, want %v", again, want)
	}
}

func rowCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := history.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, table := range []string{"runs", "workspace_versions", "model_versions", "model_activity"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// A run that fails records nothing, not even its runs row.
func TestFailedRunAddsNothing(t *testing.T) {
	db, path := open(t)
	ws, ms := tenantV1()
	record(t, db, day0, ws, ms)
	before := rowCounts(t, path)

	dup := append(ms, ms[0])
	if _, err := db.Record(context.Background(), tenant, day0.Add(time.Hour), ws, dup); err == nil || !strings.Contains(err.Error(), "M1 appears twice") {
		t.Fatalf("duplicate model: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Record(ctx, tenant, day0.Add(time.Hour), ws, ms); err == nil {
		t.Fatal("a cancelled run was recorded")
	}
	if _, err := db.Record(context.Background(), tenant, day0.Add(-time.Hour), ws, ms); err == nil || !strings.Contains(err.Error(), "clock") {
		t.Fatalf("a run older than the last: err = %v", err)
	}
	if got := rowCounts(t, path); !reflect.DeepEqual(got, before) {
		t.Fatalf("rows after failed runs = %v, want %v", got, before)
	}

	// A staged run is invisible until committed, and gone when rolled back.
	ms[0].MemoryUsage++
	staged, err := db.Stage(context.Background(), tenant, day0.Add(time.Hour), ws, ms)
	if err != nil {
		t.Fatal(err)
	}
	if got := rowCounts(t, path); !reflect.DeepEqual(got, before) {
		t.Fatalf("rows seen while a run is staged = %v, want %v", got, before)
	}
	staged.Rollback()
	if got := rowCounts(t, path); !reflect.DeepEqual(got, before) {
		t.Fatalf("rows after a staged run rolled back = %v, want %v", got, before)
	}
	staged, err = db.Stage(context.Background(), tenant, day0.Add(time.Hour), ws, ms)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := staged.Commit()
	if err != nil || len(rec.Changes) != 1 || rec.Changes[0].Kind != history.ModelGrown {
		t.Fatalf("staged run committed: %+v, %v; want M1 grown", rec, err)
	}
	want := before
	want["runs"]++
	want["model_activity"]++
	if got := rowCounts(t, path); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows after a staged run committed = %v, want %v", got, want)
	}
}

// Two processes recording at once wait for each other; every run lands
// whole.
func TestConcurrentRuns(t *testing.T) {
	_, path := open(t)
	const writers, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := history.Open(context.Background(), path)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			for i := range each {
				ws, ms := tenantV1()
				ms[0].MemoryUsage = int64(w*100 + i)
				if _, err := db.Record(context.Background(), fmt.Sprintf("tenant-%d", w), day0.Add(time.Duration(i)*time.Hour), ws, ms); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	db, _ := history.Open(context.Background(), path)
	defer db.Close()
	for w := range writers {
		snaps, err := db.Latest(context.Background(), fmt.Sprintf("tenant-%d", w), each)
		if err != nil || len(snaps) != each {
			t.Fatalf("tenant-%d: %d snapshots, %v", w, len(snaps), err)
		}
		for i, s := range snaps {
			if got := s.Models[0].MemoryUsage; got != int64(w*100+i) {
				t.Errorf("tenant-%d run %d: M1 size %d, want %d", w, i, got, w*100+i)
			}
		}
	}
}

func TestOpenRefusesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not sqlite ", 200)), 0o600)
	if _, err := history.Open(context.Background(), junk); err == nil || !strings.Contains(err.Error(), "not a SQLite database") {
		t.Errorf("junk file: err = %v", err)
	}
	if _, err := history.Open(context.Background(), filepath.Join(dir, "missing", "x.db")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: err = %v", err)
	}
	newer := filepath.Join(dir, "newer.db")
	raw, err := history.OpenRaw(newer)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec("PRAGMA user_version = 99")
	raw.Close()
	if _, err := history.Open(context.Background(), newer); err == nil || !strings.Contains(err.Error(), "newer version") {
		t.Errorf("newer schema: err = %v", err)
	}
}

func TestRunLookups(t *testing.T) {
	db, _ := open(t)
	ws, ms := tenantV1()
	r1 := record(t, db, day0, ws, ms)
	r2 := record(t, db, day0.Add(48*time.Hour), ws, ms)
	if got, err := db.RunAt(context.Background(), tenant, day0.Add(24*time.Hour)); err != nil || got.ID != r1.ID {
		t.Errorf("RunAt(day 1) = %+v, %v; want run %d", got, err, r1.ID)
	}
	if got, err := db.Run(context.Background(), tenant, r2.ID); err != nil || !got.TakenAt.Equal(r2.TakenAt) {
		t.Errorf("Run(%d) = %+v, %v", r2.ID, got, err)
	}
	if _, err := db.Run(context.Background(), "other tenant", r2.ID); !errors.Is(err, history.ErrNoRun) {
		t.Errorf("another tenant's run: err = %v", err)
	}
	if _, err := db.RunAt(context.Background(), tenant, day0.Add(-time.Hour)); !errors.Is(err, history.ErrNoRun) {
		t.Errorf("before the first run: err = %v", err)
	}
}
