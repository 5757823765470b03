package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// TestParseSaysWhatANumberFlagWants: the flag package answers a value it
// cannot parse with a bare "parse error"; Parse says what the flag wants
// instead, as a usage error naming the flag.
func TestParseSaysWhatANumberFlagWants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ args, want []string }{
		{[]string{"-seed", "abc"}, []string{`invalid value "abc" for flag -seed`, "not a whole number", "e.g. 0"}},
		{[]string{"-seed", "99999999999999999999"}, []string{"flag -seed", "not a whole number (or too large)"}},
		{[]string{"-rate", "lots"}, []string{"flag -rate", "not a number; e.g. 0.5"}},
		{[]string{"-wait", "soon"}, []string{"flag -wait", "not a duration; e.g. 500ms"}},
		{[]string{"-quiet=maybe"}, []string{"flag -quiet", "want true or false"}},
	} {
		var out bytes.Buffer
		fs := cli.NewFlagSet("demo", "Demonstrates.", &out)
		fs.Int64("seed", 0, "")
		fs.Float64("rate", 0.5, "")
		fs.Duration("wait", time.Second, "")
		fs.Bool("quiet", false, "")
		err := cli.Parse(fs, tc.args)
		var usage cli.UsageError
		if !errors.As(err, &usage) || strings.Contains(err.Error(), "parse error") {
			t.Errorf("%v: %v, want a usage error without \"parse error\"", tc.args, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q lacks %q", tc.args, err, w)
			}
		}
		if strings.Contains(out.String(), "parse error") || !strings.Contains(out.String(), "Usage of demo") {
			t.Errorf("%v: the flag set printed flag's own error, or no usage:\n%s", tc.args, out.String())
		}
	}
}

// TestExitCodeSaysWhatBecameOfAnInterruptedUpload: any script whose
// Ctrl-C stopped an upload (registry -load as well as import) ends with a
// line saying what became of the server file, not a bare "interrupted".
func TestExitCodeSaysWhatBecameOfAnInterruptedUpload(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("loading: %w", &anaplan.UploadInterruptedError{FileID: "113000000001", Err: context.Canceled, Chunks: 2, Outcome: anaplan.UploadDiscarded})
	var out bytes.Buffer
	if code := cli.ExitCode(err, &out); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	want := "interrupted during the upload to Anaplan file 113000000001: discarded the 2 chunks sent; the server file holds no uploaded data"
	if !strings.Contains(out.String(), want) {
		t.Errorf("exit line %q, want %q", out.String(), want)
	}
}
