package cli_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// TestIntRangeVar: in range is taken, out of range or not a number is a
// usage error naming the flag and the range, and -h shows both the range
// and the default.
func TestIntRangeVar(t *testing.T) {
	t.Parallel()
	parse := func(args ...string) (int, string, error) {
		var out bytes.Buffer
		fs := cli.NewFlagSet("demo", "Demonstrates.", &out)
		var n int
		cli.IntRangeVar(fs, &n, "size", 8, 1, 50, "chunk size in `MiB`")
		err := cli.Parse(fs, args)
		return n, out.String(), err
	}
	if n, _, err := parse(); n != 8 || err != nil {
		t.Errorf("no flag: %d, %v; want the default 8", n, err)
	}
	if n, _, err := parse("-size", "50"); n != 50 || err != nil {
		t.Errorf("-size 50: %d, %v", n, err)
	}
	for _, v := range []string{"0", "51", "-3", "8MB", ""} {
		_, _, err := parse("-size", v)
		var usage cli.UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "flag -size") || !strings.Contains(err.Error(), "use 1 to 50") {
			t.Errorf("-size %q: err = %v, want a usage error naming -size and 1 to 50", v, err)
		}
	}
	_, help, _ := parse("-h")
	if !strings.Contains(help, "-size MiB") || !strings.Contains(help, "chunk size in MiB, 1 to 50 (default 8)") {
		t.Errorf("help lacks the range or the default:\n%s", help)
	}
}
