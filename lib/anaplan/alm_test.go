package anaplan_test

import (
	"context"
	"errors"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func demoModel(t *testing.T, name string) string {
	t.Helper()
	for _, m := range emulator.Demo().Models {
		if m.Name == name {
			return m.ID
		}
	}
	t.Fatalf("no demo model %q", name)
	return ""
}

// TestALMClientSyncsABehindProduction reads lineage and runs a sync the
// way an admin script would: latest revisions, source from
// appliedToModels, syncable revisions, start, poll on the clock.
func TestALMClientSyncsABehindProduction(t *testing.T) {
	t.Parallel()
	em := newEmulated(t, nil)
	c := em.client(t, demoBasic())
	ctx := context.Background()
	prod := c.ALM(demoModel(t, "Sales Capacity"))

	latest, ok, err := prod.LatestRevision(ctx)
	if err != nil || !ok || latest.Name != "Release 2.0" || latest.AppliedOn.IsZero() {
		t.Fatalf("LatestRevision = %+v, %v, %v", latest, ok, err)
	}
	applied, err := prod.AppliedToModels(ctx, latest.ID)
	if err != nil || len(applied) < 2 || applied[0].ModelName != "Sales Capacity - DEV" {
		t.Fatalf("AppliedToModels = %+v, %v; want the DEV source first", applied, err)
	}
	source := applied[0].ModelID
	syncable, err := prod.SyncableRevisions(ctx, source)
	if err != nil || len(syncable) != 2 {
		t.Fatalf("SyncableRevisions = %+v, %v; want 2 (production is two behind)", syncable, err)
	}
	var history []string
	for r, err := range c.ALM(source).Revisions(ctx, anaplan.RevisionsOptions{Sort: "-createdOn", PageSize: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		history = append(history, r.Name)
	}
	if len(history) != 4 || history[0] != "Release 4.0" {
		t.Fatalf("source history = %v, want 4 revisions newest first across pages", history)
	}

	task, err := prod.StartSync(ctx, anaplan.SyncRequest{SourceRevisionID: syncable[0].ID, SourceModelID: source, TargetRevisionID: latest.ID})
	if err != nil || task.TaskState != "IN_PROGRESS" {
		t.Fatalf("StartSync = %+v, %v", task, err)
	}
	em.clock.Advance(emulator.DefaultTaskDuration)
	done, err := prod.SyncTask(ctx, task.TaskID)
	if err != nil || done.TaskState != "COMPLETE" || done.Result == nil || !done.Result.Successful {
		t.Fatalf("SyncTask = %+v, %v", done, err)
	}
	if latest, _, _ := prod.LatestRevision(ctx); latest.ID != syncable[0].ID {
		t.Errorf("latest after the sync = %s, want %s", latest.ID, syncable[0].ID)
	}
	tasks, err := prod.SyncTasks(ctx)
	if err != nil || len(tasks) != 1 {
		t.Errorf("SyncTasks = %+v, %v", tasks, err)
	}
	if err := prod.SetOnline(ctx, false); err != nil {
		t.Errorf("SetOnline: %v", err)
	}
}

func TestALMClientErrors(t *testing.T) {
	t.Parallel()
	c := newEmulated(t, nil).client(t, demoBasic())
	ctx := context.Background()
	_, _, err := c.ALM(demoModel(t, "Supply Planning 2023")).LatestRevision(ctx)
	if !errors.Is(err, anaplan.ErrModelArchived) {
		t.Errorf("archived model: err = %v, want ErrModelArchived", err)
	}
	_, _, err = c.ALM(emulator.DemoNoAccessModelID).LatestRevision(ctx)
	if !errors.Is(err, anaplan.ErrNotFound) {
		t.Errorf("no-access model: err = %v, want ErrNotFound", err)
	}
	rev, ok, err := c.ALM(emulator.RegistryModelID).LatestRevision(ctx)
	if err != nil || ok {
		t.Errorf("model without revisions: %+v, %v, %v; want ok false, no error", rev, ok, err)
	}
}
