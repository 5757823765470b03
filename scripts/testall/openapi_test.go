package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/openapidocs"
)

// withOpenAPI gives the fake machine a repository in a temporary directory
// and a pin of one small document served by a local server. It returns
// the module root, the document and the server's request count.
func withOpenAPI(t *testing.T, m *fakeMachine) (root string, doc []byte, hits *atomic.Int32) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "toolkit")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	m.goEnv = filepath.Join(root, "go.mod") + "\n/usr/local/go\n1\nlinux\namd64\n"
	doc = []byte(`{"openapi":"3.0.3"}`)
	sum := sha256.Sum256(doc)
	m.openAPI = openapidocs.Pin{Repository: "example/specs", Commit: strings.Repeat("a", 40),
		Documents: []openapidocs.Document{{Name: "x-openapi.json", Path: "x/x-openapi.json", SHA256: hex.EncodeToString(sum[:])}}}
	hits = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/"+m.openAPI.Commit+"/x/x-openapi.json" {
			http.NotFound(w, r)
			return
		}
		w.Write(doc)
	}))
	t.Cleanup(srv.Close)
	m.fetch = openapidocs.FetchOptions{BaseURL: srv.URL}
	return root, doc, hits
}

func TestDownloadsMissingOpenAPIDocuments(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	root, doc, _ := withOpenAPI(t, m)
	stdout, stderr, err := m.testall(t)
	if err != nil {
		t.Fatalf("testall failed: %v\n%s", err, stderr)
	}
	cache := m.openAPI.CacheDir(root)
	if got, err := os.ReadFile(filepath.Join(cache, "x-openapi.json")); err != nil || string(got) != string(doc) {
		t.Errorf("cache holds %q, %v; want the served document", got, err)
	}
	if want := "testall: downloading the OpenAPI documents of example/specs@aaaaaaaaaaaa into " + cache + "\n"; !strings.Contains(stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, stdout)
	}
}

func TestOpenAPICopyBesideTheRepositoryIsUsed(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	root, doc, hits := withOpenAPI(t, m)
	shared := filepath.Join(filepath.Dir(root), "shared", "anaplan-openapi")
	if err := os.MkdirAll(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shared, "x-openapi.json"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := m.testall(t)
	if err != nil {
		t.Fatalf("testall failed: %v\n%s", err, stderr)
	}
	if hits.Load() != 0 {
		t.Errorf("testall downloaded although %s has the documents", shared)
	}
	if want := "testall: OpenAPI documents in " + shared + "\n"; !strings.Contains(stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, stdout)
	}
}

func TestOfflineWithoutOpenAPIDocumentsFailsWithOneLine(t *testing.T) {
	t.Parallel()
	m := newFakeMachine()
	root, _, _ := withOpenAPI(t, m)
	m.fetch.BaseURL = "http://127.0.0.1:1" // nothing listens on port 1
	_, stderr, err := m.testall(t)
	if err == nil || err.Error() != "FAIL: openapi" {
		t.Errorf("testall returned %v, want FAIL: openapi", err)
	}
	var lines []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "testall: openapi: ") {
			lines = append(lines, line)
		}
	}
	want := "testall: openapi: " + (&openapidocs.NotFoundError{Pin: m.openAPI, Root: root}).Error() + " (downloading http://127.0.0.1:1/"
	if len(lines) != 1 || !strings.HasPrefix(lines[0], want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr is not the one line %q...:\n%s", want, stderr)
	}
	if _, err := os.Stat(m.openAPI.CacheDir(root)); !os.IsNotExist(err) {
		t.Errorf("a failed download left the cache directory: %v", err)
	}
	if !slices.Contains(m.ran, testLine) {
		t.Errorf("go test did not run after the openapi step failed; ran %q", m.ran)
	}
}
