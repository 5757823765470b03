package registry_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestSummaryAndHygieneAgreeOnAllowance: on the demo tenant, every
// workspace's STATUS in the summary and the workspace-* hygiene check of
// each of its models say the same thing. Supply Chain Planning is filled
// to 80%, as a few days of the demo's growth leave it, so that the demo has
// a workspace at every level and the agreement is tested, not assumed.
func TestSummaryAndHygieneAgreeOnAllowance(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	for i, w := range tenant.Workspaces {
		if w.Name == "Supply Chain Planning" {
			tenant.Workspaces[i].CurrentSize = w.SizeAllowance / 5 * 4
		}
	}
	r, org := organiseDemo(t, tenant)
	checkOf := map[string]string{} // model id -> its workspace-* finding
	for _, f := range org.Hygiene {
		if strings.HasPrefix(string(f.Check), "workspace-") {
			if prev, ok := checkOf[f.ModelID]; ok {
				t.Errorf("model %s has two workspace findings: %s and %s", f.ModelName, prev, f.Check)
			}
			checkOf[f.ModelID] = string(f.Check)
		}
	}
	seen := map[string]bool{}
	for _, u := range r.Summary().Workspaces {
		status := u.Status()
		seen[status] = true
		want := ""
		if status != "" {
			want = "workspace-" + strings.ReplaceAll(status, " ", "-")
		}
		for _, m := range r.Models {
			if m.CurrentWorkspaceID == u.ID && checkOf[m.ID] != want {
				t.Errorf("%s at %.1f%%: the summary says %q, hygiene flags its model %s %q", u.Name, u.UsedPercent, status, m.Name, checkOf[m.ID])
			}
		}
	}
	for _, level := range []string{"", "near allowance", "nearly full", "over allowance"} {
		if !seen[level] {
			t.Errorf("no demo workspace is %q: the test no longer covers that level", level)
		}
	}
}

func TestAllowanceLevels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pct   float64
		known bool
		want  registry.AllowanceLevel
	}{
		{0, false, registry.AllowanceRoom},
		{150, false, registry.AllowanceRoom},
		{74.9, true, registry.AllowanceRoom},
		{registry.NearAllowancePercent, true, registry.AllowanceNear},
		{89.9, true, registry.AllowanceNear},
		{registry.NearlyFullPercent, true, registry.AllowanceNearlyFull},
		{100, true, registry.AllowanceNearlyFull},
		{100.1, true, registry.AllowanceOver},
	} {
		if got := registry.LevelOfPercent(tc.pct, tc.known); got != tc.want {
			t.Errorf("LevelOfPercent(%v, %v) = %q, want %q", tc.pct, tc.known, got, tc.want)
		}
	}
}
