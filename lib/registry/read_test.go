package registry_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// serve starts an emulator for tenant over real HTTP and returns a client
// logged in as the demo user.
func serve(t testing.TB, tenant *emulator.Tenant) *anaplan.Client {
	t.Helper()
	e, err := emulator.New(emulator.Options{Tenant: tenant})
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
	return c
}

func TestReadDemoTenant(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	r, err := registry.Read(context.Background(), serve(t, tenant))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Workspaces) != len(tenant.Workspaces) || len(r.Models) != len(tenant.Models) {
		t.Fatalf("read %d workspaces and %d models, tenant has %d and %d",
			len(r.Workspaces), len(r.Models), len(tenant.Workspaces), len(tenant.Models))
	}
	want := map[string]emulator.Model{}
	for _, m := range tenant.Models {
		want[m.ID] = m
	}
	for _, m := range r.Models {
		tm := want[m.ID]
		if m.Name != tm.Name || int64(m.MemoryUsage) != tm.MemoryUsage || m.CurrentWorkspaceID != tm.WorkspaceID || string(m.ActiveState) != tm.ActiveState {
			t.Errorf("model %s read as %+v, tenant has %+v", m.ID, m, tm)
		}
		if m.ISOCreationDate.IsZero() {
			t.Errorf("model %s has no creation date: read without modelDetails?", m.ID)
		}
	}
	for _, w := range r.Workspaces {
		if w.SizeAllowance == 0 {
			t.Errorf("workspace %s has no size allowance: read without tenantDetails?", w.Name)
		}
	}
	if n := len(r.Orphans()); n != 0 {
		t.Errorf("%d orphan models in the demo tenant", n)
	}
}

// TestReadPagesPast5000 reads a tenant four times Anaplan's page size.
func TestReadPagesPast5000(t *testing.T) {
	t.Parallel()
	const models = 20_123
	r, err := registry.Read(context.Background(), serve(t, emulator.Generate(40, models)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Models) != models {
		t.Fatalf("read %d models, want %d", len(r.Models), models)
	}
	seen := make(map[string]bool, models)
	for _, m := range r.Models {
		if seen[m.ID] {
			t.Fatalf("model %s read twice", m.ID)
		}
		seen[m.ID] = true
	}
}

// TestReadUnknownState keeps a state this client has never heard of.
func TestReadUnknownState(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	tenant.Models[0].ActiveState = "HIBERNATING"
	r, err := registry.Read(context.Background(), serve(t, tenant))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range r.Summary().States {
		found = found || c.Key == "HIBERNATING"
	}
	if !found {
		t.Error("the unknown state HIBERNATING was lost")
	}
}

func BenchmarkReadAndWrite20k(b *testing.B) {
	c := serve(b, emulator.Generate(500, 20_000))
	dir := b.TempDir()
	for b.Loop() {
		r, err := registry.Read(context.Background(), c)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.WriteFiles(dir); err != nil {
			b.Fatal(err)
		}
	}
}
