package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// measured is one child process as the kernel saw it: wall time from
// start to exit, peak RSS and CPU time from wait4's rusage.
type measured struct {
	Wall   time.Duration
	MaxRSS int64 // bytes
	CPU    time.Duration
	Stdout string
	Stderr string
}

// child is a process to run and measure.
type child struct {
	Path string
	Args []string
	Dir  string
	Env  []string // nil: the bench's own environment
}

// run starts c, waits for it and measures it. A non-zero exit is an error
// that carries the end of its stderr.
func (c child) run(ctx context.Context) (measured, error) {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = c.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	resetPeakRSS()
	start := time.Now()
	err := cmd.Run()
	m := measured{Wall: time.Since(start), Stdout: stdout.String(), Stderr: stderr.String()}
	if cmd.ProcessState != nil {
		m.MaxRSS = maxRSS(cmd.ProcessState)
		m.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return m, fmt.Errorf("%s %s: %w\n%s", c.Path, strings.Join(c.Args, " "), err, tail(m.Stderr+m.Stdout, 20))
	}
	return m, nil
}

// cleanEnv is the bench's environment without any Anaplan setting, so a
// developer's .env or credentials can never point a measurement at a real
// tenant, plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ANAPLAN_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// clientEnv points a script (Go or Python) at a sandbox as the demo user,
// with the on-disk token cache off: every run logs in, as the tutorial does.
func clientEnv(sb *sandbox) []string {
	return cleanEnv(
		session.EnvFileVar+"="+os.DevNull,
		session.EnvAuthURL+"="+sb.URL,
		session.EnvAPIURL+"="+sb.URL+"/2/0",
		session.EnvUsername+"="+emulator.DemoUser,
		session.EnvPassword+"="+emulator.DemoPassword,
		session.EnvTokenCache+"=off",
	)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// mb converts bytes to MB (10⁶ bytes), the unit of every memory figure.
func mb(bytes int64) float64 { return float64(bytes) / 1e6 }
