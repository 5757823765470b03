package anaplan_test

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

const modelsKey = "GET /2/0/models"

func TestListModelsFollowsServerPaging(t *testing.T) {
	t.Parallel()
	const total = 12345
	tests := []struct {
		name        string
		pageSize    int
		ignoreLimit bool
		wantOffsets []string
	}{
		{name: "default page size", wantOffsets: []string{"0", "5000", "10000"}},
		{name: "server caps a larger limit at 5000", pageSize: 10000, wantOffsets: []string{"0", "5000", "10000"}},
		{name: "small pages", pageSize: 4000, wantOffsets: []string{"0", "4000", "8000", "12000"}},
		{name: "server ignores limit", pageSize: 1000, ignoreLimit: true, wantOffsets: []string{"0", "5000", "10000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			f.setModels(total)
			f.set(func(f *harness) { f.ignoreLimit = tt.ignoreLimit })
			c, _ := f.client(t)
			models, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{Details: true, PageSize: tt.pageSize, Sort: "+name"}))
			if err != nil {
				t.Fatal(err)
			}
			if len(models) != total {
				t.Fatalf("got %d models, want %d", len(models), total)
			}
			want := byName(f.tenantModels())
			for i, m := range models {
				if m.ID != want[i].ID {
					t.Fatalf("models[%d].ID = %s, want %s (order kept, none skipped or repeated)", i, m.ID, want[i].ID)
				}
			}
			if int64(models[0].MemoryUsage) != want[0].MemoryUsage || int64(models[total-1].MemoryUsage) != want[total-1].MemoryUsage || models[0].MemoryUsage == 0 {
				t.Errorf("memoryUsage not decoded with details: %d, %d", models[0].MemoryUsage, models[total-1].MemoryUsage)
			}
			queries := f.queriesOf(modelsKey)
			var offsets []string
			for _, q := range queries {
				offsets = append(offsets, q.Get("offset"))
				if q.Get("modelDetails") != "true" || q.Get("sort") != "+name" {
					t.Errorf("page query %v lost modelDetails or sort", q)
				}
				wantLimit := tt.pageSize
				if wantLimit == 0 {
					wantLimit = 5000
				}
				if q.Get("limit") != strconv.Itoa(wantLimit) {
					t.Errorf("page query limit = %s, want %d", q.Get("limit"), wantLimit)
				}
			}
			if strings.Join(offsets, ",") != strings.Join(tt.wantOffsets, ",") {
				t.Errorf("offsets asked = %v, want %v", offsets, tt.wantOffsets)
			}
		})
	}
}

// byName orders models as GET /models?sort=+name does: by name without
// case, then by name.
func byName(models []emulator.Model) []emulator.Model {
	out := slices.Clone(models)
	slices.SortStableFunc(out, func(a, b emulator.Model) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func TestPagingNeverLoopsForever(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(f *harness)
		wantErr string
	}{
		{"server never advances", func(f *harness) {
			f.setModels(5001)
			f.set(func(f *harness) { f.stuckOffset = true })
		}, "does not advance"},
		{"empty page before the end", func(f *harness) {
			f.answer(modelsKey, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, map[string]any{
					"meta":   map[string]any{"paging": map[string]any{"currentPageSize": 0, "totalSize": 10, "offset": 0}},
					"status": map[string]any{"code": 200, "message": "Success"},
				})
			})
		}, "empty page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			tt.setup(f)
			c, _ := f.client(t)
			_, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{}))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Collect = %v, want an error saying %q", err, tt.wantErr)
			}
			if n := f.count(modelsKey); n > 2 {
				t.Errorf("asked %d pages before giving up, want at most 2", n)
			}
		})
	}
}

func TestPagingFollowsItemsWhenMetaDisagrees(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.answer(modelsKey, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var models []map[string]string
		for i := offset; i < min(offset+2, 4); i++ {
			models = append(models, map[string]string{"id": strconv.Itoa(i), "name": "m"})
		}
		// currentPageSize claims 3 where 2 came: following it would skip one.
		writeJSON(w, http.StatusOK, map[string]any{
			"meta":   map[string]any{"paging": map[string]any{"currentPageSize": 3, "totalSize": 4, "offset": offset}},
			"models": models,
		})
	})
	c, _ := f.client(t)
	models, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(models) != 4 || models[2].ID != "2" {
		t.Errorf("got %v, want models 0..3", models)
	}
}

func TestOmittedCollectionIsEmpty(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.setModels(0) // no models: the emulator omits the "models" key, as Anaplan does
	c, _ := f.client(t)
	models, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{}))
	if err != nil || len(models) != 0 {
		t.Errorf("Collect = %v, %v; want no models and no error", models, err)
	}
}

func TestBreakingTheLoopStopsPaging(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.setModels(20)
	c, _ := f.client(t)
	n := 0
	for _, err := range c.ListModels(t.Context(), anaplan.ListOptions{PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	wantCount(t, f, modelsKey, 1)
}

func TestListWorkspaceModels(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.setModels(70) // 10 per workspace
	c, _ := f.client(t)
	ws := f.tenantModels()[3].WorkspaceID
	models, err := anaplan.Collect(c.ListWorkspaceModels(t.Context(), ws, anaplan.ListOptions{PageSize: 4}))
	if err != nil {
		t.Fatal(err)
	}
	if len(models) != 10 {
		t.Fatalf("got %d models, want 10", len(models))
	}
	for _, m := range models {
		if m.CurrentWorkspaceID != ws || m.MemoryUsage != 0 {
			t.Errorf("model %+v: wrong workspace, or details without asking", m)
		}
	}
	if _, err := anaplan.Collect(c.ListWorkspaceModels(t.Context(), "", anaplan.ListOptions{})); err == nil {
		t.Error("an empty workspace ID was accepted")
	}
}

func TestIDsAreEscapedInPaths(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	var got string
	f.answer("GET /2/0/workspaces/a/b?c/models", func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{}})
	})
	c, _ := f.client(t)
	if _, err := anaplan.Collect(c.ListWorkspaceModels(t.Context(), "a/b?c", anaplan.ListOptions{})); err != nil {
		t.Fatal(err)
	}
	if want := "/2/0/workspaces/a%2Fb%3Fc/models"; got != want {
		t.Errorf("escaped path = %q, want %q", got, want)
	}
}

func TestGetModelDecodesLeniently(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	const id = "75A40874E6B64FA3AE0743278996850F"
	f.answer("GET /2/0/models/"+id, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"meta":{"schema":"https://api.anaplan.com//2/0/objects/model"},"status":{"code":200,"message":"Success"},
			"model":{"id":%q,"name":"FP&A","activeState":"HIBERNATING","brandNewField":{"x":[1,2]},
			"memoryUsage":1.5E9,"lastSavedSerialNumber":2000023,"isoCreationDate":"2017-11-13T21:20:10.000+0000",
			"lastModified":1571258416552,"modelTransactionRunning":false,
			"categoryValues":[{"id":"c1","attribute":"Finance","categoryId":"k","categoryName":"Dept","customerId":"x","extra":true}]}}`, id)
	})
	c, _ := f.client(t)
	m, err := c.GetModel(t.Context(), id, anaplan.GetOptions{Details: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.ActiveState != "HIBERNATING" || m.ActiveState.Known() || fmt.Sprint(m.ActiveState) != "HIBERNATING" {
		t.Errorf("activeState = %q (known %t), want the unknown value as it came", m.ActiveState, m.ActiveState.Known())
	}
	if m.MemoryUsage != 1_500_000_000 || m.LastSavedSerialNumber != "2000023" || m.ISOCreationDate.Year() != 2017 ||
		m.LastModified.UnixMilli() != 1571258416552 || len(m.CategoryValues) != 1 {
		t.Errorf("model decoded as %+v", m)
	}
	if q := f.queriesOf("GET /2/0/models/" + id); len(q) != 1 || q[0].Get("modelDetails") != "true" {
		t.Errorf("queries = %v, want modelDetails=true", q)
	}
}

func TestGetters(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.set(func(f *harness) {
		f.tenant = withTestUser(emulator.Generate(1, 3))
		f.tenant.Workspaces[0] = emulator.Workspace{ID: emulator.RegistryWorkspaceID, Name: "Financial Planning", Active: true, SizeAllowance: 1073741824, CurrentSize: 873741824}
	})
	tm := f.tenantModels()[1]
	c, _ := f.client(t)

	me, err := c.Me(t.Context())
	if err != nil || me.FirstName != "Ana" || !me.Active || me.ID == "" {
		t.Errorf("Me = %+v, %v", me, err)
	}
	ws, err := c.GetWorkspace(t.Context(), emulator.RegistryWorkspaceID, anaplan.GetOptions{Details: true})
	if err != nil || ws.Name != "Financial Planning" || ws.SizeAllowance != 1073741824 || ws.CurrentSize != 873741824 {
		t.Errorf("GetWorkspace = %+v, %v", ws, err)
	}
	all, err := anaplan.Collect(c.ListWorkspaces(t.Context(), anaplan.ListOptions{Details: true}))
	if err != nil || len(all) != 1 || all[0] != ws {
		t.Errorf("ListWorkspaces = %+v, %v", all, err)
	}
	if q := f.queriesOf("GET /2/0/workspaces"); len(q) != 1 || q[0].Get("tenantDetails") != "true" {
		t.Errorf("workspace list queries = %v, want tenantDetails=true", q)
	}
	m, err := c.GetModel(t.Context(), tm.ID, anaplan.GetOptions{})
	if err != nil || m.Name != tm.Name || m.MemoryUsage != 0 {
		t.Errorf("GetModel without details = %+v, %v", m, err)
	}
	for name, call := range map[string]func() error{
		"GetWorkspace": func() error {
			_, err := c.GetWorkspace(t.Context(), "ffffffffffffffffffffffffffffffff", anaplan.GetOptions{})
			return err
		},
		"GetModel": func() error {
			_, err := c.GetModel(t.Context(), "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", anaplan.GetOptions{})
			return err
		},
	} {
		if err := call(); !errors.Is(err, anaplan.ErrNotFound) {
			t.Errorf("%s(unknown) = %v, want ErrNotFound", name, err)
		}
	}
	if _, err := c.GetModel(t.Context(), " ", anaplan.GetOptions{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("GetModel(blank) = %v, want an empty-ID error", err)
	}
}
