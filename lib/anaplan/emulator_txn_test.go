package anaplan_test

// The transactional API against the emulator's model engine: the tutorial's
// Model Registry, written and read with no import action.

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// txnEnv is the demo tenant's registry model behind an optional proxy.
type txnEnv struct {
	m     *anaplan.ModelHandle
	lists map[string]anaplan.List
}

// newTxn serves the emulator (pages of pageRows rows for large reads) and,
// when wrap is set, a proxy in front of it that may tamper with answers.
func newTxn(t *testing.T, pageRows int, wrap func(next http.Handler) http.Handler) *txnEnv {
	t.Helper()
	clock := emulator.NewClock(testStart)
	e, err := emulator.New(emulator.Options{Now: clock.Now, ReadPageRows: pageRows})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	var h http.Handler = e.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	sleep := func(ctx context.Context, d time.Duration) error {
		clock.Advance(max(d, 250*time.Millisecond))
		return ctx.Err()
	}
	c, err := anaplan.New(demoBasic(), anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"),
		anaplan.WithClock(clock.Now), anaplan.WithSleep(sleep))
	if err != nil {
		t.Fatal(err)
	}
	env := &txnEnv{m: c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID), lists: map[string]anaplan.List{}}
	lists, err := anaplan.Collect(env.m.ListLists(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lists {
		env.lists[l.Name] = l
	}
	if env.lists["W1 Workspaces"].ID == "" || env.lists["W2 Models"].ID == "" {
		t.Fatalf("lists = %v, want W1 Workspaces and W2 Models", lists)
	}
	return env
}

// addWorkspaces adds n W1 items with codes WS0… and names.
func (e *txnEnv) addWorkspaces(t *testing.T, n int) {
	t.Helper()
	items := make([]anaplan.ItemInput, n)
	for i := range items {
		items[i] = anaplan.ItemInput{Code: fmt.Sprintf("WS%d", i), Properties: map[string]string{"Workspace Name": fmt.Sprintf("Workspace %d", i)}}
	}
	res, err := e.m.AddListItems(t.Context(), e.lists["W1 Workspaces"].ID, items, anaplan.WriteOptions{})
	if err != nil || res.Added != n || len(res.Failures) != 0 {
		t.Fatalf("adding workspaces: %+v, %v", res, err)
	}
}

func TestTxnAddItemsInBatchesWithFailuresAtInputIndexes(t *testing.T) {
	t.Parallel()
	env := newTxn(t, 0, nil)
	ctx := t.Context()
	env.addWorkspaces(t, 2)
	const n = 250
	items := make([]anaplan.ItemInput, n)
	for i := range items {
		items[i] = anaplan.ItemInput{Code: fmt.Sprintf("M%03d", i), Parent: fmt.Sprintf("WS%d", i%2),
			Properties: map[string]string{"Model Name": fmt.Sprintf("Model, \"%d\"", i)}}
	}
	items[150].Code = "M010"         // a duplicate of item 10, in another batch
	items[220].Parent = "NO SUCH WS" // a parent that does not exist
	var progress []int
	res, err := env.m.AddListItems(ctx, env.lists["W2 Models"].ID, items, anaplan.WriteOptions{
		MaxPerCall: 100, Progress: func(sent int) { progress = append(progress, sent) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 3 || fmt.Sprint(progress) != "[100 200 250]" {
		t.Errorf("requests = %d, progress %v; want 3 and [100 200 250]", res.Requests, progress)
	}
	if res.Added != n-2 || res.Ignored != 2 || res.Total != n {
		t.Errorf("added %d, ignored %d, total %d; want %d, 2, %d", res.Added, res.Ignored, res.Total, n-2, n)
	}
	if len(res.Failures) != 2 || res.Failures[0].Index != 150 || res.Failures[1].Index != 220 {
		t.Fatalf("failures = %v, want indexes 150 and 220", res.Failures)
	}

	// Read back page by page (JSON), and as CSV.
	count := 0
	for it, err := range env.m.ListItems(ctx, env.lists["W2 Models"].ID, anaplan.ListItemsOptions{IncludeAll: true, PageSize: 70}) {
		if err != nil {
			t.Fatal(err)
		}
		if count == 3 && (it.Code != "M003" || it.ParentID == "" || it.Properties["Model Name"] != `Model, "3"`) {
			t.Errorf("item 3 = %+v", it)
		}
		count++
	}
	if count != n-2 {
		t.Errorf("read %d items, want %d", count, n-2)
	}
	rc, err := env.m.ListItemsCSV(ctx, env.lists["W2 Models"].ID, anaplan.ListItemsOptions{IncludeAll: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	rows, err := csv.NewReader(rc).ReadAll()
	if err != nil {
		t.Fatalf("list CSV is not RFC 4180: %v", err)
	}
	if len(rows) != n-2+1 {
		t.Errorf("CSV has %d rows, want %d items and a header", len(rows), n-2)
	}
}

func TestTxnWriteCellsAndReadTheView(t *testing.T) {
	t.Parallel()
	env := newTxn(t, 0, nil)
	ctx := t.Context()
	env.addWorkspaces(t, 5)
	mod, err := env.m.FindModule(ctx, "W1 Workspace Register")
	if err != nil {
		t.Fatal(err)
	}
	cells := make([]anaplan.Cell, 0, 11)
	for i := range 5 {
		cells = append(cells, anaplan.Cell{LineItemName: "Size Allowance",
			Dimensions: []anaplan.CellDimension{{DimensionName: "W1 Workspaces", ItemCode: fmt.Sprintf("WS%d", i)}}, Value: 1000 * (i + 1)})
	}
	cells = append(cells, anaplan.Cell{LineItemName: "Name", // a formula line item: not writable
		Dimensions: []anaplan.CellDimension{{DimensionName: "W1 Workspaces", ItemCode: "WS0"}}, Value: "x"})
	for i := range 5 {
		cells = append(cells, anaplan.Cell{LineItemName: "Current Size",
			Dimensions: []anaplan.CellDimension{{DimensionName: "W1 Workspaces", ItemCode: fmt.Sprintf("WS%d", i)}}, Value: 10 * i})
	}
	res, err := env.m.WriteCells(ctx, mod.ID, cells, anaplan.WriteOptions{MaxPerCall: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 3 || len(res.Failures) != 1 || res.Failures[0].Index != 5 {
		t.Fatalf("result = %+v, want 3 requests and one failure at index 5", res)
	}
	grid, err := env.m.ViewData(ctx, mod.ID, anaplan.ViewDataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(grid.Rows) != 5 || len(grid.ColumnCoordinates) != 3 {
		t.Fatalf("grid has %d rows and %d columns, want 5 and 3: %+v", len(grid.Rows), len(grid.ColumnCoordinates), grid)
	}
	if got := grid.Rows[2].Cells; got[0] != "Workspace 2" || got[1] != "3000" || got[2] != "20" {
		t.Errorf("row 2 = %v, want Workspace 2, 3000, 20", got)
	}
	rc, err := env.m.ViewDataCSV(ctx, mod.ID, anaplan.ViewDataOptions{Escaped: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	rows, err := csv.NewReader(rc).ReadAll()
	if err != nil || len(rows) != 6 {
		t.Fatalf("view CSV: %d rows, %v; want a header and 5 rows", len(rows), err)
	}
	md, err := env.m.ViewMetadata(ctx, mod.ID)
	if err != nil || md.ViewID != mod.ID || len(md.Rows) != 1 || md.Rows[0].Name != "W1 Workspaces" {
		t.Errorf("view metadata = %+v, %v", md, err)
	}
}

func TestTxnLargeReadStreamsEveryPageOnce(t *testing.T) {
	t.Parallel()
	env := newTxn(t, 7, nil)
	env.addWorkspaces(t, 50)
	var pages []int
	rc, err := env.m.ReadListLarge(t.Context(), env.lists["W1 Workspaces"].ID, func(p int) { pages = append(pages, p) })
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(rc).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Errorf("deleting the read request: %v", err)
	}
	if len(rows) != 51 || len(pages) != 8 {
		t.Fatalf("%d rows over %d pages, want a header and 50 items over 8 pages", len(rows), len(pages))
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if strings.Join(r, ",") == strings.Join(rows[0], ",") {
			t.Fatal("a page's header row came through as data")
		}
		seen[strings.Join(r, ",")] = true
	}
	if len(seen) != 50 {
		t.Errorf("%d distinct rows, want 50", len(seen))
	}
}

// TestTxnLostAnswerToAnAddIsNotReplayed drops the connection after the
// emulator has applied the first add: the client must find the items and
// not send them again (which would report them all ignored).
func TestTxnLostAnswerToAnAddIsNotReplayed(t *testing.T) {
	t.Parallel()
	var adds, dropped atomic.Int32
	env := newTxn(t, 0, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Query().Get("action") == "add" && strings.Contains(r.URL.Path, "/lists/") {
				if adds.Add(1) == 2 { // the second add: apply it, then lose the answer
					rec := httptest.NewRecorder()
					next.ServeHTTP(rec, r)
					dropped.Add(1)
					conn, _, err := http.NewResponseController(w).Hijack()
					if err == nil {
						conn.Close()
					}
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	})
	env.addWorkspaces(t, 1) // add number 1
	items := make([]anaplan.ItemInput, 30)
	for i := range items {
		items[i] = anaplan.ItemInput{Code: fmt.Sprintf("m%d", i), Parent: "WS0"}
	}
	res, err := env.m.AddListItems(t.Context(), env.lists["W2 Models"].ID, items, anaplan.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if dropped.Load() != 1 {
		t.Fatal("the proxy dropped no answer")
	}
	if res.Added != 30 || res.Recovered != 30 || len(res.Failures) != 0 || adds.Load() != 2 {
		t.Errorf("result %+v after %d adds; want 30 added, all recovered by lookup, no second add", res, adds.Load())
	}
	n := 0
	for _, err := range env.m.ListItems(t.Context(), env.lists["W2 Models"].ID, anaplan.ListItemsOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 30 {
		t.Errorf("the list holds %d items, want 30", n)
	}
}

func TestTxnModelAdministration(t *testing.T) {
	t.Parallel()
	env := newTxn(t, 0, nil)
	ctx := t.Context()
	st, err := env.m.Status(ctx)
	if err != nil || st.CurrentStep == "" {
		t.Errorf("status = %+v, %v", st, err)
	}
	if _, err := env.m.Calendar(ctx); err != nil {
		t.Errorf("calendar: %v", err)
	}
	if _, err := env.m.CurrentPeriod(ctx); err != nil {
		t.Errorf("current period: %v", err)
	}
	vs, err := anaplan.Collect(env.m.ListVersions(ctx))
	if err != nil || len(vs) == 0 {
		t.Errorf("versions = %v, %v", vs, err)
	}
	mods, err := anaplan.Collect(env.m.ListModules(ctx))
	if err != nil || len(mods) != 2 {
		t.Fatalf("modules = %v, %v", mods, err)
	}
	lis, err := anaplan.Collect(env.m.ListModuleLineItems(ctx, mods[1].ID, anaplan.LineItemsOptions{IncludeAll: true}))
	if err != nil || len(lis) != 3 || lis[0].Format == "" {
		t.Errorf("line items of %s = %+v, %v", mods[1].Name, lis, err)
	}
	if _, err := anaplan.Collect(env.m.ListDashboards(ctx)); err != nil {
		t.Errorf("dashboards: %v", err)
	}
	found, err := env.m.LookupDimensionItems(ctx, env.lists["W1 Workspaces"].ID, nil, []string{"nothing"})
	if err != nil || len(found) != 0 {
		t.Errorf("lookup of an unknown code = %v, %v", found, err)
	}
}

// TestTxnBatchesPastAnaplansLimit adds more items than one call takes,
// with the default limits: two requests, failures at input indexes.
func TestTxnBatchesPastAnaplansLimit(t *testing.T) {
	t.Parallel()
	env := newTxn(t, 0, nil)
	n := anaplan.MaxItemsPerCall + 5
	items := make([]anaplan.ItemInput, n)
	for i := range items {
		items[i] = anaplan.ItemInput{Code: fmt.Sprintf("W%06d", i)}
	}
	items[7].Properties = map[string]string{"No Such Property": "x"} // refused in the first request
	items[n-2].Code = items[3].Code                                  // a duplicate, in the second
	res, err := env.m.AddListItems(t.Context(), env.lists["W1 Workspaces"].ID, items, anaplan.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 2 || res.Added != n-2 {
		t.Errorf("%d requests, %d added; want 2 and %d", res.Requests, res.Added, n-2)
	}
	if len(res.Failures) != 2 || res.Failures[0].Index != 7 || res.Failures[1].Index != n-2 {
		t.Errorf("failures = %v, want indexes 7 and %d", res.Failures, n-2)
	}
}
