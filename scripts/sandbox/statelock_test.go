package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestSecondSandboxOnOneStateDirRefuses: a second sandbox given the -state
// directory of a running one exits at once with an error naming the first
// one's PID and address, instead of serving and losing its writes.
func TestSecondSandboxOnOneStateDirRefuses(t *testing.T) {
	state := t.TempDir()
	authURL, _, _, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-state", state)
	defer func() { cancel(); waitRun(t, done) }()

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var stderr bytes.Buffer
	stdout := cancelOnWrite{stop: stop} // a banner means it serves: stop it, and fail below
	err := run(ctx, []string{"-addr", "127.0.0.1:0", "-state", state}, &stdout, &stderr)
	if err == nil {
		t.Fatal("a second sandbox on the same -state started")
	}
	for _, want := range []string{state, fmt.Sprintf("process %d", os.Getpid()), authURL} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %q: %v", want, err)
		}
	}
	if stdout.Len() > 0 {
		t.Errorf("the second sandbox printed its banner:\n%s", stdout.String())
	}
}

type cancelOnWrite struct {
	bytes.Buffer
	stop context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.stop()
	return w.Buffer.Write(p)
}
