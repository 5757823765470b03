package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/openapidocs"
)

// fakeMachine stands in for the machine: it records every command and
// answers like a Debian box whose state the test chooses.
type fakeMachine struct {
	root      bool
	openAPI   openapidocs.Pin // default: a pin of no documents, found anywhere
	fetch     openapidocs.FetchOptions
	onPath    []string          // programs lookPath finds
	goEnv     string            // what go env prints
	gofmtOut  string            // files gofmt -l lists
	failing   map[string]error  // command line -> its error
	ran       []string          // command lines, in order
	dirs      map[string]string // command line -> working directory
	installed bool              // whether Jupyter works
	// noChromium: chromium is missing (present by default, so that tests
	// of other steps need not list it; see chromium_test.go).
	noChromium bool
}

func newFakeMachine() *fakeMachine {
	return &fakeMachine{
		onPath:    []string{"jupyter", "apt-get"},
		goEnv:     "/src/toolkit/go.mod\n/usr/local/go\n1\nlinux\namd64\n",
		failing:   map[string]error{},
		dirs:      map[string]string{},
		installed: true,
		openAPI:   openapidocs.Pin{Repository: "example/none", Commit: strings.Repeat("0", 40)},
	}
}

func (m *fakeMachine) host() host {
	return host{
		isRoot: m.root,
		lookPath: func(file string) (string, error) {
			if slices.Contains(m.onPath, file) || (file == "chromium" && !m.noChromium) {
				return "/usr/bin/" + file, nil
			}
			return "", exec.ErrNotFound
		},
		openAPI:      m.openAPI,
		openAPIFetch: m.fetch,
		run: func(_ context.Context, c command, stdout, _ io.Writer) error {
			line := c.String()
			m.ran = append(m.ran, line)
			m.dirs[line] = c.dir
			switch {
			case strings.HasPrefix(line, "go env "):
				io.WriteString(stdout, m.goEnv)
			case strings.HasPrefix(line, "jupyter ") && !m.installed:
				return errors.New("exit status 1")
			case strings.Contains(line, "apt-get install") && strings.HasSuffix(line, " chromium"):
				m.noChromium = false
			case strings.Contains(line, "apt-get install"):
				m.installed = true
				m.onPath = append(m.onPath, "jupyter")
			case strings.HasSuffix(line, "/gofmt -l ."):
				io.WriteString(stdout, m.gofmtOut)
			}
			return m.failing[line]
		},
	}
}

func (m *fakeMachine) testall(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut strings.Builder
	err = runOn(context.Background(), m.host(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

const (
	vetLine  = "go vet ./..."
	testLine = "go test -timeout 25m -race ./..."
)

func TestRunsEveryStepInTheRepositoryRoot(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	stdout, stderr, err := m.testall(t)
	if err != nil {
		t.Fatalf("testall failed: %v\n%s", err, stderr)
	}
	want := []string{
		"go env GOMOD GOROOT CGO_ENABLED GOOS GOARCH",
		"jupyter nbconvert --version", "jupyter execute --version",
		"/usr/local/go/bin/gofmt -l .", vetLine, testLine,
	}
	if !slices.Equal(m.ran, want) {
		t.Errorf("ran\n  %s\nwant\n  %s", strings.Join(m.ran, "\n  "), strings.Join(want, "\n  "))
	}
	for _, line := range []string{"/usr/local/go/bin/gofmt -l .", vetLine, testLine} {
		if m.dirs[line] != "/src/toolkit" {
			t.Errorf("%s ran in %q, want the repository root /src/toolkit", line, m.dirs[line])
		}
	}
	for _, line := range []string{"testall: " + vetLine, "testall: " + testLine, "testall: ok"} {
		if !strings.Contains(stdout, line+"\n") {
			t.Errorf("output lacks the line %q:\n%s", line, stdout)
		}
	}
}

func TestInstallsMissingJupyter(t *testing.T) {
	t.Parallel()
	const update = "env DEBIAN_FRONTEND=noninteractive apt-get -y -q update"
	const install = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jupyter-nbconvert jupyter-client"
	for _, tc := range []struct {
		name    string
		root    bool
		onPath  []string
		want    []string // apt commands, in order
		wantErr string
	}{
		{"as root", true, []string{"apt-get"}, []string{update, install}, ""},
		{"through sudo", false, []string{"apt-get", "sudo"}, []string{"sudo " + update, "sudo " + install}, ""},
		{"without root or sudo", false, []string{"apt-get"}, nil, manualInstall},
		{"without apt-get", true, nil, nil, "python3 -m pip install --user nbconvert nbclient jupyter_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newFakeMachine()
			m.root, m.onPath, m.installed = tc.root, tc.onPath, false
			_, stderr, err := m.testall(t)

			var apt []string
			for _, line := range m.ran {
				if strings.Contains(line, "apt-get") {
					apt = append(apt, line)
				}
			}
			if !slices.Equal(apt, tc.want) {
				t.Errorf("apt commands\n  %s\nwant\n  %s", strings.Join(apt, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("testall failed: %v\n%s", err, stderr)
				}
				return
			}
			if err == nil || err.Error() != "FAIL: jupyter" {
				t.Errorf("testall returned %v, want FAIL: jupyter", err)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr does not tell the user to run %q:\n%s", tc.wantErr, stderr)
			}
			if !slices.Contains(m.ran, testLine) {
				t.Errorf("go test did not run after the Jupyter step failed; ran %q", m.ran)
			}
		})
	}
}

func TestFailedStepsAreAllRunAndNamed(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	m.gofmtOut = "lib/anaplan/client.go\nscripts/x/main.go\n"
	m.failing[vetLine] = errors.New("exit status 1")
	_, stderr, err := m.testall(t)
	if err == nil || err.Error() != "FAIL: gofmt, go vet" {
		t.Errorf("testall returned %v, want FAIL: gofmt, go vet", err)
	}
	if !slices.Contains(m.ran, testLine) {
		t.Errorf("go test did not run after go vet failed; ran %q", m.ran)
	}
	if want := "not gofmt-formatted (run gofmt -w .): lib/anaplan/client.go scripts/x/main.go"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

func TestRaceDetectorNeedsCgo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, goEnv, wantTest, wantNote string
	}{
		{"no C compiler", "/src/toolkit/go.mod\n/go\n0\nlinux\namd64\n", "go test -timeout 25m ./...", "race detector off: cgo is disabled"},
		{"unsupported platform", "/src/toolkit/go.mod\n/go\n1\nlinux\n386\n", "go test -timeout 25m ./...", "race detector off: not supported on linux/386"},
		{"switched off", "", "go test -timeout 25m ./...", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newFakeMachine()
			args := []string{}
			if tc.goEnv != "" {
				m.goEnv = tc.goEnv
			} else {
				args = append(args, "-race=false")
			}
			stdout, _, err := m.testall(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if m.ran[len(m.ran)-1] != tc.wantTest {
				t.Errorf("last command %q, want %q", m.ran[len(m.ran)-1], tc.wantTest)
			}
			if !strings.Contains(stdout, tc.wantNote) {
				t.Errorf("output lacks %q:\n%s", tc.wantNote, stdout)
			}
		})
	}
}

func TestDryRunRunsOnlyChecks(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	m.root, m.installed = true, false
	stdout, _, err := m.testall(t, "-n")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range m.ran {
		if !strings.HasPrefix(line, "go env ") && !strings.HasPrefix(line, "jupyter ") {
			t.Errorf("dry run ran %q", line)
		}
	}
	for _, want := range []string{"apt-get install", "gofmt -l .", vetLine, testLine, "dry run, nothing ran"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry run does not show %q:\n%s", want, stdout)
		}
	}
}

func TestRefusesToRunOutsideTheRepository(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	m.goEnv = "/dev/null\n/go\n1\nlinux\namd64\n"
	if _, _, err := m.testall(t); err == nil || !strings.Contains(err.Error(), "not inside the repository") {
		t.Errorf("testall outside a module returned %v", err)
	}
	if len(m.ran) != 1 {
		t.Errorf("testall ran %q outside the repository", m.ran[1:])
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-h"}, flag.ErrHelp.Error()},
		{[]string{"./lib/..."}, `unexpected arguments ["./lib/..."]`},
		{[]string{"-v"}, "flag provided but not defined: -v"},
	} {
		m := newFakeMachine()
		_, stderr, err := m.testall(t, tc.args...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("testall %q returned %v, want %s", tc.args, err, tc.want)
		}
		if !strings.Contains(stderr, "usage: go run ./scripts/testall") {
			t.Errorf("testall %q printed no usage:\n%s", tc.args, stderr)
		}
		if len(m.ran) > 0 {
			t.Errorf("testall %q ran %q", tc.args, m.ran)
		}
	}
}

// TestDryRunOnThisMachine goes through the real door: run with the real
// machine, which only reads (go env, jupyter --version) in a dry run.
func TestDryRunOnThisMachine(t *testing.T) {
	t.Parallel()
	var stdout, stderr strings.Builder
	if err := run(context.Background(), []string{"-n"}, &stdout, &stderr); err != nil {
		t.Fatalf("run -n: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"testall: go vet ./...\n", "testall: go test -timeout 25m", "testall: dry run, nothing ran\n"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run -n output lacks %q:\n%s", want, stdout.String())
		}
	}
}
