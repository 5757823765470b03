// Tests that execute every lesson notebook headless with GoNB, fail on any
// failing cell and check that the committed outputs are what a fresh run
// shows. See README.md in this folder for how to write a notebook here.
package notebooks_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// lessonPattern matches the lesson notebooks: NN-topic.ipynb.
const lessonPattern = "[0-9][0-9]-*.ipynb"

// TestNotebooks executes every lesson notebook and checks that each cell
// shows what the committed notebook shows.
func TestNotebooks(t *testing.T) {
	names, err := filepath.Glob(lessonPattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Logf("no lesson notebooks (%s) yet", lessonPattern)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkCommitted(t, name)
		})
	}
}

// TestHarnessSmoke proves the harness end to end on a small notebook that
// uses the setup cell every lesson starts with: the local module, gota and
// gonbui resolve, HTML shows escaped, and no Anaplan setting of the caller
// reaches the kernel.
func TestHarnessSmoke(t *testing.T) {
	// A canary the scrubbed environment must not pass on (t.Setenv also
	// keeps this test from running in parallel with notebook executions).
	t.Setenv("ANAPLAN_CLIENT_SECRET", "canary-must-not-reach-the-kernel")

	checkCommitted(t, "testdata/smoke.ipynb")
	nb := executed(t, "testdata/smoke.ipynb")

	for _, tc := range []struct{ code, want string }{
		{`anaplan.ModelState("ACTIVE").Known()`, "ACTIVE is a known model state: true"},
		{`anaplan.ModelState("ACTIVE").Known()`, "dataframe: 3 rows x 3 columns"},
		{"displayHTML(htmlTable(models()))", "[text/html]\n<table>"},
		{"displayHTML(htmlTable(models()))", "<td>Sales &lt;FY25&gt; &amp; Forecast</td>"},
		{"ANAPLAN_", "--- stdout\n" + envFileVar + "\n"},
	} {
		if got := nb.cell(t, tc.code).text(); !strings.Contains(got, tc.want) {
			t.Errorf("the cell with %q shows\n%s\nwant it to contain %q", tc.code, got, tc.want)
		}
	}
	if strings.Contains(nb.text(), "canary") || strings.Contains(nb.text(), "ANAPLAN_CLIENT_SECRET") {
		t.Errorf("the caller's ANAPLAN_CLIENT_SECRET reached the kernel:\n%s", nb.text())
	}
}

// TestHarnessReportsFailingCell checks that a failing cell fails the run with
// its source and error, and with what a failed shell command printed before.
func TestHarnessReportsFailingCell(t *testing.T) {
	t.Parallel()
	_, err := execute("testdata/failing.ipynb")
	if err == nil {
		t.Fatal("executing testdata/failing.ipynb succeeded, want the error of its cell 3")
	}
	if !strings.Contains(err.Error(), "cell 3 failed") {
		t.Fatalf("executing testdata/failing.ipynb failed otherwise than in its cell 3:\n%v", err)
	}
	for _, want := range []string{
		"--- stderr of cell 2\nsetup went wrong\n",
		"--- source of cell 3\n    %%\n    fmt.Println(\"unreachable\")\n    undefinedFunction()",
		"undefined: undefinedFunction",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not contain %q; it is:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "after the failure") {
		t.Errorf("the error reports a cell after the failing one:\n%v", err)
	}
}
