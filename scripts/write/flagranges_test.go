package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestWriteRefusesOutOfRangeBatch: -batch takes 1 to Anaplan's 100,000;
// 0 used to pass as "the default" though the help gave no such value.
func TestWriteRefusesOutOfRangeBatch(t *testing.T) {
	clitest.Offline(t)
	file := writeFile(t, "x.csv", "code\nA\n")
	for _, v := range []string{"0", "-1", "100001", "lots"} {
		res := clitest.Run(t, run, "-list", "W1 Workspaces", "-file", file, "-batch", v)
		if res.Code != 2 || !strings.Contains(res.Stderr, "flag -batch") || !strings.Contains(res.Stderr, "1 to 100000") {
			t.Errorf("-batch %s: exit %d, stderr %q; want exit 2 naming -batch and 1 to 100000", v, res.Code, res.Stderr)
		}
	}
}
