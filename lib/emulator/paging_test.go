package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// modelPage is a typed view of a models page: decoding 5,000 models
// into maps would dominate the test's time under -race.
type modelPage struct {
	Meta struct {
		Paging *struct {
			CurrentPageSize int     `json:"currentPageSize"`
			TotalSize       int     `json:"totalSize"`
			Offset          int     `json:"offset"`
			Next            *string `json:"next"`
			Previous        *string `json:"previous"`
		} `json:"paging"`
	} `json:"meta"`
	Models []struct {
		ID string `json:"id"`
	} `json:"models"`
}

func getPage(t testing.TB, h *harness, path, token string) modelPage {
	t.Helper()
	r := h.get(path, token)
	wantStatus(t, r, http.StatusOK)
	var p modelPage
	if err := json.Unmarshal(r.body, &p); err != nil || p.Meta.Paging == nil {
		t.Fatalf("%s: %v / no meta.paging: %.300s", path, err, r.body)
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
	// A parameter the handler ignores must still ride along in next links.
	next := h.srv.URL + "/2/0/models?echo=me"
	var sizes []int
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not terminate")
		}
		page := getPage(t, h, next, token)
		p := page.Meta.Paging
		if p.CurrentPageSize != len(page.Models) || p.TotalSize != total {
			t.Fatalf("page %d: paging %+v with %d models", pages, p, len(page.Models))
		}
		if p.Offset != pages*5000 {
			t.Errorf("page %d: offset %d", pages, p.Offset)
		}
		if (p.Previous != nil) != (pages > 0) {
			t.Errorf("page %d: previous present = %v", pages, p.Previous != nil)
		}
		for _, m := range page.Models {
			if seen[m.ID] {
				t.Fatalf("model %s on two pages", m.ID)
			}
			seen[m.ID] = true
		}
		if pages > 0 && !strings.Contains(next, "echo=me") {
			t.Fatalf("next link %q lost the request's parameters", next)
		}
		sizes = append(sizes, len(page.Models))
		next = ""
		if p.Next != nil {
			next = *p.Next
		}
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
	const total = 5300 // just over one maximal page
	h := newHarness(t, emulator.Options{Tenant: emulator.Generate(3, total)})
	token := h.login()

	check := func(path string, wantSize, wantOffset int, wantNext, wantPrev url.Values) {
		t.Helper()
		page := getPage(t, h, path, token)
		p := page.Meta.Paging
		if len(page.Models) != wantSize || p.CurrentPageSize != wantSize || p.Offset != wantOffset || p.TotalSize != total {
			t.Errorf("%s: %d models, paging %+v", path, len(page.Models), p)
		}
		links := map[string]*string{"next": p.Next, "previous": p.Previous}
		for name, want := range map[string]url.Values{"next": wantNext, "previous": wantPrev} {
			present := links[name] != nil
			got := ""
			if present {
				got = *links[name]
			}
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
	check("/2/0/models?offset=5000", 300, 5000, nil, q("offset", "0", "limit", "5000"))
	check("/2/0/models?offset=5299&limit=1", 1, 5299, nil, q("offset", "5298", "limit", "1"))
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
