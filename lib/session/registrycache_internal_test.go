package session

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

func testRegistry() *registry.Registry {
	return registry.New([]anaplan.Workspace{{ID: "8a81b01068c5c3a1016b0a6cf4a51d22", Name: "Sales"}},
		[]anaplan.Model{{ID: "75A40874E6B64FA3AE0743278996850F", Name: "Plan", CurrentWorkspaceID: "8a81b01068c5c3a1016b0a6cf4a51d22"}})
}

// The cache is bounded in age, keyed by tenant and user, and ignores files
// it cannot trust; the clock is injected, so nothing waits.
func TestRegistryCacheBoundsAgeAndKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := start
	cache := func(apiURL, user string) registryCache {
		c := newRegistryCache(Options{CacheDir: dir, CacheFor: 10 * time.Minute}, apiURL, user)
		c.now = func() time.Time { return clock }
		return c
	}
	c := cache("https://api.anaplan.com/2/0", "Ada@example.com")
	if err := c.save(testRegistry(), clock); err != nil {
		t.Fatal(err)
	}
	if f, ok := c.load(); !ok || len(f.Models) != 1 || !f.ReadAt.Equal(start) {
		t.Fatalf("load after save = %+v, %v", f, ok)
	}
	if _, ok := cache("https://api.anaplan.com:8443/2/0", "ada@example.com").load(); !ok {
		t.Error("another port or the user name's case made another cache; want the same tenant and user")
	}
	for _, other := range [][2]string{{"https://us9.api.anaplan.com/2/0", "ada@example.com"}, {"https://api.anaplan.com/2/0", "bob@example.com"}} {
		if _, ok := cache(other[0], other[1]).load(); ok {
			t.Errorf("%s as %s found Ada's cache of another tenant or user", other[0], other[1])
		}
	}
	clock = start.Add(9*time.Minute + 59*time.Second)
	if _, ok := c.load(); !ok {
		t.Error("a read 9m59s old was not reused; want it reused for 10 minutes")
	}
	clock = start.Add(10 * time.Minute)
	if _, ok := c.load(); ok {
		t.Error("a read 10 minutes old was reused; want a fresh read")
	}
	clock = start.Add(-time.Minute)
	if _, ok := c.load(); ok {
		t.Error("a read from the future (a clock set back) was reused")
	}

	clock = start
	if err := os.Chmod(c.path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.load(); ok {
		t.Error("a cache file others can read was trusted")
	}
	if err := os.WriteFile(c.path, []byte(`{"version":1,`), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(c.path, 0o600)
	if _, ok := c.load(); ok {
		t.Error("a truncated cache file was read")
	}
	if err := c.save(testRegistry(), clock); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || strings.HasPrefix(entries[0].Name(), ".") {
		t.Errorf("after saves the cache directory holds %v, want one file and no temporary left", entries)
	}
}

// An unwritable cache directory fails the save, never the read.
func TestRegistryCacheOffOrUnwritable(t *testing.T) {
	t.Parallel()
	off := newRegistryCache(Options{}, "https://api.anaplan.com/2/0", "ada@example.com")
	if err := off.save(testRegistry(), time.Now()); err != nil {
		t.Errorf("save with the cache off: %v", err)
	}
	if _, ok := off.load(); ok {
		t.Error("a cache that is off found something")
	}
	file := filepath.Join(t.TempDir(), "not-a-directory")
	os.WriteFile(file, nil, 0o600)
	bad := newRegistryCache(Options{CacheDir: file}, "https://api.anaplan.com/2/0", "ada@example.com")
	if err := bad.save(testRegistry(), time.Now()); err == nil || !strings.Contains(err.Error(), "registry cache") {
		t.Errorf("save into a file: %v, want an error naming the registry cache", err)
	}
}

// Must passes a value through, and on an error says why on stderr and
// exits 1.
func TestMust(t *testing.T) {
	var out bytes.Buffer
	code := -1
	stderr, exit = &out, func(c int) { code = c }
	t.Cleanup(func() { stderr, exit = os.Stderr, os.Exit })
	if v := Must(42, nil); v != 42 || code != -1 || out.Len() != 0 {
		t.Errorf("Must(42, nil) = %d, exit %d, stderr %q", v, code, out.String())
	}
	Must(0, os.ErrNotExist)
	if code != 1 || out.String() != "error: file does not exist\n" {
		t.Errorf("Must(err): exit %d, stderr %q; want 1 and the message", code, out.String())
	}
}
