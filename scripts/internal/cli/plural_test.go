package cli_test

import (
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func TestCount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 rows"}, {1, "1 row"}, {2, "2 rows"}, {-1, "-1 row"}, {1000, "1000 rows"}} {
		if got := cli.Count(tc.n, "row"); got != tc.want {
			t.Errorf("Count(%d, \"row\") = %q, want %q", tc.n, got, tc.want)
		}
	}
}
