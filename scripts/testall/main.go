// Command testall runs every test of the repository, notebooks included, on
// a machine that has only Go: it installs Jupyter from the OS packages when
// it is missing, makes sure the emulator's contract tests have the OpenAPI
// documents (downloading them into .cache/ when needed), then checks
// formatting, vets and runs go test ./... .
//
//	go run ./scripts/testall       # what CI (.ci/run) and the README run
//	go run ./scripts/testall -n    # print the plan, run nothing
//
// Every step runs even when an earlier one failed, so one run shows every
// problem; the last line names the steps that failed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// testTimeout bounds one package's test binary. The notebook package runs
// every notebook, which on a cold 2-core CI machine takes minutes; go test's
// default of 10 minutes is too tight, CI's 30 minutes is the hard limit.
const testTimeout = "25m"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "testall:", err)
		os.Exit(1)
	}
}

// run parses args and runs every step on this machine.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runOn(ctx, localHost(), args, stdout, stderr)
}

func runOn(ctx context.Context, h host, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("testall", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dryRun := flags.Bool("n", false, "print what would run, run nothing (read-only checks still run)")
	race := flags.Bool("race", true, "run tests with the race detector when this machine can (cgo with a C compiler)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./scripts/testall [-n] [-race=false]\n\n"+
			"Installs Jupyter when missing (apt-get), downloads the OpenAPI documents the contract tests need\n"+
			"when there is no copy, then runs gofmt -l, go vet ./... and go test ./...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}

	t := &tester{host: h, stdout: stdout, stderr: stderr, dryRun: *dryRun}
	if err := t.findRoot(ctx); err != nil {
		return err
	}
	steps := []struct {
		name string
		do   func(context.Context) error
	}{
		{"jupyter", t.ensureJupyter},
		{"chromium", t.ensureChromium}, // chromium.go
		{"openapi", t.ensureOpenAPI},
		{"gofmt", t.gofmt},
		{"go vet", t.vet},
		{"go test", func(ctx context.Context) error { return t.test(ctx, *race) }},
	}
	var failed []string
	for _, s := range steps {
		if err := s.do(ctx); err != nil {
			fmt.Fprintf(stderr, "testall: %s: %v\n", s.name, err)
			failed = append(failed, s.name)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("FAIL: %s", strings.Join(failed, ", "))
	}
	if *dryRun {
		fmt.Fprintln(stdout, "testall: dry run, nothing ran")
	} else {
		fmt.Fprintln(stdout, "testall: ok")
	}
	return nil
}

// tester runs the steps in the repository root.
type tester struct {
	host
	stdout, stderr io.Writer
	dryRun         bool
	root           string
	goEnv          map[string]string
}

// findRoot asks go for the module root, so testall works from any directory
// inside the repository.
func (t *tester) findRoot(ctx context.Context) error {
	vars := []string{"GOMOD", "GOROOT", "CGO_ENABLED", "GOOS", "GOARCH"}
	var out strings.Builder
	if err := t.run(ctx, command{args: append([]string{"go", "env"}, vars...)}, &out, t.stderr); err != nil {
		return fmt.Errorf("go env: %w", err)
	}
	values := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(values) != len(vars) {
		return fmt.Errorf("go env printed %q, want %d lines", out.String(), len(vars))
	}
	t.goEnv = map[string]string{}
	for i, v := range vars {
		t.goEnv[v] = values[i]
	}
	if mod := t.goEnv["GOMOD"]; mod == "" || mod == os.DevNull {
		return errors.New("not inside the repository (go env GOMOD finds no go.mod): run testall from the repository")
	}
	t.root = filepath.Dir(t.goEnv["GOMOD"])
	return nil
}

// step prints what is about to run and runs it in the repository root,
// streaming its output, unless this is a dry run.
func (t *tester) step(ctx context.Context, c command) error {
	fmt.Fprintf(t.stdout, "testall: %s\n", c)
	if t.dryRun {
		return nil
	}
	c.dir = t.root
	return t.run(ctx, c, t.stdout, t.stderr)
}

func (t *tester) gofmt(ctx context.Context) error {
	gofmt := filepath.Join(t.goEnv["GOROOT"], "bin", "gofmt")
	c := command{args: []string{gofmt, "-l", "."}, dir: t.root}
	fmt.Fprintf(t.stdout, "testall: gofmt -l .\n")
	if t.dryRun {
		return nil
	}
	var out strings.Builder
	if err := t.run(ctx, c, &out, t.stderr); err != nil {
		return err
	}
	if files := strings.Fields(out.String()); len(files) > 0 {
		return fmt.Errorf("not gofmt-formatted (run gofmt -w .): %s", strings.Join(files, " "))
	}
	return nil
}

func (t *tester) vet(ctx context.Context) error {
	return t.step(ctx, command{args: []string{"go", "vet", "./..."}})
}

func (t *tester) test(ctx context.Context, race bool) error {
	args := []string{"go", "test", "-timeout", testTimeout}
	if race {
		if why := t.raceUnavailable(); why != "" {
			fmt.Fprintf(t.stdout, "testall: race detector off: %s\n", why)
		} else {
			args = append(args, "-race")
		}
	}
	return t.step(ctx, command{args: append(args, "./...")})
}

// raceDetectorPlatforms are the GOOS/GOARCH pairs go test -race supports.
var raceDetectorPlatforms = []string{
	"darwin/amd64", "darwin/arm64", "freebsd/amd64", "linux/amd64", "linux/arm64",
	"linux/loong64", "linux/ppc64le", "linux/s390x", "netbsd/amd64", "windows/amd64",
}

// raceUnavailable says why go test -race cannot run here, or "" when it can.
// The race detector needs cgo, which go disables when no C compiler exists
// (a machine with only Go, like CI).
func (t *tester) raceUnavailable() string {
	if platform := t.goEnv["GOOS"] + "/" + t.goEnv["GOARCH"]; !slices.Contains(raceDetectorPlatforms, platform) {
		return "not supported on " + platform
	}
	if t.goEnv["CGO_ENABLED"] != "1" {
		return "cgo is disabled (no C compiler; install gcc to enable it)"
	}
	return ""
}
