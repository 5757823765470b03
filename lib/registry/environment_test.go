package registry_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

func TestDefaultRulesClassifyHowTenantsNameCopies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, workspace, state string
		category               string // Environment category value
		want                   registry.Environment
	}{
		{"Sales - DEV", "Sales", "UNLOCKED", "", registry.EnvDev},
		{"Sales Development", "Sales", "UNLOCKED", "", registry.EnvDev},
		{"Sales - D", "Sales", "UNLOCKED", "", registry.EnvDev},
		{"Sales_TEST", "Sales", "LOCKED", "", registry.EnvTest},
		{"Sales QA", "Sales", "LOCKED", "", registry.EnvTest},
		{"Sales UAT", "Sales", "LOCKED", "", registry.EnvUAT},
		{"Sales Pre-prod", "Sales", "LOCKED", "", registry.EnvUAT},
		{"Sales_PRD", "Sales", "UNLOCKED", "", registry.EnvProd},
		{"Sales Live", "Sales", "UNLOCKED", "", registry.EnvProd},
		{"Sales", "Sales", "PRODUCTION", "", registry.EnvProd},
		{"Copy of Sales", "Sales", "UNLOCKED", "", registry.EnvSandbox},
		{"Sales", "Sandbox", "UNLOCKED", "", registry.EnvSandbox},
		{"Sales Archive", "Sales", "UNLOCKED", "", registry.EnvArchive},
		{"Sales", "Legacy 2019", "UNLOCKED", "", registry.EnvArchive},
		{"Sales - DEV", "Sales", "ARCHIVED", "", registry.EnvArchive},
		{"Sales", "Sales", "UNLOCKED", "Production", registry.EnvProd},
		{"Sales", "Sales", "UNLOCKED", "", registry.EnvUnknown},
		{"Device Planning", "Sales", "UNLOCKED", "", registry.EnvUnknown}, // "Dev" only as a whole word
	} {
		m := anaplan.Model{ID: "M", Name: tc.name, ActiveState: anaplan.ModelState(tc.state), CurrentWorkspaceID: "w"}
		if tc.category != "" {
			m.CategoryValues = []anaplan.CategoryValue{{CategoryName: "Environment", Attribute: tc.category}}
		}
		r := registry.New([]anaplan.Workspace{{ID: "w", Name: tc.workspace}}, []anaplan.Model{m})
		p := r.Organise(registry.OrganiseOptions{}).Models[0]
		if p.Environment != tc.want || p.Rule == "" {
			t.Errorf("%q in %q (%s, %q): %s by %q, want %s", tc.name, tc.workspace, tc.state, tc.category, p.Environment, p.Rule, tc.want)
		}
	}
}

func TestRulesFileComesFirst(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rules.csv")
	os.WriteFile(path, []byte("# our tenant\nenvironment,field,pattern,why\nprod,workspace,^Live Models$,the live workspace\ndev,category:Stage,^build$,\n"), 0o644)
	rules, err := registry.LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	ws := []anaplan.Workspace{{ID: "w", Name: "Live Models"}, {ID: "v", Name: "Other"}}
	models := []anaplan.Model{
		{ID: "A", Name: "Plan - TEST", CurrentWorkspaceID: "w", ActiveState: "LOCKED"},
		{ID: "B", Name: "Plan", CurrentWorkspaceID: "v", ActiveState: "UNLOCKED",
			CategoryValues: []anaplan.CategoryValue{{CategoryName: "stage", Attribute: "Build"}}},
		{ID: "C", Name: "Plan - TEST", CurrentWorkspaceID: "v", ActiveState: "LOCKED"},
	}
	org := registry.New(ws, models).Organise(registry.OrganiseOptions{Rules: rules})
	want := map[string][2]string{"A": {"prod", "the live workspace"}, "B": {"dev", path + ":4"}, "C": {"test", "model name: TEST/QA"}}
	r := registry.New(ws, models)
	for i, m := range r.Models {
		p := org.Models[i]
		if w := want[m.ID]; string(p.Environment) != w[0] || p.Rule != w[1] {
			t.Errorf("model %s: %s by %q, want %s by %q", m.ID, p.Environment, p.Rule, w[0], w[1])
		}
	}
}

func TestRulesFileErrorsNameFileAndLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ content, want string }{
		{"", "rules.csv: empty rules file"},
		{"env,field\n", "rules.csv:1: the first row must be the header environment,field,pattern,why"},
		{"environment,field,pattern\nprd,model,x\n", `rules.csv:2: unknown environment "prd": use one of dev, test`},
		{"environment,field,pattern\n# note\nprod,name,x\n", `rules.csv:3: unknown field "name": use model, workspace, state or category:NAME`},
		{"environment,field,pattern\nprod,model,(\n", `rules.csv:2: pattern "(" is not a regular expression`},
		{"environment,field,pattern\nprod,model,\n", "rules.csv:2: empty pattern"},
		{"environment,field,pattern\nprod,model,x,why,extra\n", "rules.csv:2: 5 fields, want 3 or 4"},
		{"environment,field,pattern\nprod,model,\"x\n", "rules.csv:2: "},
	} {
		_, err := registry.ParseRules("rules.csv", strings.NewReader(tc.content))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseRules(%q) = %v, want an error containing %q", tc.content, err, tc.want)
		}
	}
	if _, err := registry.LoadRules(filepath.Join(t.TempDir(), "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("LoadRules(missing) = %v, want an error naming the file", err)
	}
}

// environmentRule names the state that matched, not its neighbour.
func TestProductionStateRuleSaysWhichState(t *testing.T) {
	t.Parallel()
	for state, want := range map[string]string{
		"PRODUCTION":             "activeState PRODUCTION (ALM production model)",
		"PRODUCTION_MAINTENANCE": "activeState PRODUCTION_MAINTENANCE (ALM production model in maintenance)",
	} {
		m := anaplan.Model{ID: "M", Name: "Sales", ActiveState: anaplan.ModelState(state), CurrentWorkspaceID: "w"}
		p := registry.New([]anaplan.Workspace{{ID: "w", Name: "Sales"}}, []anaplan.Model{m}).Organise(registry.OrganiseOptions{}).Models[0]
		if p.Environment != registry.EnvProd || p.Rule != want {
			t.Errorf("a %s model: %s by %q, want prod by %q", state, p.Environment, p.Rule, want)
		}
	}
}

// A name that is an environment word and nothing of substance is its own
// family, not a family of the noise left over; a real application still
// groups its copies.
func TestFamiliesOfNoiseNames(t *testing.T) {
	t.Parallel()
	ws := []anaplan.Workspace{{ID: "w", Name: "Sandbox – Model Builders"}}
	var models []anaplan.Model
	for i, n := range []string{"Scratch - do not use", "Test Model 1", "Model 1", "Test Model 1 - DEV", "Legacy Consolidation", "Consolidation - DEV"} {
		models = append(models, anaplan.Model{ID: string(rune('A' + i)), Name: n, ActiveState: "UNLOCKED", CurrentWorkspaceID: "w"})
	}
	org := registry.New(ws, models).Organise(registry.OrganiseOptions{})
	members := map[string][]string{}
	for _, f := range org.Families {
		for _, ms := range f.Models {
			for _, m := range ms {
				members[f.Name] = append(members[f.Name], m.Name)
			}
		}
	}
	for name, want := range map[string]int{"Scratch - do not use": 1, "Test Model 1": 2, "Model 1": 1, "Consolidation": 2} {
		if len(members[name]) != want {
			t.Errorf("family %q: %v, want %d models", name, members[name], want)
		}
	}
	if _, ok := members["do not use"]; ok || len(members) != 4 {
		t.Errorf("families %v, want the four above", members)
	}
}
