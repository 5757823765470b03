package history_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

func TestDiffNamesEveryKindOfChange(t *testing.T) {
	db, _ := open(t)
	ws1, ms1 := tenantV1()
	r1 := record(t, db, day0, ws1, ms1)

	ws2, ms2 := tenantV1()
	ws2[0].SizeAllowance = 20 << 30 // allowance raised
	ws2[1].CurrentSize = 2 << 30    // used grew
	ws2 = append(ws2, history.Workspace{ID: "w3", Name: "HR"})
	ms2[0].Name = "FP&A Development" // renamed
	ms2[0].MemoryUsage = 150         // grown 50%
	ms2[1].ALMStatus = "behind"      // fell behind
	ms2[2].WorkspaceID = "w3"        // moved
	ms2[2].ActiveState = "ARCHIVED"  // archived
	ms2[2].Environment = "archive"   // so its environment changed
	ms2[2].MemoryUsage = 30          // shrunk 90%
	ms2 = append(ms2, history.Model{ID: "M9", Name: "New DEV", WorkspaceID: "w3"})
	r2 := record(t, db, day0.Add(24*time.Hour), ws2, ms2)

	from, err := db.Snapshot(context.Background(), r1)
	if err != nil {
		t.Fatal(err)
	}
	to, err := db.Snapshot(context.Background(), r2)
	if err != nil {
		t.Fatal(err)
	}
	got := history.Diff(from, to)
	want := []history.Change{
		{Kind: history.AllowanceChanged, ID: "w1", Name: "Finance", Bytes: 10 << 30, Percent: 100},
		{Kind: history.UsageChanged, ID: "w2", Name: "Sales", Bytes: 1 << 30, Percent: 100},
		{Kind: history.WorkspaceAdded, ID: "w3", Name: "HR"},
		{Kind: history.ModelRenamed, ID: "M1", Name: "FP&A Development", WorkspaceID: "w1", From: "FP&A DEV", To: "FP&A Development"},
		{Kind: history.ModelGrown, ID: "M1", Name: "FP&A Development", WorkspaceID: "w1", Bytes: 50, Percent: 50},
		{Kind: history.ALMChanged, ID: "M2", Name: "FP&A PROD", WorkspaceID: "w1", From: "in-sync", To: "behind"},
		{Kind: history.ModelMoved, ID: "M3", Name: "Sales Plan", WorkspaceID: "w3", From: "w2", To: "w3"},
		{Kind: history.StateChanged, ID: "M3", Name: "Sales Plan", WorkspaceID: "w3", From: "UNLOCKED", To: "ARCHIVED"},
		{Kind: history.EnvironmentMoved, ID: "M3", Name: "Sales Plan", WorkspaceID: "w3", From: "unknown", To: "archive"},
		{Kind: history.ModelShrunk, ID: "M3", Name: "Sales Plan", WorkspaceID: "w3", Bytes: -270, Percent: -90},
		{Kind: history.ModelAdded, ID: "M9", Name: "New DEV", WorkspaceID: "w3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff:\n got %+v\nwant %+v", got, want)
	}
	if d := history.Diff(to, to); len(d) != 0 {
		t.Errorf("Diff of a snapshot with itself = %+v", d)
	}
	back := history.Diff(to, from)
	var removed []string
	for _, c := range back {
		if c.Kind == history.ModelRemoved || c.Kind == history.WorkspaceRemoved {
			removed = append(removed, c.ID)
		}
	}
	if !reflect.DeepEqual(removed, []string{"w3", "M9"}) {
		t.Errorf("removed going back = %v, want [w3 M9]", removed)
	}
}

func TestForecastNamesTheWorkspaceThatFillsFirst(t *testing.T) {
	db, _ := open(t)
	const gib = 1 << 30
	// Finance grows 1 GiB a day from 4 of 10 GiB: full on day 6. Sales
	// grows 0.5 GiB a day from 1 of 10 GiB: full on day 18. HR shrinks.
	for d := range 5 {
		ws := []history.Workspace{
			{ID: "w1", Name: "Finance", SizeAllowance: 10 * gib, CurrentSize: int64(4+d) * gib},
			{ID: "w2", Name: "Sales", SizeAllowance: 10 * gib, CurrentSize: gib + int64(d)*gib/2},
			{ID: "w3", Name: "HR", SizeAllowance: 10 * gib, CurrentSize: int64(9-d) * gib},
		}
		ms := []history.Model{
			{ID: "A", WorkspaceID: "w1", MemoryUsage: int64(d) * 1000},
			{ID: "B", WorkspaceID: "w2", MemoryUsage: int64(d) * 10},
			{ID: "C", WorkspaceID: "w3", MemoryUsage: 5},
		}
		record(t, db, day0.Add(time.Duration(d)*24*time.Hour), ws, ms)
	}
	caps, err := db.Forecast(context.Background(), tenant)
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) != 3 || caps[0].Name != "Finance" || caps[1].Name != "Sales" || caps[2].Name != "HR" {
		t.Fatalf("forecast order = %+v", caps)
	}
	if g := caps[0].GrowthPerDay; math.Abs(g-gib) > 1 {
		t.Errorf("Finance grows %v bytes a day, want %d", g, gib)
	}
	if want := day0.Add(6 * 24 * time.Hour); !caps[0].Full.Equal(want) {
		t.Errorf("Finance full at %v, want %v", caps[0].Full, want)
	}
	if want := day0.Add(18 * 24 * time.Hour); caps[1].Full.Sub(want).Abs() > time.Minute {
		t.Errorf("Sales full at %v, want %v", caps[1].Full, want)
	}
	if !caps[2].Full.IsZero() || caps[2].GrowthPerDay >= 0 {
		t.Errorf("HR shrinks but forecast says %+v", caps[2])
	}
	if caps[0].UsedPercent != 80 || caps[0].Free != 2*gib || caps[0].Runs != 5 {
		t.Errorf("Finance now = %+v", caps[0])
	}

	fast, err := db.FastestGrowing(context.Background(), tenant, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(fast) != 2 || fast[0].ModelID != "A" || fast[0].GrowthPerDay != 1000 || fast[1].ModelID != "B" {
		t.Errorf("FastestGrowing = %+v, want A (1000/day) then B; C did not grow", fast)
	}
}

// RecordChanges says what Diff of the two snapshots would, without
// reading them back.
func TestRecordChangesIsTheDiff(t *testing.T) {
	db, _ := open(t)
	ws, ms := tenantV1()
	first, err := db.RecordChanges(context.Background(), tenant, day0, ws, ms)
	if err != nil || first.Previous != nil || first.Changes != nil {
		t.Fatalf("first run: %+v, %v", first, err)
	}
	ms[0].MemoryUsage, ms[1].ALMStatus = 999, "behind"
	ms = ms[1:]
	ws[1].CurrentSize++
	second, err := db.RecordChanges(context.Background(), tenant, day0.Add(time.Hour), ws, ms)
	if err != nil || second.Previous == nil || second.Previous.ID != first.Run.ID || !second.Previous.TakenAt.Equal(day0) {
		t.Fatalf("second run: %+v, %v", second, err)
	}
	a, _ := db.Snapshot(context.Background(), first.Run)
	b, _ := db.Snapshot(context.Background(), second.Run)
	if want := history.Diff(a, b); !reflect.DeepEqual(second.Changes, want) || len(want) != 3 {
		t.Errorf("RecordChanges says\n %+v\nDiff says\n %+v", second.Changes, want)
	}
}

// Day by day on a tenant that churns (saves, renames, archives, moves,
// creations, deletions), what RecordChanges reports from the rows whose digests
// changed is Diff of the whole snapshots, each snapshot reads back as it
// was recorded, and CurrentALM is the latest snapshot's ALM.
func TestRecordChangesIsTheDiffDayByDay(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	churn := newChurnTenant(20, 2000)
	var prev history.Snapshot
	for d := range 6 {
		if d > 0 {
			churn.day(d)
			churn.models = slices.Delete(churn.models, 7*d, 7*d+1) // one model deleted a day
		}
		rec, err := db.RecordChanges(ctx, tenant, day0.AddDate(0, 0, d), churn.workspaces, churn.models)
		if err != nil {
			t.Fatal(err)
		}
		now, err := db.Snapshot(ctx, rec.Run)
		if err != nil {
			t.Fatal(err)
		}
		wantModels := slices.Clone(churn.models)
		slices.SortFunc(wantModels, func(a, b history.Model) int { return strings.Compare(a.ID, b.ID) })
		if !reflect.DeepEqual(now.Models, wantModels) || !reflect.DeepEqual(now.Workspaces, churn.workspaces) {
			t.Fatalf("day %d: the snapshot differs from what was recorded", d)
		}
		alm, err := db.CurrentALM(ctx, tenant)
		wantALM := map[string]string{}
		for _, m := range wantModels {
			if m.ALM != "" {
				wantALM[m.ID] = m.ALM
			}
		}
		if err != nil || !reflect.DeepEqual(alm, wantALM) {
			t.Fatalf("day %d: CurrentALM has %d models (%v), the snapshot %d", d, len(alm), err, len(wantALM))
		}
		if d > 0 {
			want := history.Diff(prev, now)
			if len(want) < 100 {
				t.Fatalf("day %d: only %d changes; the churn should make hundreds", d, len(want))
			}
			if !reflect.DeepEqual(rec.Changes, want) {
				t.Fatalf("day %d: RecordChanges says %d changes, Diff %d", d, len(rec.Changes), len(want))
			}
			if rec.Previous == nil || rec.Previous.ID != prev.Run.ID {
				t.Fatalf("day %d: Previous = %+v, want run %d", d, rec.Previous, prev.Run.ID)
			}
		}
		prev = now
	}
}
