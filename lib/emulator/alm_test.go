package emulator_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// almGet decodes a 200 ALM response.
func almGet(t *testing.T, h *harness, token, path string, v any) {
	t.Helper()
	r := h.get(path, token)
	wantStatus(t, r, 200)
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type revisionsBody struct {
	Revisions []struct{ ID, Name, AppliedOn string } `json:"revisions"`
}

// TestALMSyncBringsProductionUpToDate walks the documented sync flow on
// the demo's behind production model: latest revision, syncable revisions,
// start, IN_PROGRESS, COMPLETE on the clock, then the new latest revision
// and a new save serial number.
func TestALMSyncBringsProductionUpToDate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := newHarness(t, emulator.Options{StateDir: dir})
	token := h.login()
	dev, prod := demoModelID("Sales Capacity - DEV"), demoModelID("Sales Capacity")
	base := "/2/0/models/" + prod + "/alm/"

	var latest revisionsBody
	almGet(t, h, token, base+"latestRevision", &latest)
	if len(latest.Revisions) != 1 || latest.Revisions[0].Name != "Release 2.0" {
		t.Fatalf("production's latest revision = %+v, want Release 2.0", latest.Revisions)
	}
	var syncable revisionsBody
	almGet(t, h, token, base+"syncableRevisions?sourceModelId="+dev, &syncable)
	if len(syncable.Revisions) != 2 || syncable.Revisions[0].Name != "Release 4.0" || syncable.Revisions[1].Name != "Release 3.0" {
		t.Fatalf("syncable = %+v, want Release 4.0, 3.0 (newest first)", syncable.Revisions)
	}
	serial := func() string {
		var m struct {
			Model struct{ LastSavedSerialNumber string }
		}
		almGet(t, h, token, "/2/0/models/"+prod+"?modelDetails=true", &m)
		return m.Model.LastSavedSerialNumber
	}
	before := serial()

	r := h.do("POST", base+"syncTasks", "AnaplanAuthToken "+token, `{"sourceRevisionId":"`+syncable.Revisions[0].ID+
		`","sourceModelId":"`+dev+`","targetRevisionId":"`+latest.Revisions[0].ID+`"}`)
	wantStatus(t, r, 201)
	var started struct {
		Task struct{ TaskID, TaskState string }
	}
	if err := json.Unmarshal(r.body, &started); err != nil || started.Task.TaskState != "IN_PROGRESS" {
		t.Fatalf("start = %s (%v)", r.body, err)
	}
	almGet(t, h, token, base+"latestRevision", &latest)
	if latest.Revisions[0].Name != "Release 2.0" {
		t.Fatalf("latest revision changed before the sync completed: %+v", latest.Revisions)
	}
	h.clock.Advance(emulator.DefaultTaskDuration)
	var status struct {
		Task struct {
			TaskState string
			Result    struct{ Successful bool }
		}
	}
	almGet(t, h, token, base+"syncTasks/"+started.Task.TaskID, &status)
	if status.Task.TaskState != "COMPLETE" || !status.Task.Result.Successful {
		t.Fatalf("task after its duration = %+v", status.Task)
	}
	almGet(t, h, token, base+"latestRevision", &latest)
	if latest.Revisions[0].Name != "Release 4.0" {
		t.Fatalf("latest revision after the sync = %+v, want Release 4.0", latest.Revisions)
	}
	if after := serial(); after == before {
		t.Errorf("lastSavedSerialNumber still %s after a sync", after)
	}
	syncable = revisionsBody{}
	almGet(t, h, token, base+"syncableRevisions?sourceModelId="+dev, &syncable)
	if len(syncable.Revisions) != 0 {
		t.Errorf("still syncable after the sync: %+v", syncable.Revisions)
	}

	// A restart on the same state directory keeps the sync.
	h.srv.Close()
	h2 := newHarness(t, emulator.Options{StateDir: dir})
	almGet(t, h2, h2.login(), base+"latestRevision", &latest)
	if latest.Revisions[0].Name != "Release 4.0" {
		t.Errorf("after a restart the latest revision is %+v, want Release 4.0", latest.Revisions)
	}
}

func TestALMAppliedToModelsListsTheSourceFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	prod := demoModelID("S&OP Executive Review")
	var latest revisionsBody
	almGet(t, h, token, "/2/0/models/"+prod+"/alm/latestRevision", &latest)
	var applied struct {
		AppliedToModels []struct{ ModelID, ModelName, AppliedMethod string }
	}
	almGet(t, h, token, "/2/0/models/"+prod+"/alm/revisions/"+latest.Revisions[0].ID+"/appliedToModels", &applied)
	got := applied.AppliedToModels
	if len(got) != 2 || got[0].ModelName != "Supply Planning 2023" || got[1].ModelID != prod {
		t.Fatalf("appliedToModels = %+v, want the archived source first, then production", got)
	}
}

func TestALMNeedsWorkspaceAdministrator(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	for i := range tenant.Workspaces {
		tenant.Workspaces[i].NonAdminUserIDs = []string{emulator.DemoUserID}
	}
	h := newHarness(t, emulator.Options{Tenant: tenant})
	token := h.login()
	r := h.get("/2/0/models/"+demoModelID("FP&A Planning - DEV")+"/alm/latestRevision", token)
	wantStatus(t, r, 403)
	// The rest of the API does not need the role.
	wantStatus(t, h.get("/2/0/models/"+demoModelID("FP&A Planning - DEV"), token), 200)
}

func TestALMTaskListForgetsAfter48Hours(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	dev, prod := demoModelID("Sales Capacity - DEV"), demoModelID("Sales Capacity")
	base := "/2/0/models/" + prod + "/alm/"
	var latest, syncable revisionsBody
	almGet(t, h, token, base+"latestRevision", &latest)
	almGet(t, h, token, base+"syncableRevisions?sourceModelId="+dev, &syncable)
	wantStatus(t, h.do("POST", base+"syncTasks", "AnaplanAuthToken "+token, `{"sourceRevisionId":"`+syncable.Revisions[1].ID+
		`","sourceModelId":"`+dev+`","targetRevisionId":"`+latest.Revisions[0].ID+`"}`), 201)
	var list map[string]any
	almGet(t, h, token, base+"syncTasks", &list)
	if tasks, _ := list["tasks"].([]any); len(tasks) != 1 {
		t.Fatalf("tasks = %v, want the one started", list["tasks"])
	}
	h.clock.Advance(49 * time.Hour)
	token = h.login()
	list = nil
	almGet(t, h, token, base+"syncTasks", &list)
	if _, ok := list["tasks"]; ok {
		t.Errorf("tasks key present 49 hours later: %v", list["tasks"])
	}
}
