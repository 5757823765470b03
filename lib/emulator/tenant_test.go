package emulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestNewRejectsInvalidTenants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		mutate func(*emulator.Tenant)
		want   string
	}{
		{"customer ID", func(t *emulator.Tenant) { t.CustomerID = "ABC" }, "customer ID"},
		{"user ID", func(t *emulator.Tenant) { t.Users[1].ID = "x" }, "priya.shah@example.com"},
		{"duplicate email", func(t *emulator.Tenant) { t.Users[1].Email = strings.ToUpper(emulator.DemoUser) }, "duplicated"},
		{"workspace ID uppercase", func(t *emulator.Tenant) { t.Workspaces[0].ID = strings.ToUpper(t.Workspaces[0].ID) }, "lowercase"},
		{"duplicate workspace", func(t *emulator.Tenant) { t.Workspaces[1].ID = t.Workspaces[0].ID }, "duplicate"},
		{"model ID lowercase", func(t *emulator.Tenant) { t.Models[0].ID = strings.ToLower(t.Models[0].ID) }, "uppercase"},
		{"duplicate model", func(t *emulator.Tenant) { t.Models[1].ID = t.Models[0].ID }, "duplicate"},
		{"orphan model", func(t *emulator.Tenant) { t.Models[2].WorkspaceID = "0123456789abcdef0123456789abcdef" }, "not in the tenant"},
		{"empty state", func(t *emulator.Tenant) { t.Models[3].ActiveState = "" }, "activeState"},
		{"unknown no-access user", func(t *emulator.Tenant) { t.Models[3].NoAccessUserIDs = []string{"nobody"} }, "no-access user"},
		{"CA not PEM", func(t *emulator.Tenant) { t.TrustedCAs = [][]byte{[]byte("nope")} }, "trusted CA #0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tenant := emulator.Demo()
			tc.mutate(tenant)
			_, err := emulator.New(emulator.Options{Tenant: tenant})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New: %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := emulator.New(emulator.Options{TokenTTL: -time.Second}); err == nil {
		t.Error("negative TokenTTL accepted")
	}
}

func TestNewCopiesTheTenant(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	h := newHarness(t, emulator.Options{Tenant: tenant})
	token := h.login()
	tenant.Models[0].Name = "renamed after New"
	tenant.Users[0].PasswordHash = emulator.HashPassword("changed")
	body := h.get("/2/0/models/"+tenant.Models[0].ID, token).json(t)
	if body["model"].(map[string]any)["name"] == "renamed after New" {
		t.Error("emulator shares the caller's tenant")
	}
	h.login() // the old password still works
}
