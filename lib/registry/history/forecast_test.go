package history_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

const gib = 1 << 30

// capacityAt records one workspace of 10 GiB with one model at each of
// the times and sizes (GiB), and returns the forecast and the fastest
// growing models.
func capacityAt(t *testing.T, at []time.Time, used []int64) (history.Capacity, []history.ModelGrowth) {
	t.Helper()
	db, _ := open(t)
	for i := range at {
		ws := []history.Workspace{{ID: "w1", Name: "Finance", SizeAllowance: 10 * gib, CurrentSize: used[i] * gib}}
		ms := []history.Model{{ID: "A", WorkspaceID: "w1", MemoryUsage: used[i] * gib}}
		record(t, db, at[i], ws, ms)
	}
	caps, err := db.Forecast(context.Background(), tenant)
	if err != nil || len(caps) != 1 {
		t.Fatalf("forecast %+v, %v", caps, err)
	}
	fast, err := db.FastestGrowing(context.Background(), tenant, 5)
	if err != nil {
		t.Fatal(err)
	}
	return caps[0], fast
}

// A registry run and a -report run five minutes later, on a real tenant
// that took a gibibyte of data in between, are not a day's growth in five
// minutes: there is no trend yet, so no growth figure and no date.
func TestForecastNeedsRunsOnTwoDays(t *testing.T) {
	c, fast := capacityAt(t, []time.Time{day0, day0.Add(5 * time.Minute)}, []int64{4, 5})
	if c.Trend || c.GrowthPerDay != 0 || !c.Full.IsZero() || c.Runs != 1 {
		t.Errorf("two runs five minutes apart: %+v, want no trend, no growth, no date, one day fitted", c)
	}
	if len(fast) != 0 {
		t.Errorf("FastestGrowing from runs five minutes apart: %+v, want none", fast)
	}
	// Full already is a fact, not a forecast.
	c, _ = capacityAt(t, []time.Time{day0, day0.Add(5 * time.Minute)}, []int64{9, 11})
	if c.Trend || c.Free > 0 || !c.Full.Equal(day0.Add(5*time.Minute)) {
		t.Errorf("a workspace over its allowance: %+v, want full at the latest run", c)
	}
}

// Of several runs on one day the last counts: a morning's growth between
// two runs minutes apart does not steepen the line.
func TestForecastFitsTheLastRunOfEachDay(t *testing.T) {
	at := []time.Time{day0, day0.Add(5 * time.Minute), day0.Add(24 * time.Hour), day0.Add(24*time.Hour + time.Minute)}
	c, fast := capacityAt(t, at, []int64{3, 4, 5, 5})
	if !c.Trend || c.Runs != 2 || math.Abs(c.GrowthPerDay-gib) > 1 {
		t.Errorf("runs on two days: %+v, want 1 GiB a day over 2 runs", c)
	}
	// 5 of 10 GiB used at 1 GiB a day: full five days after the latest run.
	if want := at[3].Add(5 * 24 * time.Hour); c.Full.Sub(want).Abs() > time.Second {
		t.Errorf("full at %v, want %v", c.Full, want)
	}
	// The model grew 2 GiB since it was first seen, a day earlier.
	if len(fast) != 1 || math.Abs(fast[0].GrowthPerDay-2*gib) > 1 {
		t.Errorf("FastestGrowing = %+v, want A at 2 GiB a day", fast)
	}
}

// Runs either side of midnight are a day apart: the pace they give is the
// growth of ten minutes per day, understated, never multiplied by 144.
func TestForecastAcrossMidnightUnderstatesNeverBlowsUp(t *testing.T) {
	night := time.Date(2026, 11, 1, 23, 55, 0, 0, time.UTC)
	c, _ := capacityAt(t, []time.Time{night, night.Add(10 * time.Minute)}, []int64{4, 5})
	if !c.Trend || math.Abs(c.GrowthPerDay-gib) > 1 {
		t.Errorf("runs at 23:55 and 00:05: %+v, want 1 GiB a day", c)
	}
}

// The demo tenant, recorded a run a day as scripts/registry does (dated
// by its own day), has one answer to "what fills first", as the README
// promises: in every window of three to five daily runs of its first sixty
// days, the first workspace with room that the forecast sees filling is
// Supply Chain Planning, until it is full; then it is "full now" (first of
// all).
func TestDemoForecastNamesSupplyChainPlanning(t *testing.T) {
	const days = 60
	tenants := make([]*emulator.Tenant, days)
	tenants[0] = emulator.Demo()
	for d := 1; d < days; d++ {
		tenants[d], _ = tenants[d-1].Advance(1, 1)
	}
	ctx := context.Background()
	db, _ := open(t) // one history, a tenant name per window
	for window := 3; window <= 5; window++ {
		demoForecastWindows(t, ctx, db, tenants, window)
	}
}

func demoForecastWindows(t *testing.T, ctx context.Context, db *history.DB, tenants []*emulator.Tenant, window int) {
	t.Helper()
	days := len(tenants)
	filled := false
	for end := window - 1; end < days; end++ {
		name := fmt.Sprintf("%d runs to day %d", window, end)
		for d := end - window + 1; d <= end; d++ {
			var ws []history.Workspace
			for _, w := range tenants[d].Workspaces {
				ws = append(ws, history.Workspace{ID: w.ID, Name: w.Name, Active: w.Active, SizeAllowance: w.SizeAllowance, CurrentSize: w.CurrentSize})
			}
			if _, err := db.Record(ctx, name, emulator.AdvanceEpoch.AddDate(0, 0, d), ws, nil); err != nil {
				t.Fatal(err)
			}
		}
		caps, err := db.Forecast(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		var first, supply history.Capacity
		for _, c := range caps {
			if c.Free > 0 && !c.Full.IsZero() && first.Name == "" {
				first = c
			}
			if c.Name == "Supply Chain Planning" {
				supply = c
			}
		}
		switch {
		case supply.Free <= 0:
			filled = true
			if caps[0].Name != "Supply Chain Planning" && caps[0].Free > 0 {
				t.Errorf("days %d-%d: Supply Chain Planning is full but the forecast starts with %+v", end-window+1, end, caps[0])
			}
		case filled:
			t.Errorf("days %d-%d: Supply Chain Planning has room again: %+v", end-window+1, end, supply)
		case first.Name != "Supply Chain Planning":
			t.Errorf("days %d-%d: the first to fill is %q (%s), want Supply Chain Planning (%s)", end-window+1, end,
				first.Name, first.Full.Format(time.DateOnly), supply.Full.Format(time.DateOnly))
		}
	}
	if !filled {
		t.Errorf("Supply Chain Planning never filled in %d days", days)
	}
}
