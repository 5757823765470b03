package openapidocs_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/openapidocs"
)

// fixture is a made-up pin with small documents, so the tests need
// neither the real files nor the network.
type fixture struct {
	pin      openapidocs.Pin
	contents map[string][]byte // by path inside the "repository"
	root     string            // a module root in a fresh directory
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{contents: map[string][]byte{}, root: filepath.Join(t.TempDir(), "repo")}
	f.pin = openapidocs.Pin{Repository: "example/specs", Commit: "0123456789abcdef0123456789abcdef01234567"}
	for _, name := range []string{"a-openapi.json", "b-openapi.json", "c-openapi.json"} {
		data := []byte(`{"openapi":"3.0.3","info":{"title":"` + name + `"}}`)
		sum := sha256.Sum256(data)
		path := strings.TrimSuffix(name, "-openapi.json") + "/" + name
		f.pin.Documents = append(f.pin.Documents, openapidocs.Document{Name: name, Path: path, SHA256: hex.EncodeToString(sum[:])})
		f.contents[path] = data
	}
	if err := os.MkdirAll(f.root, 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// serve answers GET /<commit>/<path> with the fixture's files; change
// overrides one path's answer. It counts requests.
func (f *fixture) serve(t *testing.T, change map[string]http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		path, ok := strings.CutPrefix(r.URL.Path, "/"+f.pin.Commit+"/")
		if h := change[path]; ok && h != nil {
			h(w, r)
			return
		}
		data, found := f.contents[path]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// writeCopy puts the fixture's documents (those named, or all) into dir.
func (f *fixture) writeCopy(t *testing.T, dir string, only ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range f.pin.Documents {
		if len(only) > 0 && !contains(only, d.Name) {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, d.Name), f.contents[d.Path], 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// cacheEntries lists what the cache's parent directory holds: after a
// failed fetch it must be empty (no temporary directory left, no copy).
func (f *fixture) cacheEntries(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(f.pin.CacheDir(f.root)))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestFetchWritesEveryDocumentVerified(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv, hits := f.serve(t, nil)
	dir, err := f.pin.Fetch(context.Background(), f.root, openapidocs.FetchOptions{BaseURL: srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(f.root, ".cache", "anaplan-openapi", f.pin.Commit); dir != want {
		t.Errorf("Fetch wrote to %s, want %s", dir, want)
	}
	for _, d := range f.pin.Documents {
		got, err := os.ReadFile(filepath.Join(dir, d.Name))
		if err != nil || string(got) != string(f.contents[d.Path]) {
			t.Errorf("%s: %q, %v; want the served bytes", d.Name, got, err)
		}
	}
	if n := hits.Load(); n != int32(len(f.pin.Documents)) {
		t.Errorf("%d requests, want one per document (%d)", n, len(f.pin.Documents))
	}
	if got := f.cacheEntries(t); len(got) != 1 || got[0] != f.pin.Commit {
		t.Errorf("cache holds %q, want only %s", got, f.pin.Commit)
	}
	if located, err := f.pin.Locate(f.root); err != nil || located != dir {
		t.Errorf("Locate after Fetch = %q, %v; want %s", located, err, dir)
	}
}

func TestFetchFailuresLeaveNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change http.HandlerFunc // the answer for b/b-openapi.json
		want   []string         // what the error must say
	}{
		{"wrong checksum", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"tampered":true}`)) },
			[]string{"b-openapi.json has SHA-256 "}},
		{"server 404", http.NotFound, []string{"b/b-openapi.json", "404 Not Found"}},
		{"partial body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(1000))
			w.Write([]byte(`{"openapi":"3.0.3",`)) // the server closes the connection short of 1000 bytes
		}, []string{"b/b-openapi.json", "unexpected EOF"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			srv, _ := f.serve(t, map[string]http.HandlerFunc{"b/b-openapi.json": tc.change})
			dir, err := f.pin.Fetch(context.Background(), f.root, openapidocs.FetchOptions{BaseURL: srv.URL})
			if err == nil {
				t.Fatalf("Fetch succeeded into %s", dir)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if got := f.cacheEntries(t); len(got) > 0 {
				t.Errorf("a failed fetch left %q in the cache", got)
			}
			var missing *openapidocs.NotFoundError
			if _, err := f.pin.Locate(f.root); !errors.As(err, &missing) {
				t.Errorf("Locate after a failed fetch: %v, want NotFoundError", err)
			}
		})
	}
}

func TestChecksumErrorNamesTheFileAndBothSums(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tampered := []byte(`{"tampered":true}`)
	srv, _ := f.serve(t, map[string]http.HandlerFunc{"c/c-openapi.json": func(w http.ResponseWriter, r *http.Request) { w.Write(tampered) }})
	_, err := f.pin.Fetch(context.Background(), f.root, openapidocs.FetchOptions{BaseURL: srv.URL})
	var bad *openapidocs.ChecksumError
	if !errors.As(err, &bad) {
		t.Fatalf("Fetch returned %v, want a ChecksumError", err)
	}
	sum := sha256.Sum256(tampered)
	want := f.pin.Documents[2]
	if bad.Name != want.Name || bad.Want != want.SHA256 || bad.Got != hex.EncodeToString(sum[:]) {
		t.Errorf("ChecksumError %+v, want name %s, want %s, got %x", bad, want.Name, want.SHA256, sum)
	}
	for _, s := range []string{want.Name, want.SHA256, hex.EncodeToString(sum[:])} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %s", err, s)
		}
	}
}

func TestFetchReplacesAnIncompleteCache(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.writeCopy(t, f.pin.CacheDir(f.root), "a-openapi.json")
	srv, _ := f.serve(t, nil)
	dir, _, err := f.pin.Ensure(context.Background(), f.root, openapidocs.FetchOptions{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.pin.Documents {
		if _, err := os.Stat(filepath.Join(dir, d.Name)); err != nil {
			t.Errorf("%s missing after Ensure: %v", d.Name, err)
		}
	}
}

func TestLocateOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		shared, cache []string // documents present; nil: directory absent; empty: all
		want          string   // "shared", "cache", "missing"
	}{
		{"both: shared first", []string{}, []string{}, "shared"},
		{"only shared", []string{}, nil, "shared"},
		{"only cache", nil, []string{}, "cache"},
		{"shared incomplete", []string{"a-openapi.json"}, []string{}, "cache"},
		{"cache incomplete", nil, []string{"a-openapi.json", "c-openapi.json"}, "missing"},
		{"neither", nil, nil, "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tc.shared != nil {
				f.writeCopy(t, openapidocs.SharedDir(f.root), tc.shared...)
			}
			if tc.cache != nil {
				f.writeCopy(t, f.pin.CacheDir(f.root), tc.cache...)
			}
			dir, err := f.pin.Locate(f.root)
			var missing *openapidocs.NotFoundError
			switch tc.want {
			case "shared":
				if want := filepath.Join(filepath.Dir(f.root), "shared", "anaplan-openapi"); err != nil || dir != want {
					t.Errorf("Locate = %q, %v; want %s", dir, err, want)
				}
			case "cache":
				if err != nil || dir != f.pin.CacheDir(f.root) {
					t.Errorf("Locate = %q, %v; want %s", dir, err, f.pin.CacheDir(f.root))
				}
			case "missing":
				if !errors.As(err, &missing) || missing.Root != f.root {
					t.Errorf("Locate = %q, %v; want NotFoundError for %s", dir, err, f.root)
				}
			}
		})
	}
}

func TestLocateRejectsACopyWithWrongBytes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cache := f.pin.CacheDir(f.root)
	f.writeCopy(t, cache)
	if err := os.WriteFile(filepath.Join(cache, "b-openapi.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := f.pin.Locate(f.root)
	var bad *openapidocs.ChecksumError
	if !errors.As(err, &bad) || bad.Name != "b-openapi.json" {
		t.Fatalf("Locate = %v, want a ChecksumError for b-openapi.json", err)
	}
	if !strings.Contains(err.Error(), "delete "+cache) {
		t.Errorf("error %q does not say to delete the cache", err)
	}
}

func TestNotFoundIsOneLineThatSaysWhatToDo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	msg := (&openapidocs.NotFoundError{Pin: f.pin, Root: f.root}).Error()
	for _, want := range []string{
		"example/specs@0123456789ab",
		openapidocs.SharedDir(f.root),
		f.pin.CacheDir(f.root),
		"run `go run ./scripts/testall` with network",
		"copy a-openapi.json, b-openapi.json, c-openapi.json from that commit into " + f.pin.CacheDir(f.root),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("message spans lines:\n%s", msg)
	}
}

func TestEnsureOfflineFailsWithOneLine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv, _ := f.serve(t, nil)
	srv.Close() // nothing listens: as offline as a test can get
	_, fetched, err := f.pin.Ensure(context.Background(), f.root, openapidocs.FetchOptions{BaseURL: srv.URL})
	if err == nil || fetched {
		t.Fatalf("Ensure offline = %v, fetched %v; want an error", err, fetched)
	}
	msg := err.Error()
	want := (&openapidocs.NotFoundError{Pin: f.pin, Root: f.root}).Error()
	if !strings.HasPrefix(msg, want+" (downloading "+srv.URL+"/") || strings.Contains(msg, "\n") {
		t.Errorf("offline error is not the one line plus the cause:\n%s", msg)
	}
	if got := f.cacheEntries(t); len(got) > 0 {
		t.Errorf("a failed download left %q", got)
	}
}

func TestEnsureUsesACopyWithoutDownloading(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.writeCopy(t, openapidocs.SharedDir(f.root))
	srv, hits := f.serve(t, nil)
	dir, fetched, err := f.pin.Ensure(context.Background(), f.root, openapidocs.FetchOptions{BaseURL: srv.URL})
	if err != nil || fetched || dir != openapidocs.SharedDir(f.root) {
		t.Errorf("Ensure = %q, fetched %v, %v; want the shared copy, no download", dir, fetched, err)
	}
	if hits.Load() != 0 {
		t.Errorf("Ensure downloaded although a copy exists")
	}
}

// The pinned list is what the contract tests and the README promise: four
// documents of one commit, each with a SHA-256 sum, at the upstream paths.
func TestPinnedDocuments(t *testing.T) {
	t.Parallel()
	p := openapidocs.Pinned()
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(p.Commit) || p.Repository != "setikites/anaplan-openapi" {
		t.Errorf("pin %s", p)
	}
	want := map[string]string{
		openapidocs.ALM:            "alm/alm-openapi.json",
		openapidocs.Authentication: "authentication/authentication-openapi.json",
		openapidocs.Integration:    "integration/integration-openapi.json",
		openapidocs.OAuth:          "oauth/oauth-openapi.json",
	}
	if len(p.Documents) != len(want) {
		t.Errorf("%d documents, want %d", len(p.Documents), len(want))
	}
	sum := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, d := range p.Documents {
		if want[d.Name] != d.Path || !sum.MatchString(d.SHA256) {
			t.Errorf("document %+v: want path %q and a SHA-256 sum", d, want[d.Name])
		}
	}
}

func TestModuleRoot(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	deep := filepath.Join(root, "lib", "emulator")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := openapidocs.ModuleRoot(deep); err != nil || got != root {
		t.Errorf("ModuleRoot(%s) = %q, %v; want %s", deep, got, err, root)
	}
	if _, err := openapidocs.ModuleRoot(filepath.Dir(root)); err == nil {
		t.Errorf("ModuleRoot above the module found one")
	}
}
