package registry_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// demoAsOf is the hygiene clock of these tests: the demo tenant's day 0,
// as a first registry run on it dates the run.
var demoAsOf = emulator.AdvanceEpoch

// fakeNow is an advanceable clock for the emulator.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// serveCounted is serve on a fake clock, with the emulator for its
// request counts.
func serveCounted(t testing.TB, tenant *emulator.Tenant, clock *fakeNow) (*anaplan.Client, *emulator.Emulator) {
	t.Helper()
	e, err := emulator.New(emulator.Options{Tenant: tenant, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"))
	if err != nil {
		t.Fatal(err)
	}
	return c, e
}

func almCalls(e *emulator.Emulator) int {
	n := 0
	for k, v := range e.Stats().Requests {
		if strings.Contains(k, "/alm/") {
			n += v
		}
	}
	return n
}

// organiseDemo reads and organises a tenant with lineage.
func organiseDemo(t *testing.T, tenant *emulator.Tenant) (*registry.Registry, *registry.Organisation) {
	t.Helper()
	ctx := context.Background()
	c := serve(t, tenant)
	r, err := registry.Read(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	lineage, _, err := registry.ReadLineage(ctx, c, r, registry.LineageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r, r.Organise(registry.OrganiseOptions{Lineage: lineage, Now: demoAsOf})
}

// TestDemoFamiliesAsBuilt compares the registry's families with what the
// demo tenant was built to show (emulator.DemoFamilies): every family of
// more than one model and every flagged one, exactly.
func TestDemoFamiliesAsBuilt(t *testing.T) {
	t.Parallel()
	r, org := organiseDemo(t, emulator.Demo())
	for i, p := range org.Models {
		if p.Environment == "" || p.Rule == "" || p.Family == "" {
			t.Errorf("model %q has no environment, rule or family: %+v", r.Models[i].Name, p)
		}
	}
	got := map[string]registry.Family{}
	for _, f := range org.Families {
		if f.Size() > 1 || len(f.Flags) > 0 {
			got[f.Name] = f
		}
	}
	want := emulator.DemoFamilies()
	for _, w := range want {
		f, ok := got[w.Name]
		if !ok {
			t.Errorf("family %q missing; families: %v", w.Name, slices.Sorted(maps.Keys(got)))
			continue
		}
		delete(got, w.Name)
		if f.Lineage != w.Lineage {
			t.Errorf("family %q: lineage %v, want %v", w.Name, f.Lineage, w.Lineage)
		}
		members := map[string][]string{}
		for env, ms := range f.Models {
			for _, m := range ms {
				members[string(env)] = append(members[string(env)], m.Name)
			}
		}
		for env := range members {
			slices.Sort(members[env])
		}
		for env := range w.Models {
			slices.Sort(w.Models[env])
		}
		if !maps.EqualFunc(members, w.Models, slices.Equal) {
			t.Errorf("family %q: models %v, want %v", w.Name, members, w.Models)
		}
		var flags []string
		for _, ff := range f.Flags {
			flags = append(flags, string(ff.Flag))
			if ff.Reason == "" {
				t.Errorf("family %q: flag %s without a reason", w.Name, ff.Flag)
			}
		}
		if !slices.Equal(flags, w.Flags) {
			t.Errorf("family %q: flags %v (%+v), want %v", w.Name, flags, f.Flags, w.Flags)
		}
	}
	for name, f := range got {
		t.Errorf("unexpected family %q: %+v", name, f.Models)
	}
}

// TestDemoHygieneAsBuilt derives the expected list from the demo tenant's
// data and declaration: sizes, dates, the no-access model, the declared
// families.
func TestDemoHygieneAsBuilt(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	// A duplicate name: a second "Scratch - do not use" in the sandbox.
	dup := tenant.Models[slices.IndexFunc(tenant.Models, func(m emulator.Model) bool { return m.Name == "Scratch - do not use" })]
	dup.ID = "0123456789ABCDEF0123456789ABCDEF"
	tenant.Models = append(tenant.Models, dup)
	_, org := organiseDemo(t, tenant)

	declared := map[string]string{} // model name -> declared environment
	for _, f := range emulator.DemoFamilies() {
		for env, names := range f.Models {
			for _, n := range names {
				declared[n] = env
			}
		}
	}
	want := map[string][]string{} // check -> model IDs
	used := map[string]float64{}
	for _, w := range tenant.Workspaces {
		used[w.ID] = float64(w.CurrentSize) * 100 / float64(w.SizeAllowance)
	}
	for _, m := range tenant.Models {
		switch p := used[m.WorkspaceID]; {
		case p > 100:
			want["workspace-over-allowance"] = append(want["workspace-over-allowance"], m.ID)
		case p >= 90:
			want["workspace-nearly-full"] = append(want["workspace-nearly-full"], m.ID)
		case p >= 75:
			want["workspace-near-allowance"] = append(want["workspace-near-allowance"], m.ID)
		}
		if m.Name == dup.Name {
			want["duplicate-name"] = append(want["duplicate-name"], m.ID)
		}
		if m.ID == emulator.DemoNoAccessModelID {
			want["no-access"] = append(want["no-access"], m.ID)
		}
		if _, inFamily := declared[m.Name]; strings.HasPrefix(m.ActiveState, "PRODUCTION") && !inFamily {
			want["production-orphan"] = append(want["production-orphan"], m.ID)
		}
		if m.ActiveState == "ARCHIVED" {
			continue
		}
		// Calendar days, as the hygiene list counts them.
		y, mo, d := m.LastModified.UTC().Date()
		idle := demoAsOf.Sub(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC))
		switch env := declared[m.Name]; {
		case (env == "dev" || env == "test" || env == "uat") && idle >= 90*24*time.Hour:
			want["archive-candidate"] = append(want["archive-candidate"], m.ID)
		case env != "dev" && env != "test" && env != "uat" && idle >= 180*24*time.Hour:
			want["stale"] = append(want["stale"], m.ID)
		}
	}
	got := map[string][]string{}
	for _, h := range org.Hygiene {
		got[string(h.Check)] = append(got[string(h.Check)], h.ModelID)
		if h.Reason == "" {
			t.Errorf("finding %+v has no reason", h)
		}
	}
	for _, ids := range want {
		slices.Sort(ids)
	}
	for _, ids := range got {
		slices.Sort(ids)
	}
	if len(want["archive-candidate"]) == 0 || len(want["stale"]) == 0 || len(want["workspace-over-allowance"]) == 0 ||
		len(want["workspace-nearly-full"]) == 0 {
		t.Fatalf("the as-of date %s makes a weak test: %v", demoAsOf, want)
	}
	if !maps.EqualFunc(got, want, slices.Equal) {
		for _, c := range slices.Sorted(maps.Keys(want)) {
			if !slices.Equal(got[c], want[c]) {
				t.Errorf("%s: got %v, want %v", c, got[c], want[c])
			}
		}
		for c := range got {
			if _, ok := want[c]; !ok {
				t.Errorf("%s: unexpected %v", c, got[c])
			}
		}
	}
}

// TestLineageCacheSecondRunAsksNothing reads lineage twice, the second time
// knowing what the first learnt:
// the second run on the unchanged tenant makes no ALM call; after a sync
// only the synced model is asked again.
func TestLineageCacheSecondRunAsksNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &fakeNow{t: emulator.AdvanceEpoch.Add(time.Hour)} // after the demo's last syncs
	c, e := serveCounted(t, emulator.Demo(), clock)
	var known map[string]registry.ModelLineage // what the history would hand the next run
	read := func() (map[string]registry.ModelLineage, registry.LineageStats, *registry.Registry) {
		t.Helper()
		r, err := registry.Read(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		l, stats, err := registry.ReadLineage(ctx, c, r, registry.LineageOptions{Known: known, Concurrency: 4})
		if err != nil {
			t.Fatal(err)
		}
		known = l
		return l, stats, r
	}
	first, stats, r := read()
	if stats.Asked != len(r.Models) || stats.Calls != almCalls(e) || stats.Calls <= len(r.Models) {
		t.Fatalf("first run: %+v, emulator saw %d ALM calls", stats, almCalls(e))
	}
	before := almCalls(e)
	second, stats, _ := read()
	if stats.Calls != 0 || almCalls(e) != before || stats.Cached != len(r.Models) {
		t.Fatalf("second run on an unchanged tenant: %+v, emulator saw %d new ALM calls", stats, almCalls(e)-before)
	}
	if !maps.EqualFunc(first, second, func(a, b registry.ModelLineage) bool { return a.RevisionID == b.RevisionID && a.Status == b.Status }) {
		t.Error("the cached lineage differs from the first run's")
	}

	// Sync the behind production model: only it is asked again.
	var dev, prod string
	for _, m := range r.Models {
		switch m.Name {
		case "Sales Capacity - DEV":
			dev = m.ID
		case "Sales Capacity":
			prod = m.ID
		}
	}
	alm := c.ALM(prod)
	syncable, err := alm.SyncableRevisions(ctx, dev)
	if err != nil || len(syncable) == 0 {
		t.Fatal(syncable, err)
	}
	if _, err := alm.StartSync(ctx, anaplan.SyncRequest{SourceRevisionID: syncable[0].ID, SourceModelID: dev,
		TargetRevisionID: first[prod].RevisionID}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(emulator.DefaultTaskDuration)
	third, stats, _ := read()
	if stats.Asked != 1 || third[prod].RevisionID != syncable[0].ID {
		t.Errorf("after one sync: %+v, production at %s; want one model asked and the new revision", stats, third[prod].RevisionName)
	}
}
