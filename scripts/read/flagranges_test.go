package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestReadRefusesOutOfRangeLargeItems: -large-items is a count of list
// items, 1 to the most a list can index; 0 or less used to pass silently.
func TestReadRefusesOutOfRangeLargeItems(t *testing.T) {
	clitest.Offline(t)
	for _, v := range []string{"0", "-5", "1000000000"} {
		res := clitest.Run(t, run, "-list", "W1 Workspaces", "-large-items", v)
		if res.Code != 2 || !strings.Contains(res.Stderr, "flag -large-items") || !strings.Contains(res.Stderr, "1 to 999999999") {
			t.Errorf("-large-items %s: exit %d, stderr %q; want exit 2 naming -large-items and its range", v, res.Code, res.Stderr)
		}
	}
}
