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
