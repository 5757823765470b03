package emulator_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// samplePath fills a route pattern with IDs that exist in the demo tenant
// (unknown parameters get "0"), so walks reach every handler.
func samplePath(pattern string) string {
	r := strings.NewReplacer("{workspaceId}", emulator.RegistryWorkspaceID, "{modelId}", emulator.RegistryModelID)
	p := r.Replace(pattern)
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(p, "0")
}

func TestEveryAPIRouteNeedsAToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	expired := h.login()
	h.clock.Advance(emulator.DefaultTokenTTL)
	loggedOut := h.login()
	wantStatus(t, h.do("POST", "/token/logout", "AnaplanAuthToken "+loggedOut, ""), http.StatusNoContent)

	routes := emulator.RoutesOf(h.e)
	api := 0
	for _, rt := range routes {
		if !strings.HasPrefix(rt.Pattern, "/2/0/") {
			continue
		}
		api++
		method := rt.Method
		if method == "" {
			method = "GET"
		}
		path := samplePath(rt.Pattern)
		for _, auth := range []string{"", "AnaplanAuthToken", "AnaplanAuthToken garbage", "Bearer garbage",
			"AnaplanAuthToken " + expired, "AnaplanAuthToken " + loggedOut, basic(emulator.DemoUser, emulator.DemoPassword)} {
			wantAPIError(t, h.do(method, path, auth, ""), http.StatusUnauthorized, path, "Unauthorized")
		}
	}
	if api < 7 {
		t.Fatalf("walked %d API routes; the route table has %v", api, routes)
	}
	// Unknown API paths are authenticated first, too.
	wantAPIError(t, h.do("GET", "/2/0/nothing/here", "", ""), http.StatusUnauthorized, "/2/0/nothing/here", "")
}

func TestUsersMe(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	r := h.get("/2/0/users/me", h.login())
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	wantEnvelope(t, h, body, "user")
	u := body["user"].(map[string]any)
	want := map[string]any{"id": emulator.DemoUserID, "email": emulator.DemoUser, "firstName": "Demo", "lastName": "Admin",
		"active": true, "emailOptIn": false, "customerId": emulator.DemoCustomerID, "lastLoginDate": "2024-06-03T08:15:42.000+0000"}
	for k, v := range want {
		if u[k] != v {
			t.Errorf("user.%s = %v, want %v", k, u[k], v)
		}
	}
}

// wantEnvelope checks meta.schema and status of a 200 envelope.
func wantEnvelope(t testing.TB, h *harness, body map[string]any, objectType string) {
	t.Helper()
	meta, _ := body["meta"].(map[string]any)
	if meta["schema"] != h.srv.URL+"/2/0/objects/"+objectType {
		t.Errorf("meta.schema = %v", meta["schema"])
	}
	st, _ := body["status"].(map[string]any)
	if st["code"] != float64(200) || st["message"] != "Success" {
		t.Errorf("status = %v", body["status"])
	}
}

func TestWorkspacesListAndTenantDetails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	for _, details := range []bool{false, true} {
		path := "/2/0/workspaces"
		if details {
			path += "?tenantDetails=true"
		}
		body := h.get(path, token).json(t)
		wantEnvelope(t, h, body, "workspace")
		list := body["workspaces"].([]any)
		if len(list) != len(emulator.Demo().Workspaces) {
			t.Fatalf("%d workspaces, want %d", len(list), len(emulator.Demo().Workspaces))
		}
		for _, w := range list {
			w := w.(map[string]any)
			for _, k := range []string{"id", "name", "active"} {
				if _, ok := w[k]; !ok {
					t.Errorf("workspace %v lacks %s", w["name"], k)
				}
			}
			for _, k := range []string{"sizeAllowance", "currentSize"} {
				if _, ok := w[k]; ok != details {
					t.Errorf("tenantDetails=%v: workspace %v has %s: %v", details, w["name"], k, ok)
				}
			}
		}
	}
}

func TestGetWorkspace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	body := h.get("/2/0/workspaces/"+emulator.RegistryWorkspaceID+"?tenantDetails=true", token).json(t)
	wantEnvelope(t, h, body, "workspace")
	w := body["workspace"].(map[string]any)
	if w["id"] != emulator.RegistryWorkspaceID || w["name"] != "Admin Tools" || w["active"] != true || w["sizeAllowance"] != float64(2<<30) {
		t.Errorf("workspace = %v", w)
	}
	if _, ok := h.get("/2/0/workspaces/"+emulator.RegistryWorkspaceID, token).json(t)["workspace"].(map[string]any)["sizeAllowance"]; ok {
		t.Errorf("sizeAllowance without tenantDetails")
	}
	for _, id := range []string{"00000000000000000000000000000000", strings.ToUpper(emulator.RegistryWorkspaceID)} {
		path := "/2/0/workspaces/" + id
		wantAPIError(t, h.get(path, token), http.StatusNotFound, path, "Not Found")
	}
}

func TestModelsListAndModelDetails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	anaplanTime := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`)
	detailFields := []string{"memoryUsage", "lastSavedSerialNumber", "lastModifiedByUserGuid", "isoCreationDate", "lastModified"}
	for _, details := range []bool{false, true} {
		path := "/2/0/models"
		if details {
			path += "?modelDetails=true"
		}
		body := h.get(path, token).json(t)
		wantEnvelope(t, h, body, "model")
		list := body["models"].([]any)
		if len(list) != len(emulator.Demo().Models) {
			t.Fatalf("%d models, want %d", len(list), len(emulator.Demo().Models))
		}
		for _, m := range list {
			m := m.(map[string]any)
			wantURL := emulator.UIBaseURL + "/anaplan/framework.jsp?selectedWorkspaceId=" + m["currentWorkspaceId"].(string) + "&selectedModelId=" + m["id"].(string)
			if m["modelUrl"] != wantURL {
				t.Errorf("modelUrl = %v, want %v", m["modelUrl"], wantURL)
			}
			if _, ok := m["categoryValues"].([]any); !ok {
				t.Errorf("model %v: categoryValues missing", m["name"])
			}
			if _, ok := m["modelTransactionRunning"]; ok {
				t.Errorf("list shows modelTransactionRunning")
			}
			for _, k := range detailFields {
				if _, ok := m[k]; ok != details {
					t.Errorf("modelDetails=%v: model %q has %s: %v", details, m["name"], k, ok)
				}
			}
			if !details {
				continue
			}
			if _, ok := m["lastSavedSerialNumber"].(string); !ok {
				t.Errorf("lastSavedSerialNumber = %#v, want a JSON string (OAS)", m["lastSavedSerialNumber"])
			}
			if n, _ := m["memoryUsage"].(float64); n < 1<<20 {
				t.Errorf("memoryUsage = %v, want bytes", m["memoryUsage"])
			}
			for _, k := range []string{"isoCreationDate", "lastModified"} {
				if s, _ := m[k].(string); !anaplanTime.MatchString(s) {
					t.Errorf("%s = %q, want Anaplan's 2017-11-13T21:20:10.000+0000 format", k, s)
				}
			}
		}
	}
}

func TestGetModel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	body := h.get("/2/0/models/"+emulator.RegistryModelID, token).json(t)
	wantEnvelope(t, h, body, "model")
	m := body["model"].(map[string]any)
	if m["name"] != "Model Registry" || m["currentWorkspaceId"] != emulator.RegistryWorkspaceID || m["currentWorkspaceName"] != "Admin Tools" {
		t.Errorf("model = %v", m)
	}
	if _, ok := m["modelTransactionRunning"]; ok {
		t.Errorf("modelTransactionRunning without modelDetails")
	}
	m = h.get("/2/0/models/"+emulator.RegistryModelID+"?modelDetails=true", token).json(t)["model"].(map[string]any)
	if m["modelTransactionRunning"] != false || m["memoryUsage"] == nil {
		t.Errorf("single model with details = %v", m)
	}
	for _, id := range []string{"00000000000000000000000000000000", strings.ToLower(emulator.RegistryModelID)} {
		path := "/2/0/models/" + id
		wantAPIError(t, h.get(path, token), http.StatusNotFound, path, "Not Found")
	}
}

func TestWorkspaceModels(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	demo := emulator.Demo()
	for _, ws := range demo.Workspaces {
		want := 0
		for _, m := range demo.Models {
			if m.WorkspaceID == ws.ID {
				want++
			}
		}
		body := h.get("/2/0/workspaces/"+ws.ID+"/models", token).json(t)
		wantEnvelope(t, h, body, "model")
		list := body["models"].([]any)
		if len(list) != want {
			t.Errorf("workspace %q: %d models, want %d", ws.Name, len(list), want)
		}
		for _, m := range list {
			if m.(map[string]any)["currentWorkspaceId"] != ws.ID {
				t.Errorf("workspace %q lists model %v", ws.Name, m)
			}
		}
	}
	path := "/2/0/workspaces/ffffffffffffffffffffffffffffffff/models"
	wantAPIError(t, h.get(path, token), http.StatusNotFound, path, "Not Found")
}

func TestEmptyCollectionsAreOmitted(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	tenant.Workspaces = append(tenant.Workspaces, emulator.Workspace{ID: "0123456789abcdef0123456789abcdef", Name: "Empty", Active: true})
	h := newHarness(t, emulator.Options{Tenant: tenant})
	token := h.login()
	for _, path := range []string{"/2/0/workspaces/0123456789abcdef0123456789abcdef/models", "/2/0/models?offset=1000", "/2/0/workspaces?offset=1000"} {
		body := h.get(path, token).json(t)
		for _, key := range []string{"models", "workspaces"} {
			if _, ok := body[key]; ok {
				t.Errorf("%s: empty %q present", path, key)
			}
		}
		if body["meta"].(map[string]any)["paging"].(map[string]any)["currentPageSize"] != float64(0) {
			t.Errorf("%s: paging = %v", path, body["meta"])
		}
	}
}

func TestNoAccessModelIsListedButMasked(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	ids := func(path string) []string {
		var out []string
		for _, m := range h.get(path, token).json(t)["models"].([]any) {
			out = append(out, m.(map[string]any)["id"].(string))
		}
		return out
	}
	var wsID string
	for _, m := range emulator.Demo().Models {
		if m.ID == emulator.DemoNoAccessModelID {
			wsID = m.WorkspaceID
		}
	}
	if !slices.Contains(ids("/2/0/models"), emulator.DemoNoAccessModelID) {
		t.Errorf("GET /models hides the no-access model")
	}
	if !slices.Contains(ids("/2/0/workspaces/"+wsID+"/models"), emulator.DemoNoAccessModelID) {
		t.Errorf("GET /workspaces/{wid}/models hides the no-access model")
	}
	r := h.get("/2/0/models/"+emulator.DemoNoAccessModelID+"?modelDetails=true", token)
	wantStatus(t, r, http.StatusOK)
	if m := r.json(t)["model"].(map[string]any); m["memoryUsage"] == nil {
		t.Errorf("no-access model lacks full metadata: %v", m)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := "AnaplanAuthToken " + h.login()
	wsModel := "/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/models/" + emulator.RegistryModelID
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", wsModel, ""},
		{"POST", wsModel, ""},
		{"POST", "/2/0/models", "GET"},
		{"DELETE", "/2/0/workspaces/" + emulator.RegistryWorkspaceID, "GET"},
		{"PUT", "/2/0/users/me", "GET"},
	} {
		r := h.do(tc.method, tc.path, token, "")
		wantAPIError(t, r, http.StatusMethodNotAllowed, tc.path, "Method Not Allowed")
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
	r := h.do("GET", "/token/authenticate", "", "")
	wantAPIError(t, r, http.StatusMethodNotAllowed, "/token/authenticate", "")
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow = %q", r.header.Get("Allow"))
	}
}

func TestUnknownPathsAre404(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	for _, path := range []string{"/2/0/nothing", "/2/0/models/" + emulator.RegistryModelID + "/unknown", "/2/0", "/", "/token"} {
		wantAPIError(t, h.get(path, token), http.StatusNotFound, path, "Not Found")
	}
	// One trailing slash is tolerated, as Anaplan's examples use both forms.
	wantStatus(t, h.get("/2/0/workspaces/", token), http.StatusOK)
	// An encoded slash stays inside its segment: no route matches.
	wantStatus(t, h.get("/2/0/workspaces%2F"+emulator.RegistryWorkspaceID, token), http.StatusNotFound)
	wantStatus(t, h.get("/2/0/models/"+emulator.RegistryModelID[:10]+"%2F"+emulator.RegistryModelID[10:], token), http.StatusNotFound)
}
