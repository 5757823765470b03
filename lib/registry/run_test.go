package registry_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// recordDays records the demo tenant at days 0..n-1 (seed 1), each run
// organised with ALM from the history's last run and dated by the tenant's
// clock, and returns the database and how many models each run asked ALM
// about.
func recordDays(t *testing.T, n int) (*history.DB, string, []registry.LineageStats) {
	t.Helper()
	ctx := context.Background()
	db, err := history.Open(ctx, filepath.Join(t.TempDir(), "registry.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const tenant = "emulator demo.admin@example.com"
	var stats []registry.LineageStats
	for day := range n {
		tenantAt, _ := emulator.Demo().Advance(day, 1)
		c := serve(t, tenantAt)
		reg, err := registry.Read(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		at := emulator.AdvanceEpoch.AddDate(0, 0, day)
		lineage, s, err := reg.OrganiseWithALM(ctx, c, db, tenant, registry.LineageOptions{}, registry.OrganiseOptions{Now: at})
		if err != nil {
			t.Fatal(err)
		}
		stats = append(stats, s)
		rec, err := registry.RecordRun(ctx, db, tenant, at, reg, lineage)
		if err != nil {
			t.Fatal(err)
		}
		if (rec.Previous == nil) != (day == 0) || !rec.Run.TakenAt.Equal(at) {
			t.Fatalf("day %d recorded as %+v after %v", day, rec.Run, rec.Previous)
		}
	}
	return db, tenant, stats
}

func TestRecordRunKeepsWhatALMSaid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, tenant, stats := recordDays(t, 3)
	// The second and third runs ask ALM only about the models saved since.
	if stats[0].Cached != 0 || stats[1].Cached == 0 || stats[1].Asked >= stats[0].Asked {
		t.Errorf("ALM asked: %+v; want later runs to reuse the last run's lineage", stats)
	}
	known, err := registry.KnownLineage(ctx, db, tenant)
	if err != nil || len(known) == 0 {
		t.Fatalf("KnownLineage: %d models, %v", len(known), err)
	}
	// It is what the last snapshot says, read from the ALM column alone.
	last, err := db.Latest(ctx, tenant, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := registry.LineageFromHistory(last[0]); !reflect.DeepEqual(known, want) {
		t.Errorf("KnownLineage has %d models, the last snapshot's lineage %d", len(known), len(want))
	}
	if l, err := registry.KnownLineage(ctx, nil, tenant); l != nil || err != nil {
		t.Errorf("KnownLineage without a database: %v, %v", l, err)
	}
	if l, err := registry.KnownLineage(ctx, db, "another tenant"); l != nil || err != nil {
		t.Errorf("KnownLineage of a tenant without runs: %v, %v", l, err)
	}
}

func TestHistoryViews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, tenant, _ := recordDays(t, 3)
	runs, err := db.Runs(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	rt := registry.RunsTable(runs)
	if len(rt.Rows) != 3 || !slices.Equal(rt.Rows[0], []string{"1", "2026-11-02 09:00:00", "7", "39"}) ||
		!slices.Equal(rt.Rows[1], []string{"2", "2026-11-03 09:00:00", "7", "40"}) {
		t.Errorf("RunsTable: %v", rt.Rows)
	}

	snaps, err := db.Latest(ctx, tenant, 3)
	if err != nil {
		t.Fatal(err)
	}
	changes := history.Diff(snaps[0], snaps[2])
	ct := registry.ChangesTable(changes, snaps[2])
	var kinds []string
	for _, row := range ct.Rows {
		kinds = append(kinds, row[0])
		if row[0] == "added" && (row[1] != "Tenant Audit Reporting - DEV 2026-11-03" || row[2] != "Admin Tools") {
			t.Errorf("the added model's row: %v", row)
		}
		if row[0] == "state" && row[3] != "UNLOCKED -> ARCHIVED" {
			t.Errorf("the archived model's row: %v", row)
		}
	}
	for _, k := range []string{"added", "state", "grown", "workspace-used"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("ChangesTable has no %q row: %v", k, kinds)
		}
	}

	forecast, err := db.Forecast(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	capacity := registry.CapacityTable(forecast)
	if len(capacity.Rows) != 7 || capacity.Rows[0][0] != "Sandbox – Model Builders" || capacity.Rows[0][5] != "full now" ||
		capacity.Rows[1][0] != "Supply Chain Planning" || !strings.HasPrefix(capacity.Rows[1][5], "2026-") {
		t.Errorf("CapacityTable: want the full workspace, then the one that fills first:\n%v", capacity.Rows)
	}

	svg, err := registry.UsageTrendChartSVG(snaps)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "Capacity used over the runs", "Supply Chain Planning", "2 Nov", "4 Nov", ">150<", "size allowance (100%)"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the trend chart has no %q", want)
		}
	}
	if _, err := registry.UsageTrendChartSVG(snaps[:1]); err == nil || !strings.Contains(err.Error(), "at least two snapshots") {
		t.Errorf("a trend of one snapshot: %v", err)
	}
}
