package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bytes"
	"context"

	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

type result struct {
	Stdout, Stderr string
	Code           int
}

// runSoak calls run as main would and returns what it printed and the
// exit code main would use.
func runSoak(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	code := cli.ExitCode(err, &stderr)
	return result{stdout.String(), stderr.String(), code}
}

// fakeRegistry writes an executable shell script that stands in for the
// registry binary: it receives "-env FILE -out DIR" like the real one.
func fakeRegistry(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry")
	script := "#!/bin/sh\nenv_file=$2\nout=$4\nmkdir -p \"$out\"\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSoakReplaysSeedsWithTheRealScript(t *testing.T) {
	t.Parallel()
	res := runSoak(t, "-seeds", "3,7", "-duration", "0", "-tenants", "demo", "-twice=false")
	if res.Code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, want := range []string{"Soak: 2 runs", "PROFILE", "read/demo/busy", "load/demo/busy"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.Stdout)
		}
	}
}

func TestSoakFailsOnAMismatch(t *testing.T) {
	t.Parallel()
	// Every run writes something new, so no run matches the fault-free one.
	bin := fakeRegistry(t, `cat /proc/sys/kernel/random/uuid > "$out/registry.csv"; echo summary`)
	res := runSoak(t, "-registry", bin, "-seeds", "1,2", "-duration", "0", "-tenants", "demo", "-flows", "read", "-profiles", "busy")
	if res.Code != 1 || !strings.Contains(res.Stderr, "2 runs failed or wrote something other") {
		t.Fatalf("exit %d, stderr %q; want exit 1 and the count of bad runs", res.Code, res.Stderr)
	}
	for _, want := range []string{"registry.csv: differs", "seed 1", "seed 2", "replay with go run ./scripts/sandbox -token-ttl 2s -rate-limit 0.15"} {
		if !strings.Contains(res.Stdout+res.Stderr, want) {
			t.Errorf("output lacks %q:\n%s\n%s", want, res.Stdout, res.Stderr)
		}
	}
}

func TestSoakFailsWhenARunFails(t *testing.T) {
	t.Parallel()
	// The fault-free run succeeds (its .env has no faults to name); faulted
	// runs fail like a script that gave up.
	bin := fakeRegistry(t, `echo ok > "$out/registry.csv"
case "$env_file" in *fault-free*) exit 0;; esac
echo "registry: anaplan: GET /2/0/models: 503 Service Unavailable" >&2; exit 1`)
	res := runSoak(t, "-registry", bin, "-seeds", "5", "-duration", "0", "-tenants", "demo", "-flows", "read", "-profiles", "flaky-network")
	if res.Code != 1 || !strings.Contains(res.Stdout+res.Stderr, "503 Service Unavailable") {
		t.Fatalf("exit %d; want 1 and the script's reason\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestSoakStopsWhenTheBaselineFails(t *testing.T) {
	t.Parallel()
	bin := fakeRegistry(t, `echo "registry: no credentials" >&2; exit 1`)
	res := runSoak(t, "-registry", bin, "-seeds", "1", "-duration", "0", "-tenants", "demo", "-flows", "read")
	if res.Code != 1 || !strings.Contains(res.Stderr, "fault-free read run on the demo tenant failed") || !strings.Contains(res.Stderr, "no credentials") {
		t.Fatalf("exit %d, stderr %q", res.Code, res.Stderr)
	}
}

func TestSoakBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-profiles", "chaos"}, `unknown profile "chaos"`},
		{[]string{"-tenants", "prod"}, `unknown tenant "prod"`},
		{[]string{"-seeds", "x"}, `"x" is not an integer`},
		{[]string{"-duration", "0"}, "nothing to run"},
		{[]string{"-concurrency", "0"}, "-concurrency 0: want 1 or more"},
		{[]string{"-workspaces", "0"}, "-workspaces 0: want 1 or more"},
		{[]string{"-models", "-1"}, "-models -1: want 0 or more"},
		{[]string{"-duration", "-1s"}, "-duration -1s: want 0 or more"},
		{[]string{"-flows", "sync"}, `unknown flow "sync"`},
		{[]string{"-flows", "load", "-tenants", "generated", "-seeds", "1"}, "needs the demo tenant"},
	} {
		res := runSoak(t, tc.args...)
		if res.Code != 2 || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, res.Code, res.Stderr, tc.want)
		}
	}
}
