package registry_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// syncEnv is the demo tenant with a count of the write requests the
// emulator receives (anything but GET, logins aside).
type syncEnv struct {
	client *anaplan.Client
	writes atomic.Int32
}

func newSyncEnv(t *testing.T) *syncEnv {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	env := &syncEnv{}
	h := e.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && !strings.HasPrefix(r.URL.Path, "/token/") {
			env.writes.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"))
	if err != nil {
		t.Fatal(err)
	}
	env.client = c
	return env
}

func (env *syncEnv) model() *anaplan.ModelHandle {
	return env.client.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
}

func TestSyncTwiceWritesOnlyTheFirstTime(t *testing.T) {
	t.Parallel()
	env := newSyncEnv(t)
	ctx := t.Context()
	reg, err := registry.Read(ctx, env.client)
	if err != nil {
		t.Fatal(err)
	}
	first, err := reg.Sync(ctx, env.model(), registry.SyncOptions{})
	if err != nil || first.Err() != nil {
		t.Fatalf("first sync: %v, %v", err, first.Err())
	}
	visible := len(reg.Models) - len(reg.Orphans())
	if first.Workspaces.Added != len(reg.Workspaces) || first.Models.Added != visible || first.Orphans != len(reg.Orphans()) {
		t.Errorf("first sync added %d workspaces and %d models, want %d and %d", first.Workspaces.Added, first.Models.Added, len(reg.Workspaces), visible)
	}
	if first.Cells == 0 || first.Writes == 0 || int(env.writes.Load()) != first.Writes {
		t.Errorf("first sync: %d cells in %d writes; the emulator saw %d", first.Cells, first.Writes, env.writes.Load())
	}

	before := env.writes.Load()
	second, err := reg.Sync(ctx, env.model(), registry.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if second.Changes() != 0 || second.Writes != 0 || env.writes.Load() != before {
		t.Errorf("second sync: %d changes, %d writes (emulator saw %d more); want none", second.Changes(), second.Writes, env.writes.Load()-before)
	}
	var out bytes.Buffer
	if err := second.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "\n0 changes\n") {
		t.Errorf("report does not end in 0 changes:\n%s", out.String())
	}

	// Every visible model is in the register, with its workspace and size.
	m := env.model()
	mod, err := m.FindModule(ctx, registry.ModuleModels)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := m.ViewData(ctx, mod.ID, anaplan.ViewDataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, row := range grid.Rows {
		names[row.Cells[1]] = true
	}
	for _, md := range reg.Models {
		if _, ok := reg.Workspace(md.CurrentWorkspaceID); ok && !names[md.Name] {
			t.Errorf("model %q is not in %s", md.Name, registry.ModuleModels)
		}
	}
}

func TestSyncWritesTheDifferenceAndPrunesOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	env := newSyncEnv(t)
	ctx := t.Context()
	reg, err := registry.Read(ctx, env.client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Sync(ctx, env.model(), registry.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	// The tenant changes: one model renamed and grown, two gone.
	models := append([]anaplan.Model(nil), reg.Models...)
	var renamed anaplan.Model
	for i := range models {
		if _, ok := reg.Workspace(models[i].CurrentWorkspaceID); ok {
			models[i].Name += " (renamed)"
			models[i].MemoryUsage += 1
			renamed = models[i]
			models = append(models[:i+1], models[i+3:]...)
			break
		}
	}
	changed := registry.New(reg.Workspaces, models)

	dry, err := changed.Sync(ctx, env.model(), registry.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if dry.Models.Updated != 1 || dry.Cells != 2 || dry.Stale != 2 || dry.Models.Removed != 0 {
		t.Errorf("sync after a rename: %+v; want 1 update, 2 cells, 2 stale, none removed", dry)
	}
	pruned, err := changed.Sync(ctx, env.model(), registry.SyncOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if pruned.Models.Removed != 2 || pruned.Changes() != 2 {
		t.Errorf("prune: %+v; want the 2 stale items removed and nothing else", pruned)
	}
	// The report itself knows whether stale items were left in place.
	for _, tc := range []struct {
		rep  registry.SyncReport
		want bool
	}{{dry, true}, {pruned, false}} {
		var out strings.Builder
		if err := tc.rep.WriteText(&out); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), "2 items of workspaces or models that no longer exist would be removed (use -prune)"); got != tc.want {
			t.Errorf("report (Pruned=%v) mentions the stale items left: %v, want %v:\n%s", tc.rep.Pruned, got, tc.want, out.String())
		}
	}
	again, err := changed.Sync(ctx, env.model(), registry.SyncOptions{Prune: true})
	if err != nil || again.Changes() != 0 || again.Stale != 0 {
		t.Errorf("after prune: %+v, %v; want 0 changes", again, err)
	}
	found, err := env.model().LookupDimensionItems(ctx, mustList(t, env, registry.ListModels), nil, []string{renamed.ID})
	if err != nil || len(found) != 1 {
		t.Errorf("renamed model's item: %v, %v", found, err)
	}
}

func mustList(t *testing.T, env *syncEnv, name string) string {
	t.Helper()
	l, err := env.model().FindList(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return l.ID
}
