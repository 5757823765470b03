package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestRegistryRefusesFlagsThatDoNothing: a flag that only means something
// beside another is refused without it, before any request and before any
// file is written, as -prune without -sync always was; -load and -sync,
// two ways to write the same registry, are refused together.
func TestRegistryRefusesFlagsThatDoNothing(t *testing.T) {
	clitest.Offline(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-process", "Load Model Registry"}, "-process needs -load"},
		{[]string{"-sync", "-process", "Load Model Registry"}, "-process needs -load"},
		{[]string{"-prune"}, "-prune needs -sync"},
		{[]string{"-load", "-sync"}, "-load and -sync both write the registry into the model"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		res := clitest.Run(t, run, append([]string{"-out", out}, c.args...)...)
		if res.Code != 2 || !strings.Contains(res.Stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want a usage error saying %q", c.args, res.Code, res.Stderr, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%q: the refused run created %s", c.args, out)
		}
	}
}

// TestRegistryMessagesOfTheHistory: the first run does not speak of a last
// recorded run there is none of; a run that changed nothing does not send
// the user to an empty list.
func TestRegistryMessagesOfTheHistory(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	first := clitest.Run(t, run, "-out", out, "-advance-demo=false")
	if first.Code != 0 {
		t.Fatalf("exit %d: %s", first.Code, first.Stderr)
	}
	if strings.Contains(first.Stdout, "since the last recorded run") || !strings.Contains(first.Stdout, "the next asks only the models saved since") {
		t.Errorf("the first run's ALM line:\n%s", first.Stdout)
	}
	second := clitest.Run(t, run, "-out", out, "-advance-demo=false")
	if second.Code != 0 {
		t.Fatalf("exit %d: %s", second.Code, second.Stderr)
	}
	if !strings.Contains(second.Stdout, "unchanged since the last recorded run") {
		t.Errorf("the second run's ALM line:\n%s", second.Stdout)
	}
	if !strings.Contains(second.Stdout, "; no changes since run 1.\n") || strings.Contains(second.Stdout, "registry-diff") {
		t.Errorf("a run that changed nothing:\n%s", second.Stdout)
	}
	third := clitest.Run(t, run, "-out", out) // the demo tenant moves a day on
	if third.Code != 0 {
		t.Fatalf("exit %d: %s", third.Code, third.Stderr)
	}
	if !strings.Contains(third.Stdout, "since run 2 (go run ./scripts/registry-diff for the list).") {
		t.Errorf("a run that changed something:\n%s", third.Stdout)
	}
}
