package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// sandbox is a running scripts/sandbox process.
type sandbox struct {
	authURL, apiURL string
	cmd             *exec.Cmd
	stdout          *bufio.Scanner
}

// buildSandbox builds the real scripts/sandbox binary once per test.
func buildSandbox(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sandbox")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/anaplan-registry/toolkit/scripts/sandbox").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./scripts/sandbox: %v\n%s", err, out)
	}
	return bin
}

// startSandbox runs the sandbox binary with args and reads its banner for
// the URLs, as a person would.
func startSandbox(t *testing.T, bin string, args ...string) *sandbox {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Stderr = os.Stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &sandbox{cmd: cmd, stdout: bufio.NewScanner(pipe)}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var banner strings.Builder
	for s.stdout.Scan() {
		line := s.stdout.Text()
		banner.WriteString(line + "\n")
		if v, ok := strings.CutPrefix(line, "  ANAPLAN_AUTH_URL="); ok {
			s.authURL = v
		}
		if v, ok := strings.CutPrefix(line, "  ANAPLAN_API_URL="); ok {
			s.apiURL = v
		}
		if strings.HasPrefix(line, "Ctrl-C") {
			break
		}
	}
	if s.authURL == "" || s.apiURL == "" {
		t.Fatalf("sandbox %v printed no URLs:\n%s", args, banner.String())
	}
	if strings.Contains(banner.String(), emulator.DemoPassword) {
		t.Errorf("the sandbox banner prints the demo password:\n%s", banner.String())
	}
	return s
}

// stop interrupts the sandbox like Ctrl-C and checks it stopped cleanly.
func (s *sandbox) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for s.stdout.Scan() {
		rest.WriteString(s.stdout.Text() + "\n")
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil || !strings.Contains(rest.String(), "Emulator stopped.") {
			t.Errorf("sandbox after Ctrl-C: %v, printed %q", err, rest.String())
		}
	case <-time.After(30 * time.Second):
		t.Error("the sandbox did not stop within 30 s of Ctrl-C")
	}
}

// pointAt configures the registry script, through the environment, to
// log in to the sandbox as user with password.
func (s *sandbox) pointAt(t *testing.T, user, password string) {
	t.Setenv("ANAPLAN_AUTH_URL", s.authURL)
	t.Setenv("ANAPLAN_API_URL", s.apiURL)
	t.Setenv("ANAPLAN_USERNAME", user)
	t.Setenv("ANAPLAN_PASSWORD", password)
}

func readFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if strings.HasSuffix(path, "-wal") || strings.HasSuffix(path, "-shm") {
			continue // the history database's own working files
		}
		b, err := os.ReadFile(path)
		if e.Name() == HistoryFile {
			b, err = history.Canonical(t.Context(), path) // its bytes carry the time of each run
			// A sandbox's tenant is keyed by its port, new each run.
			b = regexp.MustCompile(`sandbox=([^ :]+):[0-9]+`).ReplaceAll(b, []byte("sandbox=${1}:PORT"))
		}
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// TestAcceptanceRegistryAgainstAFaultySandbox is the acceptance
// test, literally: scripts/registry against scripts/sandbox -rate-limit
// 0.15 -error-rate 0.1 -token-ttl 2s writes exactly the CSVs of a
// fault-free run, every time (five runs against one faulty sandbox, so
// each meets a different stretch of faults, with the token cache on);
// and a wrong password exits non-zero, names the problem, writes nothing
// and never prints the password.
func TestAcceptanceRegistryAgainstAFaultySandbox(t *testing.T) {
	clitest.Offline(t)
	t.Setenv("ANAPLAN_TOKEN_CACHE", t.TempDir())
	bin := buildSandbox(t)

	clean := startSandbox(t, bin)
	clean.pointAt(t, emulator.DemoUser, emulator.DemoPassword)
	want := filepath.Join(t.TempDir(), "fault-free")
	if res := clitest.Run(t, run, "-out", want); res.Code != 0 {
		t.Fatalf("fault-free run: exit %d\n%s", res.Code, res.Stderr)
	}
	clean.stop(t)
	wantFiles := readFiles(t, want)
	if len(wantFiles) != outputFiles {
		t.Fatalf("the fault-free run wrote %v", wantFiles)
	}

	faulty := startSandbox(t, bin, "-rate-limit", "0.15", "-error-rate", "0.1", "-token-ttl", "2s", "-seed", "11")
	faulty.pointAt(t, emulator.DemoUser, emulator.DemoPassword)
	retries := 0
	for i := range 5 {
		out := filepath.Join(t.TempDir(), "faulty")
		res := clitest.Run(t, run, "-out", out)
		if res.Code != 0 {
			t.Fatalf("run %d against the faulty sandbox: exit %d\n%s", i+1, res.Code, res.Stderr)
		}
		got := readFiles(t, out)
		for name, content := range wantFiles {
			if got[name] != content {
				t.Errorf("run %d: %s differs from the fault-free run's", i+1, name)
			}
		}
		if len(got) != len(wantFiles) {
			t.Errorf("run %d wrote %d files, the fault-free run %d", i+1, len(got), len(wantFiles))
		}
		retries += strings.Count(res.Stderr, "anaplan: retrying request")
	}
	if retries == 0 {
		t.Error("five runs against the faulty sandbox never retried: were the faults on?")
	}

	const password = "Wrong-Password-4-Acceptance"
	faulty.pointAt(t, emulator.DemoUser, password)
	t.Setenv("ANAPLAN_TOKEN_CACHE", "off") // a cached token would skip the login
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	res := clitest.Run(t, run, "-out", out)
	if res.Code == 0 {
		t.Fatal("a wrong password exited 0")
	}
	if !strings.Contains(res.Stderr, "rejected the username or password") {
		t.Errorf("stderr does not name the problem: %q", res.Stderr)
	}
	if strings.Contains(res.Stdout+res.Stderr, password) {
		t.Error("the password appears in the output")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed login left %v behind", entries)
	}
	faulty.stop(t)
}
