package main

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestSandboxAPIWithoutItsAuthURLIsRefused: with only ANAPLAN_API_URL
// pointing at a sandbox, the run used to say it used the sandbox and send
// the password to Anaplan's production auth host. It stops before sending
// anything and names the setting to add.
func TestSandboxAPIWithoutItsAuthURLIsRefused(t *testing.T) {
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("ANAPLAN_API_URL", srv.APIURL())
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1") // should it try anyway, never the real Anaplan
	res := clitest.Run(t, run)
	if res.Code == 0 {
		t.Fatalf("exit 0, want a refusal:\n%s", res.Stderr)
	}
	for _, want := range []string{"ANAPLAN_AUTH_URL is not set", "https://auth.anaplan.com", "set ANAPLAN_AUTH_URL too"} {
		if !strings.Contains(res.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.Stderr)
		}
	}
	if strings.Contains(res.Stderr, "Using Anaplan") || res.Stdout != "" {
		t.Errorf("the run went ahead:\nstdout %s\nstderr %s", res.Stdout, res.Stderr)
	}
	if reqs := srv.Emulator.Stats().Requests; len(reqs) != 0 {
		t.Errorf("the run sent %v to the sandbox, want nothing", reqs)
	}
}

// TestBannerNamesAPIAndAuthHosts: the line on stderr says where the API
// is and where the login goes.
func TestBannerNamesAPIAndAuthHosts(t *testing.T) {
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("ANAPLAN_AUTH_URL", srv.AuthURL())
	t.Setenv("ANAPLAN_API_URL", srv.APIURL())
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	res := clitest.Run(t, run)
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	want := "Using Anaplan at " + srv.APIURL() + " as " + emulator.DemoUser + ", logging in at " + srv.AuthURL() + ".\n"
	if !strings.Contains(res.Stderr, want) {
		t.Errorf("stderr lacks the banner %q:\n%s", want, res.Stderr)
	}
}
