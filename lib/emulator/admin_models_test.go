package emulator_test

import (
	"net/http"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestModelStatusOpenAndClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	step := func() string {
		r := h.get(txnPath("/status"), tok)
		wantStatus(t, r, 200)
		body := r.json(t)
		if _, ok := body["meta"]; ok {
			t.Errorf("status has an envelope: %s", r.body)
		}
		st := body["requestStatus"].(map[string]any)
		if st["progress"] != float64(-1) || st["taskId"] != nil {
			t.Errorf("idle status: %v", st)
		}
		return st["currentStep"].(string)
	}
	if s := step(); s != "Open" {
		t.Fatalf("new model: %s", s)
	}
	r := h.postJSON(txnPath("/close"), tok, "")
	wantStatus(t, r, http.StatusNoContent)
	if s := step(); s != "Closed" {
		t.Errorf("after close: %s", s)
	}
	r = h.postJSON(txnPath("/open"), tok, "")
	wantStatus(t, r, http.StatusAccepted)
	if len(r.body) != 0 {
		t.Errorf("open body %q", r.body)
	}
	if s := step(); s != "Open" {
		t.Errorf("after open: %s", s)
	}
	archived := ""
	for _, m := range emulator.Demo().Models {
		if m.ActiveState == "ARCHIVED" && m.ID != emulator.DemoNoAccessModelID {
			archived = m.ID
		}
	}
	if archived == "" {
		t.Fatal("the demo tenant has no archived model")
	}
	wantStatus(t, h.postJSON("/2/0/models/"+archived+"/open", tok, ""), http.StatusUnprocessableEntity)
	wantStatus(t, h.get("/2/0/models/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF/status", tok), http.StatusNotFound)
	wantStatus(t, h.get("/2/0/models/"+emulator.DemoNoAccessModelID+"/status", tok), http.StatusNotFound)
}

func TestCurrentPeriodAndFiscalYear(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	cp := func(r response) map[string]any {
		t.Helper()
		wantStatus(t, r, 200)
		return r.json(t)["currentPeriod"].(map[string]any)
	}
	if got := cp(h.get(txnPath("/currentPeriod"), tok)); got["periodText"] != "" || got["lastDay"] != "" {
		t.Errorf("unset: %v", got)
	}
	got := cp(h.do("PUT", txnPath("/currentPeriod?date=2026-05-20"), "AnaplanAuthToken "+tok, ""))
	if got["periodText"] != "May 26" || got["lastDay"] != "2026-05-31" || got["calendarType"] != "Calendar Months/Quarters/Years" {
		t.Errorf("set by query: %v", got)
	}
	got = cp(h.do("PUT", txnPath("/currentPeriod"), "AnaplanAuthToken "+tok, `{"date":"2026-02-03"}`))
	if got["lastDay"] != "2026-02-28" {
		t.Errorf("set by body: %v", got)
	}
	wantAPIError(t, h.do("PUT", txnPath("/currentPeriod?date=2026-05-20"), "AnaplanAuthToken "+tok, `{"date":"2026-05-20"}`),
		400, txnPath("/currentPeriod"), "use query parameter or body to set date, not both")
	wantAPIError(t, h.do("PUT", txnPath("/currentPeriod?date=20-5-2026"), "AnaplanAuthToken "+tok, ""),
		400, txnPath("/currentPeriod"), "Invalid ISO date format '20-5-2026'. Date should match format YYYY-MM-DD")
	wantAPIError(t, h.do("PUT", txnPath("/currentPeriod?date=2030-01-01"), "AnaplanAuthToken "+tok, ""),
		400, txnPath("/currentPeriod"), "Specified date '2030-01-01' is out of timescale range 2025-01-01 - 2027-12-31")
	if got := cp(h.do("PUT", txnPath("/currentPeriod?date="), "AnaplanAuthToken "+tok, "")); got["periodText"] != "" {
		t.Errorf("blank date resets: %v", got)
	}

	r := h.do("PUT", txnPath("/modelCalendar/fiscalYear"), "AnaplanAuthToken "+tok, `{"year":"FY21"}`)
	wantStatus(t, r, 200)
	fy := r.json(t)["modelCalendar"].(map[string]any)["fiscalYear"].(map[string]any)
	if fy["year"] != "FY21" || fy["startDate"] != "2021-01-01" || fy["endDate"] != "2021-12-31" {
		t.Errorf("fiscal year: %v", fy)
	}
	cal := h.get(bulkPath("/modelCalendar"), tok).json(t)["modelCalendar"].(map[string]any)
	if cal["calendarType"] != "Calendar Months/Quarters/Years" || cal["fiscalYear"].(map[string]any)["year"] != "FY21" {
		t.Errorf("calendar: %v", cal)
	}
	wantStatus(t, h.get(txnPath("/modelCalendar/fiscalYear"), tok), http.StatusMethodNotAllowed)
	wantStatus(t, h.do("PUT", txnPath("/modelCalendar/fiscalYear"), "AnaplanAuthToken "+tok, `{"year":"2021"}`), 400)
}

func TestVersionsAndSwitchover(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	r := h.do("PUT", txnPath("/versions/107000000002/switchover"), "AnaplanAuthToken "+tok, `{"date":"2026-06-03"}`)
	wantStatus(t, r, 200)
	sw := r.json(t)["versionSwitchover"].(map[string]any)
	if sw["date"] != "2026-06-01" || sw["periodText"] != "Jun 26" {
		t.Errorf("switchover: %v", sw)
	}
	vs := h.get(txnPath("/versions"), tok).json(t)["versionMetadata"].([]any)
	if len(vs) != 2 || vs[0].(map[string]any)["isActual"] != true || vs[1].(map[string]any)["switchover"].(map[string]any)["date"] != "2026-06-01" {
		t.Errorf("versions: %v", vs)
	}
	if _, ok := vs[0].(map[string]any)["switchover"]; ok {
		t.Errorf("Actual has a switchover: %v", vs[0])
	}
	wantStatus(t, h.do("PUT", txnPath("/versions/107000000001/switchover"), "AnaplanAuthToken "+tok, `{"date":"2026-06-03"}`), 400)
	wantStatus(t, h.do("PUT", txnPath("/versions/107000000099/switchover"), "AnaplanAuthToken "+tok, `{"date":"2026-06-03"}`), 404)
	r = h.do("PUT", txnPath("/versions/107000000002/switchover"), "AnaplanAuthToken "+tok, `{"date":""}`)
	if sw := r.json(t)["versionSwitchover"].(map[string]any); sw["date"] != "" {
		t.Errorf("reset: %v", sw)
	}
}

func TestBulkDeleteModels(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	var victim emulator.Model
	for _, m := range emulator.Demo().Models {
		if m.WorkspaceID == emulator.RegistryWorkspaceID && m.ID != emulator.RegistryModelID {
			victim = m
			break
		}
	}
	if victim.ID == "" {
		t.Fatal("no second model in the registry workspace")
	}
	path := "/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/bulkDeleteModels"
	body := `{"modelIdsToDelete":["` + victim.ID + `","FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"]}`
	r := h.postJSON(path, tok, body)
	wantStatus(t, r, 200)
	res := r.json(t)
	f := res["bulkDeleteModelsFailures"].([]any)
	if res["modelsDeleted"] != float64(0) || len(f) != 2 ||
		f[0].(map[string]any)["message"] != "Model is open. Please close the model before trying again." ||
		f[1].(map[string]any)["message"] != "Model ID does not exist." {
		t.Fatalf("open model: %s", r.body)
	}
	wantStatus(t, h.postJSON("/2/0/models/"+victim.ID+"/close", tok, ""), http.StatusNoContent)
	r = h.postJSON(path, tok, `{"modelIdsToDelete":["`+victim.ID+`"]}`)
	res = r.json(t)
	if res["modelsDeleted"] != float64(1) {
		t.Fatalf("closed model: %s", r.body)
	}
	if _, ok := res["bulkDeleteModelsFailures"]; ok {
		t.Errorf("failures key on full success: %s", r.body)
	}
	wantStatus(t, h.get("/2/0/models/"+victim.ID, tok), http.StatusNotFound)
	wantAPIError(t, h.postJSON(path, tok, `{}`), 400, path, "Expected mandatory field 'modelIdsToDelete' to be present and not empty.")
	wantAPIError(t, h.postJSON(path, tok, `{"modelIds":["x"]}`), 400, path,
		"Identified an unrecognized 'modelIds'. Amend the content so it only contains applicable fields.")
}

func TestUsersAndWorkspaceMembers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	demo := emulator.Demo()
	users := h.get("/2/0/users", tok).json(t)["users"].([]any)
	if len(users) != len(demo.Users) {
		t.Fatalf("users: %d, tenant has %d", len(users), len(demo.Users))
	}
	sorted := h.get("/2/0/users?sort=-email", tok).json(t)["users"].([]any)
	if a, b := sorted[0].(map[string]any)["email"].(string), sorted[1].(map[string]any)["email"].(string); a < b {
		t.Errorf("sort=-email: %s before %s", a, b)
	}
	wantStatus(t, h.get("/2/0/users?sort=+password", tok), 400)
	u := demo.Users[0]
	if got := h.get("/2/0/users/"+u.ID, tok).json(t)["user"].(map[string]any)["email"]; got != u.Email {
		t.Errorf("user: %v", got)
	}
	wantStatus(t, h.get("/2/0/users/ffffffffffffffffffffffffffffffff", tok), 404)
	ws := h.get("/2/0/users/"+u.ID+"/workspaces", tok).json(t)["workspaces"].([]any)
	if len(ws) != len(demo.Workspaces) {
		t.Errorf("user workspaces: %d", len(ws))
	}
	if n := len(h.get("/2/0/workspaces/"+emulator.RegistryWorkspaceID+"/users", tok).json(t)["users"].([]any)); n != len(demo.Users) {
		t.Errorf("workspace users: %d", n)
	}
	// A NO ACCESS user is not among the model's users, nor sees it in theirs.
	var noAccess string
	for _, m := range demo.Models {
		if m.ID == emulator.DemoNoAccessModelID && len(m.NoAccessUserIDs) > 0 {
			noAccess = m.NoAccessUserIDs[0]
		}
	}
	if noAccess == "" {
		t.Fatal("the demo tenant has no NO ACCESS user")
	}
	for _, m := range h.get("/2/0/users/"+noAccess+"/models", tok).json(t)["models"].([]any) {
		if m.(map[string]any)["id"] == emulator.DemoNoAccessModelID {
			t.Errorf("NO ACCESS model listed among the user's models")
		}
	}
	wantStatus(t, h.get("/2/0/models/"+emulator.DemoNoAccessModelID+"/users", tok), http.StatusNotFound)
	mu := h.get(txnPath("/users"), tok)
	wantStatus(t, mu, 200)
	admins := h.get("/2/0/workspaces/"+emulator.RegistryWorkspaceID+"/admins", tok).json(t)
	if list, ok := admins["admins"].([]any); !ok || len(list) == 0 {
		t.Errorf("admins: %v", admins)
	}
	v := h.get("/2/0/workspaces/"+emulator.RegistryWorkspaceID+"/visitors", tok).json(t)
	if _, ok := v["visitors"]; ok {
		t.Errorf("visitors key present on an empty list: %v", v)
	}
	wantStatus(t, h.get("/2/0/workspaces/ffffffffffffffffffffffffffffffff/admins", tok), 404)
}
