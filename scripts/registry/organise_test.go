package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestRegistryOrganisesTheDemoTenant runs the script on the demo tenant:
// families.csv holds the declared flags, registry.csv gives every model an
// environment and a family, the summary names the flagged families, and a
// second run answers ALM from the cache.
func TestRegistryOrganisesTheDemoTenant(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	res := clitest.Run(t, run, "-out", out)
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	families := readCSV(t, filepath.Join(out, "families.csv"))
	flags := column(t, families, "flags")
	for _, f := range emulator.DemoFamilies() {
		if got := flags[f.Name]; got != strings.Join(f.Flags, " ") {
			t.Errorf("families.csv: %q flags %q, want %q", f.Name, got, strings.Join(f.Flags, " "))
		}
	}
	reg := readCSV(t, filepath.Join(out, "registry.csv"))
	env, fam := column(t, reg, "environment"), column(t, reg, "family")
	if len(env) != len(emulator.Demo().Models) {
		t.Fatalf("registry.csv has %d models", len(env))
	}
	for id, e := range env {
		if e == "" || fam[id] == "" {
			t.Errorf("model %s: environment %q, family %q", id, e, fam[id])
		}
	}
	for _, want := range []string{"Environments per workspace:", "production-behind", "multiple-production", "changed-outside-alm", "Hygiene (see hygiene.csv):"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("the summary does not show %q:\n%s", want, res.Stdout)
		}
	}
	hygiene := readCSV(t, filepath.Join(out, "hygiene.csv"))
	if !slices.ContainsFunc(hygiene, func(r []string) bool { return r[0] == "no-access" && r[1] == emulator.DemoNoAccessModelID }) {
		t.Errorf("hygiene.csv does not list the model the user cannot open")
	}

	again := clitest.Run(t, run, "-out", out, "-advance-demo=false")
	if again.Code != 0 || !strings.Contains(again.Stdout, "ALM: 0 models asked (0 calls), 39 unchanged") {
		t.Errorf("second run: exit %d, want no ALM call:\n%s", again.Code, again.Stdout)
	}
}

func TestRegistryWithoutALM(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	res := clitest.Run(t, run, "-out", out, "-alm=false")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	db, err := history.Open(t.Context(), filepath.Join(out, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tenants, _ := db.Tenants(t.Context())
	snaps, err := db.Latest(t.Context(), tenants[0], 1)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("history after one run: %d snapshots, %v", len(snaps), err)
	}
	for _, m := range snaps[0].Models {
		if m.ALM != "" || m.ALMStatus != "" {
			t.Fatalf("-alm=false recorded ALM for %s: %q %q", m.ID, m.ALMStatus, m.ALM)
		}
	}
	families := readCSV(t, filepath.Join(out, "families.csv"))
	if lineage := column(t, families, "lineage"); slices.Contains(mapValues(lineage), "true") {
		t.Error("-alm=false still found lineage")
	}
	if !strings.Contains(res.Stdout, "by name (no ALM lineage)") {
		t.Errorf("the summary does not say families are by name:\n%s", res.Stdout)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestRegistryRulesFile(t *testing.T) {
	clitest.Offline(t)
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.csv")
	os.WriteFile(rules, []byte("environment,field,pattern,why\nprod,model,^Model Registry$,the registry is production\n"), 0o644)
	out := filepath.Join(dir, "out")
	if res := clitest.Run(t, run, "-out", out, "-alm=false", "-rules", rules); res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	reg := readCSV(t, filepath.Join(out, "registry.csv"))
	if got := column(t, reg, "environmentRule")[emulator.RegistryModelID]; got != "the registry is production" {
		t.Errorf("environmentRule of the registry model = %q", got)
	}

	os.WriteFile(rules, []byte("environment,field,pattern\nprd,model,x\n"), 0o644)
	bad := filepath.Join(dir, "bad")
	res := clitest.Run(t, run, "-out", bad, "-rules", rules)
	if res.Code == 0 || !strings.Contains(res.Stderr, rules+`:2: unknown environment "prd"`) {
		t.Errorf("a bad rules file: exit %d, stderr %q; want it to name the file and line", res.Code, res.Stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a bad rules file still wrote output")
	}
}
