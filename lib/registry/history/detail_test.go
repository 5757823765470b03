package history_test

import (
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// A size change too small for one decimal of a percent does not read as
// "+0.0%", which says nothing changed.
func TestChangeDetailPercent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		bytes   int64
		percent float64
		want    string
	}{
		{2 << 20, 4.12, "+2.0 MiB (+4.1%)"},
		{-2 << 20, -4.12, "-2.0 MiB (-4.1%)"},
		{1992294, 0.02, "+1.9 MiB (<0.1%)"},
		{-1992294, -0.049, "-1.9 MiB (<0.1%)"},
		{1992294, 0.05, "+1.9 MiB (+0.1%)"},
		{1992294, 0, "+1.9 MiB"},
	} {
		c := history.Change{Kind: history.ModelGrown, Bytes: tc.bytes, Percent: tc.percent}
		if got := c.Detail(func(id string) string { return id }); got != tc.want {
			t.Errorf("%d bytes, %v%%: Detail = %q, want %q", tc.bytes, tc.percent, got, tc.want)
		}
	}
}
