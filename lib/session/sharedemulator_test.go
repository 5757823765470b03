package session_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
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

// TestTwoRunsOnTheDemoTenantAtOnce: two kernels (or a script beside a
// notebook) connect to the built-in emulator with one state directory.
// The second waits, saying so, while the first works; once the first is
// done the second starts on what the first left, so nothing is lost.
func TestTwoRunsOnTheDemoTenantAtOnce(t *testing.T) {
	clearAnaplanEnv(t)
	ctx := context.Background()
	opts := session.Options{EnvFile: filepath.Join(t.TempDir(), "missing.env"), StateDir: t.TempDir()}
	first, err := session.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

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
	select { // the second run waits for the first
	case msg := <-warned:
		if !strings.Contains(msg, "waiting") {
			t.Errorf("warning %q", msg)
		}
	case err := <-second:
		if err == nil {
			later.Close()
		}
		t.Fatalf("the second run started beside the first (%v): two emulators on one state directory", err)
	}

	m := first.Client.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	data := filepath.Join(t.TempDir(), "workspaces.csv")
	if err := os.WriteFile(data, []byte("Code,Name,sizeAllowance,currentSize\nW1,Finance,1,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Upload(ctx, m, "workspaces.csv", data, registry.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	if err := <-second; err != nil {
		t.Fatalf("the second run: %v", err)
	}
	defer later.Close()
	f, err := later.Client.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID).FindFile(ctx, "workspaces.csv")
	if err != nil || f.ChunkCount != 1 {
		t.Errorf("the second run sees workspaces.csv with %d chunks (%v), want the first run's upload", f.ChunkCount, err)
	}
}
