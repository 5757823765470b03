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

func TestWorkspacesBadSort(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-sort", "name")
	if res.Code != 1 || !strings.Contains(res.Stderr, "sort") {
		t.Errorf("exit %d, stderr %q: want the server's sort error", res.Code, res.Stderr)
	}
}
