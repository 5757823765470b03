package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestImportIntoAModelWithoutAccess: uploading into a model the demo user
// holds NO ACCESS on says so, rather than that the model lacks the data
// source, whichever of its lists the run reads first.
func TestImportIntoAModelWithoutAccess(t *testing.T) {
	clitest.Offline(t)
	ws := ""
	for _, m := range emulator.Demo().Models {
		if m.ID == emulator.DemoNoAccessModelID {
			ws = m.WorkspaceID
		}
	}
	file := writeCSV(t, "workspaces.csv", workspacesCSV)
	for name, extra := range map[string][]string{
		"list":    {"-list"},
		"import":  {"-file", file, "-import", "W1 Workspaces from workspaces.csv"},
		"process": {"-file", file, "-source", "workspaces.csv", "-process", "Load the registry"},
	} {
		res := clitest.Run(t, run, append([]string{"-workspace", ws, "-model", emulator.DemoNoAccessModelID}, extra...)...)
		if res.Code != 1 || !strings.Contains(res.Stderr, ": no access: ") || !strings.Contains(res.Stderr, "NO ACCESS role") {
			t.Errorf("%s: exit %d, want 1 and an error saying the user has no access to the model:\n%s", name, res.Code, res.Stderr)
		}
		if strings.Contains(res.Stderr, "has no import data source") || strings.Contains(res.Stderr, "has no file named") {
			t.Errorf("%s: the error blames a missing data source:\n%s", name, res.Stderr)
		}
	}
}
