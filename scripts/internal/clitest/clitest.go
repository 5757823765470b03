// Package clitest runs a script's run function in tests, offline: with
// every ANAPLAN_ variable blanked, so scripts fall back to the built-in
// emulator whatever the developer's environment or .env says.
package clitest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// Vars are the configuration variables the client reads.
var Vars = []string{
	"ANAPLAN_USERNAME", "ANAPLAN_PASSWORD", "ANAPLAN_CERT_FILE", "ANAPLAN_KEY_FILE",
	"ANAPLAN_KEY_PASSWORD", "ANAPLAN_CERT_FORMAT", "ANAPLAN_AUTH_URL", "ANAPLAN_API_URL",
	"ANAPLAN_AUTH", "ANAPLAN_OAUTH_CLIENT_ID", "ANAPLAN_OAUTH_URL", "ANAPLAN_REGION",
}

// Offline blanks every ANAPLAN_ variable for the rest of the test (a set
// but empty variable wins over .env). Tests that call it cannot be parallel.
func Offline(t *testing.T) {
	t.Helper()
	for _, k := range Vars {
		t.Setenv(k, "")
	}
	t.Setenv("ANAPLAN_TOKEN_CACHE", t.TempDir()) // never the developer's own cache
	t.Setenv("TMPDIR", t.TempDir())              // nor the demo tenant's state of earlier runs
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ANAPLAN_") && k != "ANAPLAN_TOKEN_CACHE" {
			t.Setenv(k, "")
		}
	}
}

// Result is what one run printed and returned.
type Result struct {
	Stdout, Stderr string
	Err            error
	Code           int // the exit code main would use
}

// Run calls run with args and an empty .env (the null device), unless args
// name one with -env.
func Run(t *testing.T, run cli.RunFunc, args ...string) Result {
	t.Helper()
	if !hasFlag(args, "env") {
		args = append([]string{"-env", os.DevNull}, args...)
	}
	var stdout, stderr, exit bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	code := cli.ExitCode(err, &exit)
	return Result{Stdout: stdout.String(), Stderr: stderr.String() + exit.String(), Err: err, Code: code}
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}
