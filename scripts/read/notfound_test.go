package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestReadSaysWhyAModelAnswers404: a model the demo user holds NO ACCESS
// on, and a workspace that does not exist, each fail with what was asked,
// Anaplan's answer, and the likely cause, not a bare "404 Not Found".
func TestReadSaysWhyAModelAnswers404(t *testing.T) {
	clitest.Offline(t)
	for name, tt := range map[string]struct {
		args []string
		want []string
	}{
		"model without access": {
			[]string{"-model", emulator.DemoNoAccessModelID, "-list", "Employees"},
			[]string{"/models/" + emulator.DemoNoAccessModelID + "/lists", `404 Not Found: "Not Found"`,
				`("HR Compensation Planning (Restricted)", PRODUCTION)`, ": no access: ", "NO ACCESS role"},
		},
		"unknown workspace": {
			[]string{"-workspace", "XYZ", "-model", "Model Registry", "-list", "W1 Workspaces"},
			[]string{"GET ", "/2/0/workspaces/XYZ/models", `404 Not Found: "Not Found"`,
				"workspace XYZ does not exist or the user cannot see it", "scripts/workspaces"},
		},
	} {
		res := clitest.Run(t, run, tt.args...)
		if res.Code != 1 {
			t.Errorf("%s: exit %d, want 1; stderr %q", name, res.Code, res.Stderr)
		}
		for _, want := range tt.want {
			if !strings.Contains(res.Stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", name, want, res.Stderr)
			}
		}
	}
}
