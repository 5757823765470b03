package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

func TestAuthenticateShowsUserAndMaskedToken(t *testing.T) {
	clitest.Offline(t)
	res := clitest.Run(t, run, "-format", "json")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	var info tokenInfo
	if err := json.Unmarshal([]byte(res.Stdout), &info); err != nil {
		t.Fatalf("%v\n%s", err, res.Stdout)
	}
	if info.User != emulator.DemoUser || info.UserGUID != emulator.DemoUserID || !info.OnEmulator {
		t.Errorf("info = %+v", info)
	}
	if !strings.Contains(info.Token, "…") || len(info.Token) > 20 {
		t.Errorf("token %q does not look masked", info.Token)
	}
}

// TestAuthenticateCertificate logs in with the demo certificate and its
// encrypted key, the way an automation account would.
func TestAuthenticateCertificate(t *testing.T) {
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("ANAPLAN_AUTH_URL", srv.AuthURL())
	t.Setenv("ANAPLAN_API_URL", srv.APIURL())
	t.Setenv("ANAPLAN_CERT_FILE", "../../lib/emulator/demo/user.pem")
	t.Setenv("ANAPLAN_KEY_FILE", "../../lib/emulator/demo/user-key-encrypted.pem")
	t.Setenv("ANAPLAN_KEY_PASSWORD", emulator.DemoKeyPassword)
	res := clitest.Run(t, run, "-logout")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	for _, want := range []string{emulator.DemoUser, "logged out"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Stdout)
		}
	}
	if strings.Contains(res.Stdout+res.Stderr, emulator.DemoKeyPassword) {
		t.Error("the key password appears in the output")
	}
}

func TestAuthenticateWrongKeyPassword(t *testing.T) {
	clitest.Offline(t)
	t.Setenv("ANAPLAN_AUTH_URL", "http://127.0.0.1:1")
	t.Setenv("ANAPLAN_API_URL", "http://127.0.0.1:1/2/0")
	t.Setenv("ANAPLAN_CERT_FILE", "../../lib/emulator/demo/user.pem")
	t.Setenv("ANAPLAN_KEY_FILE", "../../lib/emulator/demo/user-key-encrypted.pem")
	t.Setenv("ANAPLAN_KEY_PASSWORD", "wrong-password-xyz")
	res := clitest.Run(t, run)
	if res.Code == 0 || !strings.Contains(strings.ToLower(res.Stderr), "password") {
		t.Errorf("exit %d, stderr %q: want a failure naming the key password", res.Code, res.Stderr)
	}
	if strings.Contains(res.Stderr, "wrong-password-xyz") {
		t.Error("the key password appears in the error")
	}
}
