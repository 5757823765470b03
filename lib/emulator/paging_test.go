package emulator_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// pagingOf returns meta.paging of a list response.
func pagingOf(t testing.TB, body map[string]any) map[string]any {
	t.Helper()
	p, ok := body["meta"].(map[string]any)["paging"].(map[string]any)
	if !ok {
		t.Fatalf("no meta.paging in %v", body["meta"])
	}
	return p
}

func TestPagingWalksEveryModelOnce(t *testing.T) {
	t.Parallel()
	const total = 20_500
	tenant := emulator.Generate(40, total)
	h := newHarness(t, emulator.Options{Tenant: tenant})
	token := h.login()

	seen := make(map[string]bool, total)
	next := h.srv.URL + "/2/0/models?modelDetails=true&sort=-name"
	var sizes []int
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not terminate")
		}
		body := h.get(next, token).json(t)
		p := pagingOf(t, body)
		models, _ := body["models"].([]any)
		if int(p["currentPageSize"].(float64)) != len(models) || p["totalSize"] != float64(total) {
			t.Fatalf("page %d: paging %v with %d models", pages, p, len(models))
		}
		if p["offset"] != float64(pages*5000) {
			t.Errorf("page %d: offset %v", pages, p["offset"])
		}
		_, hasPrev := p["previous"]
		if hasPrev != (pages > 0) {
			t.Errorf("page %d: previous present = %v", pages, hasPrev)
		}
		for _, m := range models {
			id := m.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("model %s on two pages", id)
			}
			seen[id] = true
			if _, ok := m.(map[string]any)["memoryUsage"]; !ok {
				t.Fatalf("next link lost modelDetails=true")
			}
		}
		sizes = append(sizes, len(models))
		next, _ = p["next"].(string)
	}
	if len(seen) != total {
		t.Errorf("walked %d distinct models, want %d", len(seen), total)
	}
	if want := []int{5000, 5000, 5000, 5000, 500}; !equalInts(sizes, want) {
		t.Errorf("page sizes %v, want %v", sizes, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPagingLinksAndLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Tenant: emulator.Generate(3, 12_000)})
	token := h.login()

	check := func(path string, wantSize, wantOffset int, wantNext, wantPrev url.Values) {
		t.Helper()
		body := h.get(path, token).json(t)
		p := pagingOf(t, body)
		models, _ := body["models"].([]any)
		if len(models) != wantSize || p["currentPageSize"] != float64(wantSize) || p["offset"] != float64(wantOffset) || p["totalSize"] != float64(12_000) {
			t.Errorf("%s: %d models, paging %v", path, len(models), p)
		}
		for name, want := range map[string]url.Values{"next": wantNext, "previous": wantPrev} {
			got, present := p[name].(string)
			if present != (want != nil) {
				t.Errorf("%s: %s present = %v (%q)", path, name, present, got)
				continue
			}
			if want == nil {
				continue
			}
			u, err := url.Parse(got)
			if err != nil || u.Scheme+"://"+u.Host != h.srv.URL || u.Path != "/2/0/models" {
				t.Errorf("%s: %s = %q, want an absolute URL to this server's /2/0/models", path, name, got)
				continue
			}
			if u.Query().Encode() != want.Encode() {
				t.Errorf("%s: %s query = %s, want %s", path, name, u.Query().Encode(), want.Encode())
			}
		}
	}
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	check("/2/0/models", 5000, 0, q("offset", "5000", "limit", "5000"), nil)
	check("/2/0/models?limit=100000", 5000, 0, q("offset", "5000", "limit", "5000"), nil)
	check("/2/0/models?limit=100&offset=250&s=%25&sort=%2Bname", 100, 250,
		q("offset", "350", "limit", "100", "s", "%", "sort", "+name"),
		q("offset", "150", "limit", "100", "s", "%", "sort", "+name"))
	check("/2/0/models?limit=100&offset=30", 100, 30, q("offset", "130", "limit", "100"), q("offset", "0", "limit", "100"))
	check("/2/0/models?offset=10000", 2000, 10000, nil, q("offset", "5000", "limit", "5000"))
	check("/2/0/models?offset=11999&limit=1", 1, 11999, nil, q("offset", "11998", "limit", "1"))
	check("/2/0/models?offset=50000&limit=10", 0, 50000, nil, q("offset", "49990", "limit", "10"))
	check("/2/0/models?offset=&limit=", 5000, 0, q("offset", "5000", "limit", "5000"), nil)
}

func TestPagingRejectsBadParameters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	for _, path := range []string{"/2/0/models", "/2/0/workspaces", "/2/0/workspaces/" + emulator.RegistryWorkspaceID + "/models"} {
		for _, tc := range []struct{ query, message string }{
			{"offset=-1", "Invalid value for query parameter 'offset': '-1'. Use an integer of at least 0."},
			{"offset=abc", "Invalid value for query parameter 'offset': 'abc'. Use an integer of at least 0."},
			{"limit=0", "Invalid value for query parameter 'limit': '0'. Use an integer of at least 1."},
			{"limit=-5", "Invalid value for query parameter 'limit': '-5'. Use an integer of at least 1."},
			{"limit=1.5", "Invalid value for query parameter 'limit': '1.5'. Use an integer of at least 1."},
			{"limit=" + strconv.Itoa(1) + "0000000000000000000000", "Invalid value for query parameter 'limit': '10000000000000000000000'. Use an integer of at least 1."},
		} {
			wantAPIError(t, h.get(path+"?"+tc.query, token), http.StatusBadRequest, path, tc.message)
		}
	}
}
