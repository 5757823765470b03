package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestRegistryRefusesOutOfRangeNumbers: each numeric flag out of its
// range is a usage error naming that flag and the range, not a sentence
// about all three.
func TestRegistryRefusesOutOfRangeNumbers(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	for _, tc := range []struct{ flag, value, want string }{
		{"-stale-days", "0", "1 to 3650"},
		{"-idle-days", "4000", "1 to 3650"},
		{"-alm-concurrency", "0", "1 to 32"},
		{"-alm-concurrency", "1000", "1 to 32"},
	} {
		res := clitest.Run(t, run, "-out", out, tc.flag, tc.value)
		if res.Code != 2 || !strings.Contains(res.Stderr, "flag "+tc.flag+":") || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("%s %s: exit %d, stderr %q; want exit 2 naming %s and %q", tc.flag, tc.value, res.Code, res.Stderr, tc.flag, tc.want)
		}
	}
}
