package history_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// churnTenant is a generated tenant that changes day by day the way a busy
// one does: a tenth of the models saved (and resized) every day, a few
// created, archived, renamed, moved.
type churnTenant struct {
	rng        *rand.Rand
	workspaces []history.Workspace
	models     []history.Model
	next       int
}

func newChurnTenant(workspaces, models int) *churnTenant {
	t := &churnTenant{rng: rand.New(rand.NewPCG(1, 2))}
	for i := range workspaces {
		t.workspaces = append(t.workspaces, history.Workspace{
			ID: fmt.Sprintf("8a868cd9%024x", i), Name: fmt.Sprintf("Workspace %03d", i), Active: true,
			SizeAllowance: 100 << 30, CurrentSize: int64(t.rng.IntN(50)) << 30,
		})
	}
	for range models {
		t.add()
	}
	return t
}

var envs = []string{"dev", "test", "uat", "prod", "sandbox"}

func (t *churnTenant) add() {
	i := t.next
	t.next++
	env := envs[i%len(envs)]
	t.models = append(t.models, history.Model{
		ID: fmt.Sprintf("%032X", i), Name: fmt.Sprintf("Application %05d %s", i/len(envs), env),
		WorkspaceID: t.workspaces[i%len(t.workspaces)].ID, ActiveState: "UNLOCKED",
		CreatedAt: "2024-01-01T00:00:00Z", Environment: env, EnvironmentRule: "name suffix " + env,
		Family: fmt.Sprintf("Application %05d", i/len(envs)), ALMStatus: "in-sync",
		ALM:         `{"latestRevision":"` + fmt.Sprintf("%032X", i/len(envs)) + `"}`,
		MemoryUsage: int64(t.rng.IntN(1 << 30)), LastModified: "2026-01-01T00:00:00Z", LastSavedSerial: "1000",
	})
}

// day moves the tenant one day on.
func (t *churnTenant) day(d int) {
	stamp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format(time.RFC3339)
	for i := range t.models {
		m := &t.models[i]
		switch r := t.rng.IntN(1000); {
		case r < 100: // saved: size, date and serial move
			m.MemoryUsage += int64(t.rng.IntN(10 << 20))
			m.LastModified, m.LastSavedSerial = stamp, strconv.Itoa(1000+d)
		case r < 101:
			m.Name += " (renamed)"
		case r < 102:
			m.ActiveState, m.Environment = "ARCHIVED", "archive"
		case r < 103:
			m.WorkspaceID = t.workspaces[t.rng.IntN(len(t.workspaces))].ID
		case r < 104:
			m.ALMStatus = "behind"
		}
	}
	for range 5 {
		t.add()
	}
	for i := range t.workspaces {
		t.workspaces[i].CurrentSize += int64(t.rng.IntN(100 << 20))
	}
}

// BenchmarkHistoryYear records 365 daily runs of a 20,000-model tenant and
// reports the database's size: go test -bench HistoryYear -benchtime 1x.
func BenchmarkHistoryYear(b *testing.B) {
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "registry.db")
		db, err := history.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		t := newChurnTenant(500, 20000)
		start := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
		for d := range 365 {
			if d > 0 {
				t.day(d)
			}
			if _, err := db.Record(context.Background(), "bench", start.AddDate(0, 0, d), t.workspaces, t.models); err != nil {
				b.Fatal(err)
			}
		}
		db.Close()
		size := int64(0)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if fi, err := os.Stat(path + suffix); err == nil {
				size += fi.Size()
			}
		}
		b.ReportMetric(float64(size)/1e6, "MB/year")
		b.ReportMetric(float64(len(t.models)), "models")
	}
}

// BenchmarkRecord20k is one daily run of a 20,000-model tenant on a
// database that already holds the previous day.
func BenchmarkRecord20k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "registry.db")
	db, err := history.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	t := newChurnTenant(500, 20000)
	at := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	if _, err := db.Record(context.Background(), "bench", at, t.workspaces, t.models); err != nil {
		b.Fatal(err)
	}
	d := 0
	for b.Loop() {
		d++
		t.day(d)
		if _, err := db.Record(context.Background(), "bench", at.AddDate(0, 0, d), t.workspaces, t.models); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiff20k reads two snapshots of a 20,000-model tenant a day
// apart and diffs them, as scripts/registry-diff does.
func BenchmarkDiff20k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "registry.db")
	db, err := history.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	t := newChurnTenant(500, 20000)
	at := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	var runs []history.Run
	for d := range 2 {
		if d > 0 {
			t.day(d)
		}
		r, err := db.Record(context.Background(), "bench", at.AddDate(0, 0, d), t.workspaces, t.models)
		if err != nil {
			b.Fatal(err)
		}
		runs = append(runs, r)
	}
	var changes int
	for b.Loop() {
		from, err := db.Snapshot(context.Background(), runs[0])
		if err != nil {
			b.Fatal(err)
		}
		to, err := db.Snapshot(context.Background(), runs[1])
		if err != nil {
			b.Fatal(err)
		}
		changes = len(history.Diff(from, to))
	}
	b.ReportMetric(float64(changes), "changes")
}
