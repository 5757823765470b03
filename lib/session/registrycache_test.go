package session_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// TestRegistryIsReadOnceAcrossCells is two notebook cells in a row: the
// second finds the first one's read in the cache and asks the tenant for no
// workspace or model, and what it builds from the cache is the same
// registry, down to the bytes of its CSV files.
func TestRegistryIsReadOnceAcrossCells(t *testing.T) {
	clearAnaplanEnv(t)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	open := func() (*session.Session, *session.Recorder) {
		rec := &session.Recorder{}
		s, err := session.Connect(session.Options{EnvFile: "/dev/null", StateDir: t.TempDir(), CacheDir: cacheDir,
			ClientOptions: []anaplan.Option{rec.ClientOption()}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, rec
	}
	listed := func(rec *session.Recorder) (n int) {
		for _, e := range rec.Exchanges() {
			if strings.Contains(e.String(), "/models") || strings.Contains(e.String(), "/workspaces") {
				n++
			}
		}
		return n
	}
	ctx := context.Background()

	first, rec1 := open()
	fresh, err := first.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if listed(rec1) == 0 || len(fresh.Models) == 0 {
		t.Fatalf("the first cell read %d models in %d list requests", len(fresh.Models), listed(rec1))
	}
	note := first.RegistryNote()
	if want := fmt.Sprintf("Read %d workspaces and %d models from the tenant;", len(fresh.Workspaces), len(fresh.Models)); !strings.HasPrefix(note, want) || !strings.Contains(note, "up to 10 minutes") {
		t.Errorf("fresh note = %q, want it to start %q and give the cache's age bound", note, want)
	}

	second, rec2 := open()
	cached, err := second.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := listed(rec2); n != 0 {
		t.Errorf("the second cell sent %d list requests, want none: the first cell's read is cached", n)
	}
	if note := second.RegistryNote(); !strings.HasPrefix(note, "Reusing the read of ") || !strings.Contains(note, "ago") {
		t.Errorf("cached note = %q, want it to say the read is reused and how old it is", note)
	}
	a, err := fresh.WriteFiles(filepath.Join(t.TempDir(), "fresh"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := cached.WriteFiles(filepath.Join(t.TempDir(), "cached"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{a.Workspaces, b.Workspaces}, {a.Models, b.Models}, {a.Registry, b.Registry}} {
		x, _ := os.ReadFile(pair[0])
		y, _ := os.ReadFile(pair[1])
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s from the cache differs from the fresh read", filepath.Base(pair[0]))
		}
	}

	// ReadRegistry reads again, whatever the cache holds.
	rec2.Reset()
	if _, err := second.ReadRegistry(ctx); err != nil || listed(rec2) == 0 {
		t.Errorf("ReadRegistry: %v after %d list requests, want a fresh read", err, listed(rec2))
	}

	// The file: one, owner-only, and nothing secret in it.
	entries, err := os.ReadDir(cacheDir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache directory holds %v (%v), want one file", entries, err)
	}
	path := filepath.Join(cacheDir, entries[0].Name())
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	data, _ := os.ReadFile(path)
	tok, err := second.Client.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{emulator.DemoPassword, tok.Value()} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the cache file holds a secret (%d characters)", len(secret))
		}
	}
}

// A cache that is off reads every time and says so.
func TestRegistryWithoutCacheReadsEveryTime(t *testing.T) {
	clearAnaplanEnv(t)
	s, err := session.Connect(session.Options{EnvFile: "/dev/null"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if note := s.RegistryNote(); note != "The tenant has not been read yet." {
		t.Errorf("note before a read = %q", note)
	}
	if _, err := s.Registry(context.Background()); err != nil {
		t.Fatal(err)
	}
	if note := s.RegistryNote(); !strings.HasSuffix(note, "(not cached).") {
		t.Errorf("note = %q, want it to say the read is not cached", note)
	}
}
