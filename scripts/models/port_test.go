package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestInvalidPortFailsAtOnce: ANAPLAN_API_URL with a port no connection
// can use is a configuration error naming the setting, before any
// request, rather than a minute of retried network errors.
func TestInvalidPortFailsAtOnce(t *testing.T) {
	clitest.Offline(t)
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	t.Setenv("ANAPLAN_AUTH_URL", "http://127.0.0.1:99999")
	t.Setenv("ANAPLAN_API_URL", "http://127.0.0.1:99999/2/0")
	res := clitest.Run(t, run)
	if res.Code == 0 {
		t.Fatalf("exit 0 with an invalid port:\n%s", res.Stderr)
	}
	for _, want := range []string{"ANAPLAN_API_URL", "ANAPLAN_AUTH_URL", "port 99999 is not a valid port number"} {
		if !strings.Contains(res.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.Stderr)
		}
	}
	if strings.Contains(res.Stderr, "retrying") || strings.Contains(res.Stderr, "dial tcp") {
		t.Errorf("the run tried to connect:\n%s", res.Stderr)
	}
}
