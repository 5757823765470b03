package registry_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

func TestTenantKeys(t *testing.T) {
	t.Parallel()
	const guid = "8a81b09d5e8c6f27015ece3402487d33"
	key := func(customer, user, api string) string { return registry.AnaplanTenant(customer, user, api, "").Key }
	acme := key(guid, "A.User@Acme.com", "https://api.anaplan.com/2/0")
	if acme != "customer="+guid+" user=a.user@acme.com" {
		t.Errorf("a tenant on Anaplan: %q", acme)
	}
	for _, c := range []struct {
		name      string
		key       string
		sameAsAcm bool
	}{
		{"the same customer through a regional host", key(strings.ToUpper(guid), "a.user@acme.com", "https://us1a.app.anaplan.com/2/0"), true},
		{"another customer, same user and host", key("0123456789abcdef0123456789abcdef", "a.user@acme.com", "https://api.anaplan.com/2/0"), false},
		{"another user of the customer", key(guid, "b.user@acme.com", "https://api.anaplan.com/2/0"), false},
		{"a sandbox serving the same customer", key(guid, "a.user@acme.com", "http://127.0.0.1:8080/2/0"), false},
	} {
		if got := c.key == acme; got != c.sameAsAcm {
			t.Errorf("%s: key %q, same as %q: %v, want %v", c.name, c.key, acme, got, c.sameAsAcm)
		}
	}
	if a, b := key(guid, "u@x.com", "http://127.0.0.1:8080/2/0"), key(guid, "u@x.com", "http://localhost:8081/2/0"); a == b ||
		a != "sandbox=127.0.0.1:8080 customer="+guid+" user=u@x.com" || b != "sandbox=localhost:8081 customer="+guid+" user=u@x.com" {
		t.Errorf("two sandboxes: %q and %q", a, b)
	}
	if got := key("", "u@x.com", "https://proxy.example.com:8443/anaplan/2/0"); got != "host=proxy.example.com:8443 user=u@x.com" {
		t.Errorf("no customer id: %q", got)
	}
}

func TestTenantLabel(t *testing.T) {
	t.Parallel()
	for key, want := range map[string]string{
		registry.DemoTenantKey: "demo tenant (built-in emulator)",
		"customer=8a81b09d5e8c6f27015ece3402487d33 user=a.user@acme.com":                "Anaplan customer 8a81b09d… as a.user@acme.com",
		"sandbox=127.0.0.1:8080 customer=e4a1c9b7d3f2408a9b6c5d4e3f2a1b0c user=u@x.com": "sandbox at 127.0.0.1:8080 as u@x.com",
		"host=proxy.example.com:8443 user=u@x.com":                                      "u@x.com at proxy.example.com:8443",
		"api.anaplan.com a.user@acme.com":                                               "a.user@acme.com at api.anaplan.com", // an older key
		"something else entirely":                                                       "something else entirely",
	} {
		if got := registry.TenantLabel(key); got != want {
			t.Errorf("TenantLabel(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestAdoptLegacyTenant: runs recorded under the older key continue under
// the new one, once; the demo tenant and a sandbox, which shared the older
// key, each adopt only runs of their own kind; a new key with runs of its
// own is never merged with older ones.
func TestAdoptLegacyTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const legacy = "127.0.0.1 demo.admin@example.com"
	demo := registry.DemoTenant(legacy)
	sandbox := registry.AnaplanTenant("e4a1c9b7d3f2408a9b6c5d4e3f2a1b0c", "demo.admin@example.com", "http://127.0.0.1:8080/2/0", legacy)
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ws := []history.Workspace{{ID: "w1", Name: "Finance", SizeAllowance: 100, CurrentSize: 50}}
	// older records two runs under the legacy key; demoDays says whether
	// they read the built-in demo tenant.
	older := func(t *testing.T, demoDays bool) *history.DB {
		db, err := history.Open(ctx, filepath.Join(t.TempDir(), "registry.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		for d := range 2 {
			run, err := db.Record(ctx, legacy, day.AddDate(0, 0, d), ws, nil)
			if err != nil {
				t.Fatal(err)
			}
			if demoDays {
				if err := db.RecordDemoDay(ctx, run.ID, d); err != nil {
					t.Fatal(err)
				}
			}
		}
		return db
	}
	tenants := func(t *testing.T, db *history.DB) []string {
		got, err := db.Tenants(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("the demo adopts demo runs", func(t *testing.T) {
		db := older(t, true)
		if ok, err := registry.AdoptLegacyTenant(ctx, db, sandbox); ok || err != nil {
			t.Errorf("a sandbox adopted the demo's runs: %v %v", ok, err)
		}
		if ok, err := registry.AdoptLegacyTenant(ctx, db, demo); !ok || err != nil {
			t.Fatalf("the demo did not adopt its runs: %v %v", ok, err)
		}
		if got := tenants(t, db); !slices.Equal(got, []string{registry.DemoTenantKey}) {
			t.Errorf("tenants after adopting: %q", got)
		}
		if _, err := db.Record(ctx, demo.Key, day.AddDate(0, 0, 2), ws, nil); err != nil {
			t.Fatal(err)
		}
		if runs, _ := db.Runs(ctx, demo.Key); len(runs) != 3 {
			t.Errorf("the demo's series has %d runs, want the 2 adopted and the new one", len(runs))
		}
		if ok, err := registry.AdoptLegacyTenant(ctx, db, demo); ok || err != nil {
			t.Errorf("adopted twice: %v %v", ok, err)
		}
	})
	t.Run("a sandbox adopts sandbox runs", func(t *testing.T) {
		db := older(t, false)
		if ok, err := registry.AdoptLegacyTenant(ctx, db, demo); ok || err != nil {
			t.Errorf("the demo adopted a sandbox's runs: %v %v", ok, err)
		}
		if ok, err := registry.AdoptLegacyTenant(ctx, db, sandbox); !ok || err != nil {
			t.Fatalf("the sandbox did not adopt its runs: %v %v", ok, err)
		}
		if runs, _ := db.Runs(ctx, sandbox.Key); len(runs) != 2 {
			t.Errorf("the sandbox has %d runs, want 2", len(runs))
		}
	})
	t.Run("a new key with runs is not merged", func(t *testing.T) {
		db := older(t, true)
		if _, err := db.Record(ctx, demo.Key, day.AddDate(0, 0, 5), ws, nil); err != nil {
			t.Fatal(err)
		}
		if ok, err := registry.AdoptLegacyTenant(ctx, db, demo); ok || err != nil {
			t.Errorf("merged two series: %v %v", ok, err)
		}
		if got := tenants(t, db); !slices.Equal(got, []string{legacy, registry.DemoTenantKey}) {
			t.Errorf("tenants: %q, want both series kept", got)
		}
	})
}
