package anaplan_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// concurrencyProbe records how many page requests were in flight at once.
// Pages after the first are held until want requests are in flight (a
// barrier), so parallel requests overlap for sure; the hang guard only
// ends a test whose client never sends that many.
type concurrencyProbe struct {
	mu       sync.Mutex
	inflight int
	peak     int
	want     int
	full     chan struct{} // closed when want requests are in flight
}

func (p *concurrencyProbe) enter() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight++
	p.peak = max(p.peak, p.inflight)
	if p.inflight >= p.want && p.full != nil {
		close(p.full)
		p.full = nil
	}
}

func (p *concurrencyProbe) wait(full chan struct{}) {
	if full == nil {
		return
	}
	select {
	case <-full:
	case <-time.After(10 * time.Second): // a hang guard, not a timing
	}
}

func (p *concurrencyProbe) leave() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
}

// probeModels serves total synthetic models in pages of pageSize; with
// want > 1, pages after the first are held until want are in flight.
func probeModels(t *testing.T, f *harness, total, pageSize, want int) *concurrencyProbe {
	t.Helper()
	p := &concurrencyProbe{want: want}
	full := make(chan struct{})
	if want > 1 {
		p.full = full
	} else {
		full = nil
	}
	f.answer(modelsKey, func(w http.ResponseWriter, r *http.Request) {
		p.enter()
		if r.URL.Query().Get("offset") != "0" {
			p.wait(full)
		}
		p.leave()
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var models []map[string]string
		for i := offset; i < min(offset+pageSize, total); i++ {
			models = append(models, map[string]string{"id": strconv.Itoa(i), "name": "m"})
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"meta":   map[string]any{"paging": map[string]any{"currentPageSize": len(models), "totalSize": total, "offset": offset}},
			"models": models,
		})
	})
	return p
}

func wantModelsInOrder(t *testing.T, models []anaplan.Model, total int) {
	t.Helper()
	if len(models) != total {
		t.Fatalf("got %d models, want %d", len(models), total)
	}
	for i, m := range models {
		if m.ID != strconv.Itoa(i) {
			t.Fatalf("models[%d].ID = %s, want %d: order kept, none skipped or repeated", i, m.ID, i)
		}
	}
}

func TestPagesAfterTheFirstAreFetchedInParallel(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	probe := probeModels(t, f, 50, 10, 4) // 5 pages: the first, then 4 at once
	c, _ := f.client(t)
	models, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{PageSize: 10, Concurrency: 4}))
	if err != nil {
		t.Fatal(err)
	}
	wantModelsInOrder(t, models, 50)
	if probe.peak != 4 {
		t.Errorf("at most %d pages were in flight at once, want 4", probe.peak)
	}
	wantCount(t, f, modelsKey, 5)
}

func TestListsPageOneAtATimeByDefault(t *testing.T) {
	t.Parallel()
	for _, concurrency := range []int{0, 1} {
		f := newHarness(t)
		probe := probeModels(t, f, 50, 10, 1)
		c, _ := f.client(t)
		models, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{PageSize: 10, Concurrency: concurrency}))
		if err != nil {
			t.Fatal(err)
		}
		wantModelsInOrder(t, models, 50)
		if probe.peak != 1 {
			t.Errorf("Concurrency %d: %d pages were in flight at once, want 1", concurrency, probe.peak)
		}
	}
}

// A server whose pages are not what the first page promised (here the
// second page is short) must be paged exactly as one request at a time
// would: pages asked ahead at the wrong offsets are dropped.
func TestPagesAskedAheadAreDroppedWhenPagingChanges(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	const total = 15
	f.answer(modelsKey, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		size := 5
		if offset == 5 {
			size = 3
		}
		var models []map[string]string
		for i := offset; i < min(offset+size, total); i++ {
			models = append(models, map[string]string{"id": strconv.Itoa(i), "name": "m"})
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"meta":   map[string]any{"paging": map[string]any{"currentPageSize": len(models), "totalSize": total, "offset": offset}},
			"models": models,
		})
	})
	c, _ := f.client(t)
	models, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{PageSize: 5, Concurrency: 4}))
	if err != nil {
		t.Fatal(err)
	}
	wantModelsInOrder(t, models, total)
	asked := map[string]bool{}
	for _, q := range f.queriesOf(modelsKey) {
		asked[q.Get("offset")] = true
	}
	for _, o := range []string{"0", "5", "8", "13"} { // where sequential paging goes
		if !asked[o] {
			t.Errorf("offset %s was never asked (asked %v)", o, asked)
		}
	}
}

// An error on a page asked ahead surfaces in order: every item before it
// is yielded first, and nothing after it.
func TestErrorOnAPageAskedAheadComesInOrder(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.answer(modelsKey, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if offset == 20 {
			writeJSON(w, http.StatusNotFound, map[string]any{"status": map[string]any{"code": 404, "message": "Not Found"}})
			return
		}
		var models []map[string]string
		for i := offset; i < min(offset+10, 40); i++ {
			models = append(models, map[string]string{"id": strconv.Itoa(i), "name": "m"})
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"meta":   map[string]any{"paging": map[string]any{"currentPageSize": len(models), "totalSize": 40, "offset": offset}},
			"models": models,
		})
	})
	c, _ := f.client(t)
	var got int
	var gotErr error
	for m, err := range c.ListModels(t.Context(), anaplan.ListOptions{PageSize: 10, Concurrency: 4}) {
		if err != nil {
			gotErr = err
			continue
		}
		if m.ID != strconv.Itoa(got) {
			t.Fatalf("item %d is model %s", got, m.ID)
		}
		got++
	}
	if got != 20 || gotErr == nil {
		t.Errorf("yielded %d models then error %v; want the 20 before offset 20, then its error", got, gotErr)
	}
}

func TestTotalIsToldOnceBeforeTheFirstItem(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.setModels(12)
	c, _ := f.client(t)
	var told []int
	items := 0
	for _, err := range c.ListModels(t.Context(), anaplan.ListOptions{PageSize: 5, Concurrency: 2, Total: func(n int) {
		if items != 0 {
			t.Errorf("Total was told after %d items", items)
		}
		told = append(told, n)
	}}) {
		if err != nil {
			t.Fatal(err)
		}
		items++
	}
	if len(told) != 1 || told[0] != 12 || items != 12 {
		t.Errorf("Total told %v over %d items, want [12] once", told, items)
	}
}
