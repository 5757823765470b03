package main

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

func TestWorkspacesTable(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run)
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	for _, w := range emulator.Demo().Workspaces {
		if !strings.Contains(res.Stdout, w.Name) {
			t.Errorf("table lacks workspace %q", w.Name)
		}
	}
	if !strings.Contains(res.Stdout, "109.4%") {
		t.Errorf("table lacks the over-allowance workspace's usage:\n%s", res.Stdout)
	}
}

func TestWorkspacesCSVSortedBySize(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-format", "csv", "-sort", "-sizeAllowance")
	rows, err := csv.NewReader(strings.NewReader(res.Stdout)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Stdout)
	}
	if strings.Join(rows[0], ",") != "id,name,active,sizeAllowance,currentSize,usedPercent" {
		t.Errorf("header %v", rows[0])
	}
	for i := 2; i < len(rows); i++ {
		if len(rows[i][3]) > len(rows[i-1][3]) || (len(rows[i][3]) == len(rows[i-1][3]) && rows[i][3] > rows[i-1][3]) {
			t.Errorf("row %d (%s) is larger than the row before: not sorted by -sizeAllowance", i, rows[i][3])
		}
	}
}

// TestWorkspacesRefusesBadSort: a sort /workspaces refuses is a usage
// error naming -sort and its fields, before any request.
func TestWorkspacesRefusesBadSort(t *testing.T) {
	clitest.Offline(t)
	for _, tc := range []struct{ sort, want string }{
		{"sizeAllowance", "+ (ascending) or - (descending)"},
		{"name", "e.g. +name"},
		{"+currentSize", "name, sizeAllowance"},
	} {
		res := clitest.Run(t, run, "-sort", tc.sort)
		if res.Code != 2 || !strings.Contains(res.Stderr, "flag -sort") || !strings.Contains(res.Stderr, tc.want) || strings.Contains(res.Stderr, "emulator") {
			t.Errorf("-sort %s: exit %d, want 2 naming -sort and %q before connecting:\n%s", tc.sort, res.Code, tc.want, res.Stderr)
		}
	}
}

// TestWorkspacesJSONKeepsAmpersands: -format json is data, not HTML:
// "FP&A Planning" stays as it is, not "FP\u0026A Planning".
func TestWorkspacesJSONKeepsAmpersands(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-format", "json")
	if res.Code != 0 || !strings.Contains(res.Stdout, `"FP&A Planning"`) || strings.Contains(res.Stdout, `\u0026`) {
		t.Errorf("exit %d; want FP&A Planning with a plain &:\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}
