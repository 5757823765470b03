package session

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// DefaultCacheFor is how long DefaultOptions reuse a registry read: long
// enough to work through a notebook, short enough that nobody mistakes it
// for the tenant of this afternoon.
const DefaultCacheFor = 10 * time.Minute

// registryCacheVersion changes whenever the file's shape does; a file of
// another version is read as no cache at all.
const registryCacheVersion = 1

// registryCache keeps one tenant's registry, as one user sees it, in a
// file: notebook cells are separate processes, and without it each one
// pages through every model again (minutes on a tenant of 20,000). It holds
// what Anaplan lists (names, ids, sizes, dates), never a credential or a
// token.
type registryCache struct {
	path   string // "" when the cache is off
	key    string // API host and path, and user: the file names its hash
	maxAge time.Duration
	now    func() time.Time
}

// cachedRegistry is the cache file.
type cachedRegistry struct {
	Version    int                 `json:"version"`
	Key        string              `json:"key"`
	ReadAt     time.Time           `json:"readAt"`
	Workspaces []anaplan.Workspace `json:"workspaces"`
	Models     []anaplan.Model     `json:"models"`
}

// newRegistryCache names the cache of the tenant at apiURL as user sees
// it. The port is left out of the key, as the token cache does, so that
// the built-in emulator, on a new port in every process, finds its read.
func newRegistryCache(opts Options, apiURL, user string) registryCache {
	c := registryCache{maxAge: opts.CacheFor, now: time.Now}
	if c.maxAge <= 0 {
		c.maxAge = DefaultCacheFor
	}
	if opts.CacheDir == "" {
		return c
	}
	host := apiURL
	if u, err := url.Parse(apiURL); err == nil {
		host = strings.ToLower(u.Hostname()) + u.Path
	}
	c.key = host + "\n" + strings.ToLower(user)
	sum := sha256.Sum256([]byte(c.key))
	c.path = filepath.Join(opts.CacheDir, "registry-"+hex.EncodeToString(sum[:12])+".json")
	return c
}

// load returns the cached read when there is one younger than maxAge. A
// missing, stale, foreign or corrupt file, or one that others could have
// written, is no cache.
func (c registryCache) load() (*cachedRegistry, bool) {
	if c.path == "" {
		return nil, false
	}
	fi, err := os.Stat(c.path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 {
		return nil, false
	}
	b, err := os.ReadFile(c.path)
	if err != nil {
		return nil, false
	}
	var f cachedRegistry
	if json.Unmarshal(b, &f) != nil || f.Version != registryCacheVersion || f.Key != c.key {
		return nil, false
	}
	if age := c.now().Sub(f.ReadAt); age < 0 || age >= c.maxAge {
		return nil, false
	}
	return &f, true
}

// save writes the read atomically (a temporary file renamed over the old
// one), readable by the owner only: a cell that stops halfway leaves the
// previous cache or none, never half a file.
func (c registryCache) save(reg *registry.Registry, readAt time.Time) error {
	if c.path == "" {
		return nil
	}
	b, err := json.Marshal(cachedRegistry{registryCacheVersion, c.key, readAt.UTC(), reg.Workspaces, reg.Models})
	if err != nil {
		return err
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("registry cache %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".registry-*") // mode 0600
	if err != nil {
		return fmt.Errorf("registry cache %s: %w", dir, err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("registry cache %s: %w", dir, err)
	}
	return nil
}

// registryRead says where the session's last registry came from.
type registryRead struct {
	workspaces, models int
	readAt             time.Time
	cached             bool
}

// Registry returns the tenant's registry: the one this or an earlier
// process read less than Options.CacheFor ago, else a fresh read
// (registry.Read), which it caches for the next. Use ReadRegistry when the
// tenant may have changed since.
func (s *Session) Registry(ctx context.Context) (*registry.Registry, error) {
	if f, ok := s.cache.load(); ok {
		s.last = registryRead{len(f.Workspaces), len(f.Models), f.ReadAt, true}
		return registry.New(f.Workspaces, f.Models), nil
	}
	return s.ReadRegistry(ctx)
}

// ReadRegistry reads the tenant afresh and caches what it read for
// Registry. A cache that cannot be written is no reason to fail the read:
// the next process reads again.
func (s *Session) ReadRegistry(ctx context.Context) (*registry.Registry, error) {
	reg, err := registry.Read(ctx, s.Client)
	if err != nil {
		return nil, err
	}
	readAt := s.cache.now()
	s.last = registryRead{len(reg.Workspaces), len(reg.Models), readAt, false}
	if err := s.cache.save(reg, readAt); err != nil {
		s.logger.Warn("session: the registry read is not cached", "err", err)
	}
	return reg, nil
}

// RegistryNote says in one line where the last Registry or ReadRegistry
// came from and for how long it is reused. A fresh read's note names no
// time, so a notebook that shows it shows the same on every run.
func (s *Session) RegistryNote() string {
	r := s.last
	counts := fmt.Sprintf("%d workspaces and %d models", r.workspaces, r.models)
	switch {
	case r.readAt.IsZero():
		return "The tenant has not been read yet."
	case s.cache.path == "":
		return "Read " + counts + " from the tenant (not cached)."
	case r.cached:
		age := s.cache.now().Sub(r.readAt).Truncate(time.Minute)
		return fmt.Sprintf("Reusing the read of %s from %s ago (%s UTC); reads are kept for %s.",
			counts, minutesText(age), r.readAt.UTC().Format("15:04"), minutesText(s.cache.maxAge))
	default:
		return "Read " + counts + " from the tenant; later cells reuse this read for up to " +
			minutesText(s.cache.maxAge) + " (a cache in the temp directory, for this tenant and user)."
	}
}

// minutesText is d in whole minutes: "1 minute", "10 minutes".
func minutesText(d time.Duration) string {
	n := int(d / time.Minute)
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}
