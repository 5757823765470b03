package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// sandbox is scripts/sandbox running as its own process, the way a user or
// a CI job runs it, so that the client's time and memory are not mixed with
// the emulator's. It runs with -v, and the bench reads its request log to
// count the requests each client made and the time the emulator spent on
// them.
type sandbox struct {
	URL string

	cmd  *exec.Cmd
	done chan struct{} // closed when the log readers end

	mu       sync.Mutex
	requests int
	writes   int           // requests other than GET (logins aside)
	handling time.Duration // sum of the logged request durations
	lastLine time.Time
}

// traffic is what the sandbox served between two snapshots.
type traffic struct {
	Requests int
	Writes   int
	Handling time.Duration
}

// startSandbox starts the sandbox binary on a free loopback port with the
// given extra environment and flags, and waits for it to print its URL.
func startSandbox(ctx context.Context, bin string, env []string, flags ...string) (*sandbox, error) {
	args := append([]string{"-addr", "127.0.0.1:0", "-v"}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Env = cleanEnv(env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sb := &sandbox{cmd: cmd, done: make(chan struct{})}
	urls := make(chan string, 1)
	var readers sync.WaitGroup
	readers.Add(2)
	go func() {
		defer readers.Done()
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "auth URL:"); ok {
				select {
				case urls <- strings.TrimSpace(rest):
				default:
				}
			}
		}
	}()
	go func() {
		defer readers.Done()
		sb.readLog(stderr)
	}()
	go func() { readers.Wait(); close(sb.done) }()

	select {
	case sb.URL = <-urls:
		return sb, nil
	case <-sb.done:
		err = errors.New("it exited before printing its URL")
	case <-time.After(60 * time.Second):
		err = errors.New("it printed no URL within a minute")
	case <-ctx.Done():
		err = ctx.Err()
	}
	sb.stop()
	return nil, fmt.Errorf("starting %s %s: %w", bin, strings.Join(args, " "), err)
}

// readLog counts the sandbox's "emulator request" debug lines and sums
// their durations (the handler's time, including any injected latency).
func (sb *sandbox) readLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, `msg="emulator request"`) {
			continue
		}
		var d time.Duration
		if i := strings.Index(line, " duration="); i >= 0 {
			v, _, _ := strings.Cut(line[i+len(" duration="):], " ")
			d, _ = time.ParseDuration(v)
		}
		write := !strings.Contains(line, " method=GET ") && !strings.Contains(line, " path=/token/")
		sb.mu.Lock()
		sb.requests++
		if write {
			sb.writes++
		}
		sb.handling += d
		sb.lastLine = time.Now()
		sb.mu.Unlock()
	}
}

// snapshot returns the traffic so far, once the log has been quiet for a
// moment: the emulator logs a request after answering it, so the last line
// of a client's run may arrive just after the client exited.
func (sb *sandbox) snapshot() traffic {
	const quiet = 50 * time.Millisecond
	deadline := time.Now().Add(2 * time.Second)
	for {
		sb.mu.Lock()
		t := traffic{Requests: sb.requests, Writes: sb.writes, Handling: sb.handling}
		last := sb.lastLine
		sb.mu.Unlock()
		if time.Since(last) >= quiet || time.Now().After(deadline) {
			return t
		}
		time.Sleep(quiet)
	}
}

// since is the traffic served after an earlier snapshot.
func (t traffic) since(before traffic) traffic {
	return traffic{Requests: t.Requests - before.Requests, Writes: t.Writes - before.Writes, Handling: t.Handling - before.Handling}
}

// peakRSS is the sandbox's own peak RSS so far (VmHWM), in bytes.
func (sb *sandbox) peakRSS() int64 {
	return vmHWM(sb.cmd.Process.Pid)
}

// stop interrupts the sandbox (it shuts down cleanly on SIGINT) and kills
// it if it has not exited within ten seconds.
func (sb *sandbox) stop() {
	if sb.cmd.Process == nil {
		return
	}
	_ = sb.cmd.Process.Signal(os.Interrupt)
	exited := make(chan struct{})
	go func() { _ = sb.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = sb.cmd.Process.Kill()
		<-exited
	}
}

// vmHWM reads a live process's peak RSS from /proc/<pid>/status.
func vmHWM(pid int) int64 {
	v := firstField(fmt.Sprintf("/proc/%d/status", pid), "VmHWM")
	var kb int64
	if _, err := fmt.Sscanf(v, "%d kB", &kb); err != nil {
		return 0
	}
	return kb * 1024
}
