package notebooks_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Unit tests of the harness itself: they need neither Jupyter nor GoNB.

func mustShown(t *testing.T, notebook string) []shownCell {
	t.Helper()
	nb, err := parseNotebook([]byte(notebook))
	if err != nil {
		t.Fatal(err)
	}
	return shown(nb)
}

func TestCompareIgnoresWhatChangesBetweenRuns(t *testing.T) {
	t.Parallel()
	committed := mustShown(t, `{"metadata": {"language_info": {"version": "go1.25.0"}}, "cells": [
	  {"cell_type": "markdown", "id": "a", "source": "# Title"},
	  {"cell_type": "code", "id": "b", "execution_count": 7, "metadata": {"collapsed": true}, "source": ["%%\n", "run()"],
	   "outputs": [
	     {"output_type": "stream", "name": "stdout", "text": ["built gonb_0a1b2c3d\n", "one\n"]},
	     {"output_type": "stream", "name": "stdout", "text": "two\n"},
	     {"output_type": "display_data", "metadata": {"isolated": true}, "data": {"text/html": ["<b>", "x</b>"], "text/plain": "x"}},
	     {"output_type": "stream", "name": "stderr", "text": "\u001b[7mwarn\u001b[0m\r\n"}
	   ]}
	]}`)
	fresh := mustShown(t, `{"metadata": {"language_info": {"version": "go1.26.8"}}, "cells": [
	  {"cell_type": "markdown", "id": "x1", "source": "# Title"},
	  {"cell_type": "code", "id": "x2", "execution_count": 2, "metadata": {}, "source": "%%\nrun()",
	   "outputs": [
	     {"output_type": "display_data", "metadata": {}, "data": {"text/plain": ["x"], "text/html": "<b>x</b>"}},
	     {"output_type": "stream", "name": "stderr", "text": "warn\n"},
	     {"output_type": "stream", "name": "stdout", "text": "built gonb_9f8e7d6c\none\ntwo\n"}
	   ]}
	]}`)
	if diff := compareShown(committed, fresh); diff != "" {
		t.Errorf("runs that differ only in ids, counts, metadata, stream chunks, interleaving, colours and GoNB's temp names compare different:\n%s", diff)
	}
}

func TestCompareShowsFirstDifferingCell(t *testing.T) {
	t.Parallel()
	notebook := func(second, third string) string {
		return `{"cells": [
		  {"cell_type": "code", "source": "first()", "outputs": [{"output_type": "stream", "name": "stdout", "text": "same\n"}]},
		  {"cell_type": "markdown", "source": "prose"},
		  {"cell_type": "code", "source": "second()", "outputs": [{"output_type": "stream", "name": "stdout", "text": "a\nb\n` + second + `\nd\n"}]},
		  {"cell_type": "code", "source": "third()", "outputs": [{"output_type": "stream", "name": "stdout", "text": "` + third + `\n"}]}
		]}`
	}
	diff := compareShown(mustShown(t, notebook("old", "x")), mustShown(t, notebook("new", "y")))
	for _, want := range []string{"cell 3 shows something else", "    second()", "  b\n- old\n+ new\n  d\n"} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff does not contain %q:\n%s", want, diff)
		}
	}
	if strings.Contains(diff, "third()") {
		t.Errorf("diff goes past the first differing cell:\n%s", diff)
	}
}

func TestCompareShowsImagesByDigest(t *testing.T) {
	t.Parallel()
	png := func(base64 string) []shownCell {
		return mustShown(t, `{"cells": [{"cell_type": "code", "source": "plot()", "outputs": [
		  {"output_type": "display_data", "data": {"image/png": "`+base64+`\n"}}]}]}`)
	}
	if diff := compareShown(png("iVBORw0KGgo="), png("iVBORw0KGgo=")); diff != "" {
		t.Errorf("equal images compare different:\n%s", diff)
	}
	diff := compareShown(png("iVBORw0KGgo="), png("iVBORw0KGgoAAAA="))
	if !strings.Contains(diff, "- [image/png] 13 base64 bytes, sha256 ") || !strings.Contains(diff, "+ [image/png] 17 base64 bytes") {
		t.Errorf("differing images are not reported by size and digest:\n%s", diff)
	}
}

func TestCompareCountsCodeCells(t *testing.T) {
	t.Parallel()
	one := mustShown(t, `{"cells": [{"cell_type": "code", "source": "a()", "outputs": []}]}`)
	two := mustShown(t, `{"cells": [{"cell_type": "code", "source": "a()", "outputs": []}, {"cell_type": "code", "source": "b()", "outputs": []}]}`)
	if diff := compareShown(one, two); !strings.Contains(diff, "1 code cells, the executed one 2") {
		t.Errorf("compareShown(1 cell, 2 cells) = %q", diff)
	}
}

func TestParseNotebookRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`not json`, `{"cells": [{"source": 42}]}`} {
		if _, err := parseNotebook([]byte(bad)); err == nil {
			t.Errorf("parseNotebook(%s) succeeded", bad)
		}
	}
}

func TestLineDiff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ want, got, diff string }{
		{"a\nb\nc\n", "a\nc\n", "  a\n- b\n  c\n"},
		{"a\n", "a\nb\n", "  a\n+ b\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\nx\n", "1\n2\n3\n4\n5\n6\n7\n8\ny\n",
			"  ... 5 unchanged lines\n  6\n  7\n  8\n- x\n+ y\n"},
	} {
		if got := lineDiff(tc.want, tc.got); got != tc.diff {
			t.Errorf("lineDiff(%q, %q) =\n%s\nwant\n%s", tc.want, tc.got, got, tc.diff)
		}
	}
}

// TestKernelEnvironment checks that notebooks never see the caller's Anaplan
// settings (so a developer's credentials cannot leak into a test run) nor
// Jupyter or go.work settings that would change which kernel or modules run.
func TestKernelEnvironment(t *testing.T) {
	for name, value := range map[string]string{
		"ANAPLAN_PASSWORD": "secret", envFileVar: "/home/dev/.env", "JUPYTER_PATH": "/elsewhere",
		"GOWORK": "/elsewhere/go.work", "GONB_DIR": "/elsewhere", "KEEP_ME": "kept",
	} {
		t.Setenv(name, value)
	}
	k := &kernel{bin: filepath.FromSlash("/repo/.cache/jupyter/bin"), data: "/data", config: "/config"}
	env := k.env("/scratch")

	for _, want := range []string{
		envFileVar + "=" + os.DevNull, "JUPYTER_DATA_DIR=/data", "JUPYTER_CONFIG_DIR=/config",
		"TMPDIR=/scratch", "KEEP_ME=kept",
	} {
		if !slices.Contains(env, want) {
			t.Errorf("kernel environment lacks %s", want)
		}
	}
	names := map[string]int{}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		names[name]++
		switch {
		case strings.HasPrefix(name, "ANAPLAN_") && name != envFileVar,
			name == "JUPYTER_PATH", name == "GOWORK", strings.HasPrefix(name, "GONB_"):
			t.Errorf("kernel environment passes on %s", name)
		case name == "PATH" && !strings.HasPrefix(value, k.bin+string(filepath.ListSeparator)):
			t.Errorf("kernel PATH %q does not start with %s", value, k.bin)
		}
	}
	for name, n := range names {
		if n > 1 {
			t.Errorf("kernel environment sets %s %d times", name, n)
		}
	}
}

func TestUnsyncedDisplayIsRejected(t *testing.T) {
	t.Parallel()
	cells := mustShown(t, `{"cells": [
	  {"cell_type": "code", "source": "func displayHTML(h string) { gonbui.DisplayHTML(h); gonbui.Sync() }", "outputs": []},
	  {"cell_type": "code", "source": "%%\ndisplayHTML(table())", "outputs": []}
	]}`)
	if err := unsyncedDisplay(cells); err != nil {
		t.Errorf("synced displays rejected: %v", err)
	}
	cells = append(cells, mustShown(t, `{"cells": [{"cell_type": "code", "source": "%%\ngonbui.UpdateHTML(id, h)", "outputs": []}]}`)...)
	if err := unsyncedDisplay(cells); err == nil || !strings.Contains(err.Error(), "gonbui.UpdateHTML(id, h)") {
		t.Errorf("unsyncedDisplay(cell with gonbui.UpdateHTML and no Sync) = %v, want an error quoting the cell", err)
	}
}
