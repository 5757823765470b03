package emulator_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// servedTenant is what a client reads of the tenant: every workspace and
// model, with details.
func servedTenant(h *harness, token string) string {
	h.t.Helper()
	ws := h.get("/2/0/workspaces?tenantDetails=true", token)
	ms := h.get("/2/0/models?modelDetails=true", token)
	wantStatus(h.t, ws, http.StatusOK)
	wantStatus(h.t, ms, http.StatusOK)
	return strings.ReplaceAll(string(ws.body)+string(ms.body), h.srv.URL, "") // the port differs
}

// TestAdvanceFollowsOnFromTheTenantAsBuilt moves a running emulator on two
// days, then three: it serves what an emulator built on the demo tenant
// five days on serves, and its events are Tenant.Advance's.
func TestAdvanceFollowsOnFromTheTenantAsBuilt(t *testing.T) {
	t.Parallel()
	const seed = 7
	running := newHarness(t, emulator.Options{AdvanceSeed: seed})
	token := running.login()
	first, err := running.e.Advance(2)
	if err != nil {
		t.Fatal(err)
	}
	second, err := running.e.Advance(3)
	if err != nil {
		t.Fatal(err)
	}
	if d := running.e.Day(); d != 5 {
		t.Errorf("Day() = %d after 2+3 days", d)
	}
	moved, want := emulator.Demo().Advance(5, seed)
	if got := append(first, second...); !reflect.DeepEqual(got, want) {
		t.Errorf("the two advances did\n%+v\nTenant.Advance(5) does\n%+v", got, want)
	}
	built := newHarness(t, emulator.Options{Tenant: moved})
	builtToken := built.login()
	if got, want := servedTenant(running, token), servedTenant(built, builtToken); got != want {
		t.Errorf("advanced while running, it serves\n%s\nbuilt five days on, it serves\n%s", got, want)
	}
	synced := 0
	for _, e := range want {
		if e.Kind != emulator.EventSynced {
			continue
		}
		synced++
		path := "/2/0/models/" + e.ModelID + "/alm/revisions"
		got, want := running.get(path, token), built.get(path, builtToken)
		got.body, want.body = []byte(strings.ReplaceAll(string(got.body), running.srv.URL, "")), []byte(strings.ReplaceAll(string(want.body), built.srv.URL, ""))
		if got.status != http.StatusOK || string(got.body) != string(want.body) {
			t.Errorf("the ALM history of %s, synced on day %d: %d %s\nbuilt five days on: %s", e.ModelID, e.Day, got.status, got.body, want.body)
		}
	}
	if synced == 0 {
		t.Error("five days synced no model; the test needs one")
	}
}

// TestAdvanceKeepsWhatClientsChanged deletes a model through the API:
// moving the tenant on does not bring it back.
func TestAdvanceKeepsWhatClientsChanged(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	victim := emulator.Demo().Models[len(emulator.Demo().Models)-1]
	wantStatus(t, h.postJSON("/2/0/models/"+victim.ID+"/close", token, ""), http.StatusNoContent)
	r := h.postJSON("/2/0/workspaces/"+victim.WorkspaceID+"/bulkDeleteModels", token, `{"modelIdsToDelete":["`+victim.ID+`"]}`)
	if wantStatus(t, r, http.StatusOK); r.json(t)["modelsDeleted"] != 1.0 {
		t.Fatalf("bulk delete: %s", r.body)
	}
	wantStatus(t, h.get("/2/0/models/"+victim.ID, token), http.StatusNotFound)
	if _, err := h.e.Advance(4); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, h.get("/2/0/models/"+victim.ID, token), http.StatusNotFound)
}

// TestAdvanceWhileServing moves the tenant on from several goroutines
// while others read it (run with -race): every day is taken once.
func TestAdvanceWhileServing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{AdvanceSeed: 1})
	token := h.login()
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int]int{} // day -> advances that made its events
	for range 4 {
		wg.Go(func() {
			events, err := h.e.Advance(2)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, d := range []int{events[0].Day, events[len(events)-1].Day} {
				seen[d]++
			}
		})
		wg.Go(func() {
			for range 3 {
				if r := h.get("/2/0/models?modelDetails=true", token); r.status != http.StatusOK {
					t.Errorf("GET /models while advancing: %d", r.status)
				}
			}
		})
	}
	wg.Wait()
	if h.e.Day() != 8 || len(seen) != 8 {
		t.Errorf("day %d, days with events %v; want day 8, each of days 1-8 once", h.e.Day(), seen)
	}
	moved, _ := emulator.Demo().Advance(8, 1)
	built := newHarness(t, emulator.Options{Tenant: moved})
	if got, want := servedTenant(h, token), servedTenant(built, built.login()); got != want {
		t.Errorf("advanced 4×2 days at once, it serves\n%s\nbuilt eight days on, it serves\n%s", got, want)
	}
}

// TestAdvanceEndpoint drives POST /__emulator/advance: the admin's token
// moves the tenant and gets the events; no token, another user's, a GET
// or a bad count do not.
func TestAdvanceEndpoint(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	colleague := tenant.Users[1]
	tenant.Users[1].PasswordHash = emulator.HashPassword("colleague-pw-1")
	h := newHarness(t, emulator.Options{Tenant: tenant, AdvanceSeed: 1})
	admin := "AnaplanAuthToken " + h.login()
	other := "AnaplanAuthToken " + h.loginAs(colleague.Email, "colleague-pw-1")

	wantStatus(t, h.do("POST", "/__emulator/advance?days=1", "", ""), http.StatusUnauthorized)
	wantStatus(t, h.do("POST", "/__emulator/advance?days=1", other, ""), http.StatusForbidden)
	r := h.do("GET", "/__emulator/advance", admin, "")
	wantStatus(t, r, http.StatusMethodNotAllowed)
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	for _, bad := range []string{"-1", "week", "3651"} {
		wantStatus(t, h.do("POST", "/__emulator/advance?days="+bad, admin, ""), http.StatusBadRequest)
	}
	wantStatus(t, h.do("POST", "/__emulator/nothing", admin, ""), http.StatusNotFound)
	if h.e.Day() != 0 {
		t.Fatalf("refused calls moved the tenant to day %d", h.e.Day())
	}

	r = h.do("POST", "/__emulator/advance?days=3d", admin, "")
	wantStatus(t, r, http.StatusOK)
	var got emulator.AdvanceResult
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	_, want := tenant.Advance(3, 1)
	if got.Day != 3 || !reflect.DeepEqual(got.Events, want) {
		t.Errorf("answer day %d events\n%+v\nwant day 3\n%+v", got.Day, got.Events, want)
	}
	r = h.do("POST", "/__emulator/advance", admin, "") // one day by default
	wantStatus(t, r, http.StatusOK)
	if err := json.Unmarshal(r.body, &got); err != nil || got.Day != 4 {
		t.Errorf("default advance: day %d, %v", got.Day, err)
	}
}
