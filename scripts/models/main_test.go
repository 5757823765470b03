package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

func TestModelsFilters(t *testing.T) {
	clitest.Offline(t)
	demo := emulator.Demo()
	for _, tc := range []struct {
		name string
		args []string
		keep func(emulator.Model) bool
	}{
		{"all", nil, func(emulator.Model) bool { return true }},
		{"archived", []string{"-state", "archived"}, func(m emulator.Model) bool { return m.ActiveState == "ARCHIVED" }},
		{"registry workspace", []string{"-workspace", emulator.RegistryWorkspaceID},
			func(m emulator.Model) bool { return m.WorkspaceID == emulator.RegistryWorkspaceID }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := clitest.Run(t, run, append(tc.args, "-format", "json")...)
			if res.Code != 0 {
				t.Fatalf("exit %d: %s", res.Code, res.Stderr)
			}
			var got []anaplan.Model
			if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, m := range demo.Models {
				if tc.keep(m) {
					want++
				}
			}
			if len(got) != want || want == 0 {
				t.Errorf("%d models, want %d", len(got), want)
			}
		})
	}
}

func TestModelsTableEscapesNames(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run)
	if !strings.Contains(res.Stdout, `Pipeline Forecast\nQ3 draft`) {
		t.Errorf("the name with a newline is not shown escaped on one line:\n%s", res.Stdout)
	}
}

func TestModelsUnknownWorkspace(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-workspace", "00000000000000000000000000000000")
	if res.Code != 1 || !strings.Contains(res.Stderr, "does not exist or you cannot see it") {
		t.Errorf("exit %d, stderr %q", res.Code, res.Stderr)
	}
}

// TestModelsRefusesBadStateAndSort: a state Anaplan never reports, or a
// sort /models refuses (an unknown field, a missing +/-), is a usage error
// naming the flag and the valid values, before any request; a valid one
// still works, in any case for -state.
func TestModelsRefusesBadStateAndSort(t *testing.T) {
	clitest.Offline(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-state", "FOO"}, []string{"-state", "UNLOCKED", "PRODUCTION_MAINTENANCE", "ARCHIVED"}},
		{[]string{"-sort", "+memoryUsage"}, []string{"-sort", "memoryUsage", "name, activeState"}},
		{[]string{"-sort", "name"}, []string{"-sort", "+ (ascending) or - (descending)"}},
		{[]string{"-sort", "+name,"}, []string{"-sort", "empty column"}},
	} {
		res := clitest.Run(t, run, tc.args...)
		if res.Code != 2 || strings.Contains(res.Stderr, "emulator") {
			t.Errorf("%v: exit %d, want 2 before connecting:\n%s", tc.args, res.Code, res.Stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(res.Stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, res.Stderr)
			}
		}
	}
	res := clitest.Run(t, run, "-state", "production", "-sort", "-name,+activeState", "-format", "json")
	var got []anaplan.Model
	if err := json.Unmarshal([]byte(res.Stdout), &got); res.Code != 0 || err != nil || len(got) == 0 {
		t.Fatalf("exit %d, %v: %s", res.Code, err, res.Stderr)
	}
	for i, m := range got {
		if m.ActiveState != anaplan.StateProduction || (i > 0 && got[i-1].Name < m.Name) {
			t.Errorf("model %d %q (%s): want PRODUCTION models by name, descending", i, m.Name, m.ActiveState)
		}
	}
}
