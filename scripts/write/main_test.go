package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWriteNamesTheLineOfEachRejectedRow writes items whose second record
// spans two lines (a quoted newline), so the rejected row's line is not
// its record number plus one.
func TestWriteNamesTheLineOfEachRejectedRow(t *testing.T) {
	clitest.Offline(t)
	items := writeFile(t, "workspaces.csv", "code,Workspace Name\n"+
		"WS1,First\n"+
		"WS2,\"Second,\nwith a newline\"\n"+
		"WS1,Duplicate of the first\n"+
		"WS3,Third\n")
	res := clitest.Run(t, run, "-model", "Model Registry", "-list", "W1 Workspaces", "-file", items)
	if res.Code != 1 {
		t.Fatalf("exit %d, want 1 for a rejected row: %s %s", res.Code, res.Stdout, res.Stderr)
	}
	if !strings.Contains(res.Stdout, `list "W1 Workspaces" of model "Model Registry": 4 rows, 3 items added in 1 request, 1 rejected`) ||
		!strings.Contains(res.Stdout, items+" line 5: ") {
		t.Errorf("stdout does not report line 5:\n%s", res.Stdout)
	}

	cells := writeFile(t, "cells.csv", "Line Item,W1 Workspaces,Value\n"+
		"Size Allowance,WS1,1000\n"+
		"Current Size,WS2,20\n"+
		"Size Allowance,NO SUCH ITEM,5\n")
	res = clitest.Run(t, run, "-model", "Model Registry", "-module", "W1 Workspace Register", "-by-code", "-file", cells, "-batch", "2")
	if res.Code != 1 || !strings.Contains(res.Stdout, "3 rows, 2 cells changed in 2 requests, 1 rejected") ||
		!strings.Contains(res.Stdout, cells+" line 4: ") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestWriteBadInput(t *testing.T) {
	clitest.Offline(t)
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"no model":     {[]string{"-list", "W1 Workspaces", "-file", "x.csv"}, "-model is required"},
		"no target":    {[]string{"-file", "x.csv"}, "exactly one of -list or -module"},
		"no file":      {[]string{"-list", "W1 Workspaces"}, "-file is required"},
		"bad action":   {[]string{"-list", "L", "-file", "x", "-action", "upsert"}, `-action "upsert"`},
		"bad batch":    {[]string{"-list", "L", "-file", "x", "-batch", "100001"}, `"100001" for flag -batch`},
		"empty file":   {[]string{"-list", "W1 Workspaces", "-file", writeFile(t, "e.csv", "")}, "the file is empty"},
		"no such list": {[]string{"-list", "W9", "-file", writeFile(t, "x.csv", "code\nA\n")}, `no list named "W9"`},
	} {
		if name != "no model" {
			tt.args = append([]string{"-model", "Model Registry"}, tt.args...)
		}
		res := clitest.Run(t, run, tt.args...)
		if res.Code == 0 || !strings.Contains(res.Stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want it to say %q", name, res.Code, res.Stderr, tt.want)
		}
	}
}
