package history_test

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// WorkspaceTrend holds the workspaces of each of the last n runs, as
// Snapshot has them, and no models.
func TestWorkspaceTrendIsTheLastRunsWorkspaces(t *testing.T) {
	db, _ := open(t)
	ws, ms := tenantV1()
	for day := range 3 {
		ws[0].CurrentSize = int64(4+day) << 30
		record(t, db, day0.Add(time.Duration(day)*24*time.Hour), ws, ms)
	}
	ctx := context.Background()
	trend, err := db.WorkspaceTrend(ctx, tenant, 2)
	if err != nil {
		t.Fatal(err)
	}
	full, err := db.Latest(ctx, tenant, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(trend) != 2 {
		t.Fatalf("WorkspaceTrend(2) of 3 runs: %d snapshots", len(trend))
	}
	for i, s := range trend {
		if s.Run != full[i].Run || !reflect.DeepEqual(s.Workspaces, full[i].Workspaces) || len(s.Models) != 0 {
			t.Errorf("snapshot %d: run %v, workspaces %v, %d models; want run %v, workspaces %v, no models",
				i, s.Run, s.Workspaces, len(s.Models), full[i].Run, full[i].Workspaces)
		}
	}
	if got := trend[1].Workspaces[0].CurrentSize; got != 6<<30 {
		t.Errorf("the last run's Finance used %d bytes, want %d", got, 6<<30)
	}
	if none, err := db.WorkspaceTrend(ctx, "another tenant", 5); err != nil || len(none) != 0 {
		t.Errorf("a tenant never recorded: %v, %v; want nothing", none, err)
	}
}
