package session_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// signalHandler closes ch on the first warning it sees.
type signalHandler struct {
	slog.Handler
	ch chan string
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		select {
		case h.ch <- r.Message:
		default:
		}
	}
	return nil
}

// TestARunWaitsForAnotherProcessOnTheStateDir: another process (here an
// emulator opened directly, as a sandbox or another kernel would) holds the
// demo tenant's state directory. A session waits, saying so, and starts on
// it once the other is done, so nothing is written by two at once.
func TestARunWaitsForAnotherProcessOnTheStateDir(t *testing.T) {
	clearAnaplanEnv(t)
	ctx := context.Background()
	opts := session.Options{EnvFile: filepath.Join(t.TempDir(), "missing.env"), StateDir: t.TempDir()}
	other, err := emulator.New(emulator.Options{StateDir: opts.StateDir})
	if err != nil {
		t.Fatal(err)
	}
	warned := make(chan string, 1)
	second := make(chan error, 1)
	var later *session.Session
	go func() {
		o := opts
		o.Logger = slog.New(signalHandler{slog.DiscardHandler, warned})
		s, err := session.Connect(o)
		later = s
		second <- err
	}()
	select { // the session waits for the other process
	case msg := <-warned:
		if !strings.Contains(msg, "waiting") {
			t.Errorf("warning %q", msg)
		}
	case err := <-second:
		if err == nil {
			later.Close()
		}
		other.Close()
		t.Fatalf("the session started beside another emulator on its state directory (%v)", err)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatalf("the session after the other process let go: %v", err)
	}
	defer later.Close()
	if _, err := later.Client.Me(ctx); err != nil {
		t.Errorf("the session that waited: %v", err)
	}
}

// TestTwoSessionsOfOneProcessShareTheEmulator: a notebook cell may open
// two sessions on the demo tenant at once (one per login kind); they share
// the process's emulator instead of waiting for each other, and the last
// one closed frees the state directory for the next process.
func TestTwoSessionsOfOneProcessShareTheEmulator(t *testing.T) {
	clearAnaplanEnv(t)
	ctx := context.Background()
	opts := session.Options{EnvFile: filepath.Join(t.TempDir(), "missing.env"), StateDir: t.TempDir()}
	first, err := session.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	second, err := session.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Client.APIURL() != second.Client.APIURL() {
		t.Errorf("two emulators in one process: %s and %s", first.Client.APIURL(), second.Client.APIURL())
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Client.Me(ctx); err != nil {
		t.Fatalf("the second session after the first closed: %v", err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(emulator.Options{StateDir: opts.StateDir})
	if err != nil {
		t.Fatalf("the state directory after both sessions closed: %v", err)
	}
	e.Close()
}
