package session_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// TestTenantKeysTheHistory: the built-in demo tenant has a key of its own;
// a sandbox is keyed by its host and port and by the customer and user
// GET /users/me names, so two sandboxes never share a history with each
// other or with the demo.
func TestTenantKeysTheHistory(t *testing.T) {
	clearAnaplanEnv(t)
	demo, err := session.Connect(session.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	got, err := demo.Tenant(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.Key != registry.DemoTenantKey || got.Label != "demo tenant (built-in emulator)" || !got.Demo ||
		!strings.HasPrefix(got.Legacy, "127.0.0.1 ") {
		t.Errorf("the built-in demo tenant: %+v", got)
	}

	tenant := emulator.Demo()
	tenant.CustomerID = "0123456789abcdef0123456789abcdef"
	var keys []string
	for range 2 {
		e, err := emulator.New(emulator.Options{Tenant: tenant})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(e.Handler())
		t.Cleanup(srv.Close)
		t.Setenv("ANAPLAN_USERNAME", strings.ToUpper(emulator.DemoUser)) // the key has it as /users/me says
		t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
		t.Setenv("ANAPLAN_AUTH_URL", srv.URL)
		t.Setenv("ANAPLAN_API_URL", srv.URL+"/2/0")
		s, err := session.Connect(session.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		got, err := s.Tenant(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		port := srv.URL[strings.LastIndex(srv.URL, ":"):]
		want := "sandbox=127.0.0.1" + port + " customer=" + tenant.CustomerID + " user=" + emulator.DemoUser
		if got.Key != want || got.Label != "sandbox at 127.0.0.1"+port+" as "+emulator.DemoUser || got.Demo ||
			got.Legacy != "127.0.0.1 "+emulator.DemoUser {
			t.Errorf("a sandbox: %+v, want the key %q", got, want)
		}
		keys = append(keys, got.Key)
	}
	if keys[0] == keys[1] {
		t.Errorf("two sandboxes share the key %q", keys[0])
	}
}
