package session_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// clearAnaplanEnv blanks every ANAPLAN_ variable for the test (a set but
// empty variable wins over .env), so a developer's own settings stay out.
func clearAnaplanEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ANAPLAN_") {
			t.Setenv(k, "")
		}
	}
	for _, k := range []string{"ANAPLAN_USERNAME", "ANAPLAN_PASSWORD", "ANAPLAN_CERT_FILE", "ANAPLAN_KEY_FILE"} {
		t.Setenv(k, "")
	}
}

func TestConnectFallsBackToEmulator(t *testing.T) {
	clearAnaplanEnv(t)
	s, err := session.Connect(session.Options{EnvFile: filepath.Join(t.TempDir(), "missing.env")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Emulated || !strings.Contains(s.Describe(), "built-in emulator") {
		t.Fatalf("session = %q, want the emulator", s.Describe())
	}
	if strings.Contains(s.Describe(), "127.0.0.1") {
		t.Errorf("description leaks the emulator's address: %q", s.Describe())
	}
	r, err := registry.Read(context.Background(), s.Client)
	if err != nil || len(r.Models) == 0 {
		t.Fatalf("reading the demo tenant: %d models, %v", len(r.Models), err)
	}
}

func TestConnectRefusesHalfConfiguration(t *testing.T) {
	clearAnaplanEnv(t)
	env := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(env, []byte("ANAPLAN_USERNAME=someone@example.com\n"), 0o600)
	os.Unsetenv("ANAPLAN_USERNAME")
	s, err := session.Connect(session.Options{EnvFile: env})
	if err == nil {
		s.Close()
		t.Fatal("a username without a password connected; want an error, not the demo tenant")
	}
	if !strings.Contains(err.Error(), "ANAPLAN_PASSWORD") {
		t.Errorf("error %q does not say what is missing", err)
	}
}

// TestConnectStateSurvivesProcesses is what a notebook does: each cell is a
// new process that connects with DefaultOptions; the second finds the
// emulator state the first left.
func TestConnectStateSurvivesProcesses(t *testing.T) {
	clearAnaplanEnv(t)
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("ANAPLAN_ENV_FILE", "/dev/null")
	opts := session.DefaultOptions()
	if opts.EnvFile != "/dev/null" || !strings.HasPrefix(opts.StateDir, os.Getenv("TMPDIR")) {
		t.Fatalf("DefaultOptions() = %+v", opts)
	}
	for i := range 2 {
		s, err := session.Connect(opts)
		if err != nil {
			t.Fatalf("connect %d: %v", i, err)
		}
		if _, err := s.Client.Me(context.Background()); err != nil {
			t.Fatalf("connect %d: %v", i, err)
		}
		s.Close()
	}
	if entries, _ := os.ReadDir(opts.StateDir); len(entries) == 0 {
		t.Error("the emulator left no state behind for the next cell")
	}
}

// TestConnectReusesTokenAcrossCells: the second "cell" reuses the token the
// first one got, on an emulator restarted on another port.
func TestConnectReusesTokenAcrossCells(t *testing.T) {
	clearAnaplanEnv(t)
	opts := session.Options{EnvFile: "/dev/null", StateDir: t.TempDir()}
	var values []string
	for range 2 {
		s, err := session.Connect(opts)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.Client.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Client.Me(context.Background()); err != nil {
			t.Fatal(err)
		}
		values = append(values, tok.Value())
		s.Close()
	}
	if values[0] != values[1] {
		t.Error("the second cell logged in again instead of reusing the cached token")
	}
}
