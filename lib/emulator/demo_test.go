package emulator_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestDemoTenantShape(t *testing.T) {
	t.Parallel()
	d := emulator.Demo()
	if n := len(d.Workspaces); n < 5 || n > 8 {
		t.Errorf("%d workspaces, want 5-8", n)
	}
	if n := len(d.Models); n < 30 || n > 40 {
		t.Errorf("%d models, want 30-40", n)
	}
	states := map[string]int{}
	for _, m := range d.Models {
		states[m.ActiveState]++
	}
	for _, s := range []string{"UNLOCKED", "ACTIVE", "PRODUCTION", "MAINTENANCE", "PRODUCTION_MAINTENANCE", "ARCHIVED", "LOCKED"} {
		if states[s] == 0 {
			t.Errorf("no model in state %s (%v)", s, states)
		}
	}

	nasty := map[string]func(string) bool{
		"comma":        func(n string) bool { return strings.Contains(n, ",") },
		"double quote": func(n string) bool { return strings.Contains(n, `"`) },
		"newline":      func(n string) bool { return strings.Contains(n, "\n") },
		"leading =":    func(n string) bool { return strings.HasPrefix(n, "=") },
		"non-ASCII":    func(n string) bool { return strings.Contains(n, "東京") },
		"dev copy":     func(n string) bool { return strings.HasSuffix(n, " - DEV") },
		"test copy":    func(n string) bool { return strings.HasSuffix(n, " - TEST") },
		"dated copy":   func(n string) bool { return strings.Contains(n, "(copy 2024-03)") },
	}
	for what, match := range nasty {
		found := false
		for _, m := range d.Models {
			found = found || match(m.Name)
		}
		if !found {
			t.Errorf("no model name with a %s", what)
		}
	}

	ws := map[string]emulator.Workspace{}
	nearFull, overFull := 0, 0
	for _, w := range d.Workspaces {
		ws[w.ID] = w
		var sum int64
		for _, m := range d.Models {
			if m.WorkspaceID == w.ID {
				sum += m.MemoryUsage
			}
		}
		if sum != w.CurrentSize {
			t.Errorf("workspace %q: currentSize %d, models add up to %d", w.Name, w.CurrentSize, sum)
		}
		switch ratio := float64(w.CurrentSize) / float64(w.SizeAllowance); {
		case ratio > 1:
			overFull++
		case ratio >= 0.9:
			nearFull++
		}
	}
	if nearFull != 1 || overFull != 1 {
		t.Errorf("%d workspaces at 90-100%% and %d over their allowance, want 1 and 1", nearFull, overFull)
	}

	var registry, noAccess *emulator.Model
	for i, m := range d.Models {
		switch m.ID {
		case emulator.RegistryModelID:
			registry = &d.Models[i]
		case emulator.DemoNoAccessModelID:
			noAccess = &d.Models[i]
		}
	}
	if registry == nil || registry.Name != "Model Registry" || registry.WorkspaceID != emulator.RegistryWorkspaceID ||
		ws[emulator.RegistryWorkspaceID].Name != "Admin Tools" {
		t.Errorf("registry model = %+v", registry)
	}
	if noAccess == nil || len(noAccess.NoAccessUserIDs) != 1 || noAccess.NoAccessUserIDs[0] != emulator.DemoUserID {
		t.Errorf("no-access model = %+v", noAccess)
	}
	for _, m := range d.Models {
		if m.MemoryUsage < 50<<20 || m.MemoryUsage > 10<<30 {
			t.Errorf("model %q: implausible size %d", m.Name, m.MemoryUsage)
		}
		if !m.Created.Before(m.LastModified) || m.LastModified.After(emulator.AdvanceEpoch) {
			t.Errorf("model %q: created %v, modified %v (day 0 is %v)", m.Name, m.Created, m.LastModified, emulator.AdvanceEpoch)
		}
	}
}

// The demo's dates tell a story that adds up on day 0: a model whose name
// carries a date was created then, and most live models were worked on in
// the last half year (a few stale ones are there for hygiene to find).
func TestDemoDatesAddUp(t *testing.T) {
	dated := regexp.MustCompile(`\b(20\d\d)(?:-(\d\d))?\b`)
	stale, live := 0, 0
	for _, m := range emulator.Demo().Models {
		if g := dated.FindStringSubmatch(m.Name); g != nil {
			want := g[1]
			got := m.Created.Format("2006")
			if g[2] != "" {
				want, got = g[1]+"-"+g[2], m.Created.Format("2006-01")
			}
			if got != want {
				t.Errorf("%q was created %s", m.Name, m.Created.Format(time.DateOnly))
			}
		}
		if m.ActiveState == "ARCHIVED" {
			continue
		}
		live++
		if emulator.AdvanceEpoch.Sub(m.LastModified) > 180*24*time.Hour {
			stale++
		}
	}
	if stale == 0 || stale*3 > live {
		t.Errorf("%d of %d live models not modified for 180 days on day 0: want a few, not most", stale, live)
	}
}

func TestDemoIsDeterministicAndIndependent(t *testing.T) {
	t.Parallel()
	a, b := emulator.Demo(), emulator.Demo()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Demo() differs between calls")
	}
	a.Models[0].Name = "changed"
	if emulator.Demo().Models[0].Name == "changed" {
		t.Fatal("Demo() shares state between calls")
	}
}

func TestPasswordHashesAreRedactedInOutput(t *testing.T) {
	t.Parallel()
	hash := emulator.HashPassword(emulator.DemoPassword)
	raw := [32]byte(hash)
	for _, format := range []string{"%v", "%+v", "%#v", "%x", "%s"} {
		s := sprintf(format, emulator.Demo())
		if strings.Contains(s, emulator.DemoPassword) || strings.Contains(s, sprintf("%x", raw[:8])) ||
			strings.Contains(s, sprintf("%v", raw[:4])) || !strings.Contains(s, "[redacted]") {
			t.Errorf("%s of the tenant shows the password or its hash: %.300s", format, s)
		}
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	hex32 := regexp.MustCompile(`^[0-9A-F]{32}$`)
	for _, tc := range []struct{ workspaces, models, wantWS, wantModels int }{
		{50, 20_000, 50, 20_000},
		{1, 1, 1, 1},
		{0, 0, 1, 0},
		{3, -5, 3, 0},
	} {
		g := emulator.Generate(tc.workspaces, tc.models)
		if len(g.Workspaces) != tc.wantWS || len(g.Models) != tc.wantModels {
			t.Errorf("Generate(%d, %d): %d workspaces, %d models", tc.workspaces, tc.models, len(g.Workspaces), len(g.Models))
			continue
		}
		if _, err := emulator.New(emulator.Options{Tenant: g}); err != nil {
			t.Errorf("Generate(%d, %d) is not a valid tenant: %v", tc.workspaces, tc.models, err)
		}
		if g.Workspaces[0].ID != emulator.RegistryWorkspaceID || (len(g.Models) > 0 && g.Models[0].ID != emulator.RegistryModelID) {
			t.Errorf("Generate(%d, %d): registry workspace/model missing", tc.workspaces, tc.models)
		}
		for _, m := range g.Models {
			if !hex32.MatchString(m.ID) {
				t.Fatalf("model ID %q", m.ID)
			}
		}
	}
	if !reflect.DeepEqual(emulator.Generate(7, 500), emulator.Generate(7, 500)) {
		t.Error("Generate is not deterministic")
	}
}
