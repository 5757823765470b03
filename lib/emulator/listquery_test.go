package emulator_test

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestSortValidationMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	bad := func(f string) string {
		return "Bad sort order format: '" + f + "'. Please follow (-){column_name_1},(+){column_name_2}.. format"
	}
	for _, tc := range []struct{ path, sort, message string }{
		{"/2/0/models", "name", bad("name")},
		{"/2/0/models", "+name,activeState", bad("activeState")},
		{"/2/0/models", "+name,", bad("")},
		{"/2/0/models", "*name", bad("*name")},
		{"/2/0/models", "+size", "Failed to parse sort parameter"},
		{"/2/0/models", "-sizeAllowance", "Failed to parse sort parameter"},
		{"/2/0/models", "+Name", "Failed to parse sort parameter"},
		{"/2/0/workspaces", "sizeAllowance", bad("sizeAllowance")},
		{"/2/0/workspaces", "+activeState", "Failed to parse sort parameter"},
		{"/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/models", "-id", "Failed to parse sort parameter"},
	} {
		path := tc.path + "?sort=" + url.QueryEscape(tc.sort)
		wantAPIError(t, h.get(path, token), http.StatusBadRequest, tc.path, tc.message)
	}
}

// names lists the "name" of every object under key.
func names(t testing.TB, body map[string]any, key string) []string {
	t.Helper()
	var out []string
	for _, o := range body[key].([]any) {
		out = append(out, o.(map[string]any)["name"].(string))
	}
	return out
}

func TestSorting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	byName := func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) }

	asc := names(t, h.get("/2/0/models?sort=%2Bname", token).json(t), "models")
	if !slices.IsSortedFunc(asc, byName) || len(asc) != len(emulator.Demo().Models) {
		t.Errorf("+name: %q", asc)
	}
	desc := names(t, h.get("/2/0/models?sort=-name", token).json(t), "models")
	if !slices.IsSortedFunc(desc, func(a, b string) int { return byName(b, a) }) {
		t.Errorf("-name: %q", desc)
	}
	// An unencoded '+' arrives as a space; it still means ascending.
	if raw := names(t, h.get("/2/0/models?sort=+name", token).json(t), "models"); !slices.Equal(raw, asc) {
		t.Errorf("sort=+name (unencoded) differs from sort=%%2Bname")
	}

	var states []string
	for _, m := range h.get("/2/0/models?sort=-activeState,%2Bname", token).json(t)["models"].([]any) {
		states = append(states, m.(map[string]any)["activeState"].(string))
	}
	if !slices.IsSortedFunc(states, func(a, b string) int { return cmp.Compare(b, a) }) {
		t.Errorf("-activeState: %q", states)
	}

	var sizes []float64
	for _, w := range h.get("/2/0/workspaces?tenantDetails=true&sort=-sizeAllowance", token).json(t)["workspaces"].([]any) {
		sizes = append(sizes, w.(map[string]any)["sizeAllowance"].(float64))
	}
	if !slices.IsSortedFunc(sizes, func(a, b float64) int { return cmp.Compare(b, a) }) {
		t.Errorf("-sizeAllowance: %v", sizes)
	}
	ws := names(t, h.get("/2/0/workspaces?sort=%2Bname", token).json(t), "workspaces")
	if !slices.IsSortedFunc(ws, byName) {
		t.Errorf("workspaces +name: %q", ws)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/2/0/models?s=SALES%20capacity%20-", []string{"Sales Capacity - DEV", "Sales Capacity - TEST"}},
		{"/2/0/models?s=capex%25uat", []string{"Capex Planning - UAT"}},
		{"/2/0/models?s=Capacity%202_1_", []string{"Sales Capacity 2019"}},
		{"/2/0/models?s=%E6%9D%B1%E4%BA%AC", []string{"Prévisions Ventes – 東京"}},
		{"/2/0/workspaces?s=admin", []string{"Admin Tools"}},
	} {
		key := "models"
		if strings.HasPrefix(tc.path, "/2/0/workspaces") {
			key = "workspaces"
		}
		if got := names(t, h.get(tc.path, token).json(t), key); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestModelSearchIgnoredForNonTenantAdmins(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	tenant.Users[0].TenantAdmin = false
	h := newHarness(t, emulator.Options{Tenant: tenant})
	got := h.get("/2/0/models?s=registry", h.login()).json(t)["models"].([]any)
	if len(got) != len(tenant.Models) {
		t.Errorf("non-admin search returned %d models, want the full list (%d)", len(got), len(tenant.Models))
	}
}
