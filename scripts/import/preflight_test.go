package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// sandbox serves an emulator the script reaches through the ANAPLAN_
// settings, so a test can read what the script asked of it (Stats).
func sandbox(t *testing.T, intercept emulator.Interceptor) (*emulator.Emulator, string) {
	t.Helper()
	e, err := emulator.New(emulator.Options{Intercept: intercept})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	clitest.Offline(t)
	t.Setenv("ANAPLAN_AUTH_URL", srv.URL)
	t.Setenv("ANAPLAN_API_URL", srv.URL+"/2/0")
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	return e, srv.URL
}

// requests counts the requests whose "METHOD pattern" starts with method
// and contains part, in either model form.
func requests(e *emulator.Emulator, method, part string) int {
	n := 0
	for key, c := range e.Stats().Requests {
		if strings.HasPrefix(key, method+" ") && strings.Contains(key, part) {
			n += c
		}
	}
	return n
}

func totalRequests(e *emulator.Emulator) int {
	n := 0
	for _, c := range e.Stats().Requests {
		n += c
	}
	return n
}

// TestImportRefusesOutOfRangeFlags: every numeric flag outside its range
// is a usage error naming the flag and the range, before any request.
func TestImportRefusesOutOfRangeFlags(t *testing.T) {
	e, _ := sandbox(t, nil)
	file := writeCSV(t, "workspaces.csv", workspacesCSV)
	for _, tc := range []struct {
		flag, value, want string
	}{
		{"-chunk-size", "0", "1 to 50"},
		{"-chunk-size", "51", "1 to 50"},
		{"-chunk-size", "8MB", "1 to 50"},
		{"-parallel", "0", "1 to 16"},
		{"-parallel", "-1", "1 to 16"},
		{"-parallel", "17", "1 to 16"},
	} {
		res := clitest.Run(t, run, args("-file", file, "-import", "W1 Workspaces from workspaces.csv", tc.flag, tc.value)...)
		if res.Code != 2 || !strings.Contains(res.Stderr, "flag "+tc.flag) || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("%s %s: exit %d, stderr %q; want exit 2 naming %s and %q", tc.flag, tc.value, res.Code, res.Stderr, tc.flag, tc.want)
		}
	}
	if n := totalRequests(e); n != 0 {
		t.Errorf("bad flags reached the network: %d requests", n)
	}
}

// TestImportChunkSizeErrorNamesTheFlag: a file too large for -chunk-size
// is refused before connecting, in the script's terms: the flag and the
// value to use, not the library's UploadOptions.ChunkSize.
func TestImportChunkSizeErrorNamesTheFlag(t *testing.T) {
	e, _ := sandbox(t, nil)
	big := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 1001 MiB on paper, nothing on disk.
	if err := f.Truncate(1001 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res := clitest.Run(t, run, args("-file", big, "-import", "W1 Workspaces from workspaces.csv", "-chunk-size", "1")...)
	if res.Code == 0 || !strings.Contains(res.Stderr, "-chunk-size 1: ") || !strings.Contains(res.Stderr, "use -chunk-size 2 or more") {
		t.Errorf("exit %d, stderr %q; want -chunk-size named with the value that fits", res.Code, res.Stderr)
	}
	if strings.Contains(res.Stderr, "UploadOptions") {
		t.Errorf("the script's error names the library's option: %q", res.Stderr)
	}
	if n := requests(e, "POST", "/files/{fileId}") + requests(e, "PUT", "/chunks/"); n != 0 {
		t.Errorf("%d upload requests were sent for a file that cannot fit", n)
	}
}

// TestImportResolvesNamesBeforeUploading: a wrong -process, -import or
// -source fails at once, listing the names there are, and nothing is
// uploaded.
func TestImportResolvesNamesBeforeUploading(t *testing.T) {
	e, _ := sandbox(t, nil)
	file := writeCSV(t, "workspaces.csv", workspacesCSV)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{args("-file", file, "-source", "workspaces.csv", "-process", "Load Model Registy"),
			[]string{`-process: `, `no process named "Load Model Registy"`, `"Load Model Registry"`}},
		{args("-file", file, "-import", "W1 Workspace from workspaces.csv"),
			[]string{`-import: `, `"W1 Workspaces from workspaces.csv"`}},
		{args("-file", file, "-source", "workspace.csv", "-import", "W1 Workspaces from workspaces.csv"),
			[]string{`-source: `, `no file named "workspace.csv"`, `"workspaces.csv"`}},
	} {
		res := clitest.Run(t, run, tc.args...)
		if res.Code == 0 {
			t.Errorf("%v: exit 0", tc.args)
		}
		for _, want := range tc.want {
			if !strings.Contains(res.Stderr, want) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, res.Stderr, want)
			}
		}
	}
	if n := requests(e, "POST", "/files/{fileId}") + requests(e, "PUT", "/chunks/"); n != 0 {
		t.Errorf("%d upload requests were sent before the names were checked", n)
	}
	if n := requests(e, "POST", "/tasks"); n != 0 {
		t.Errorf("%d tasks were started", n)
	}
}

// TestImportChecksTheDumpDirBeforeRunning: a -dumps that cannot hold the
// failure dumps stops the run before the upload and the import.
func TestImportChecksTheDumpDirBeforeRunning(t *testing.T) {
	e, _ := sandbox(t, nil)
	file := writeCSV(t, "workspaces.csv", workspacesCSV)
	notDir := writeCSV(t, "dumps", "a file where the dumps should go\n")
	for _, tc := range []struct{ dumps, want string }{
		{notDir, "is a file, not a directory"},
		{filepath.Join(notDir, "sub"), "cannot be created: " + notDir + " is a file"},
	} {
		res := clitest.Run(t, run, args("-file", file, "-import", "W1 Workspaces from workspaces.csv", "-dumps", tc.dumps)...)
		if res.Code == 0 || !strings.Contains(res.Stderr, "-dumps "+tc.dumps) || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("-dumps %s: exit %d, stderr %q; want %q", tc.dumps, res.Code, res.Stderr, tc.want)
		}
	}
	if n := totalRequests(e); n != 0 {
		t.Errorf("the run reached the network (%d requests) with an unusable -dumps", n)
	}
	// A directory that does not exist yet is fine, and is not created
	// unless a dump needs it.
	fresh := filepath.Join(t.TempDir(), "new", "dumps")
	res := clitest.Run(t, run, args("-file", file, "-import", "W1 Workspaces from workspaces.csv", "-dumps", fresh)...)
	if res.Code != 0 {
		t.Fatalf("-dumps %s (to be created): exit %d, %s", fresh, res.Code, res.Stderr)
	}
	if _, err := os.Stat(filepath.Dir(fresh)); !os.IsNotExist(err) {
		t.Errorf("the check created %s though no dump was written", filepath.Dir(fresh))
	}
}

// TestImportInterruptedUploadSaysWhatBecameOfTheFile: a Ctrl-C (the
// script's context cancelled) while chunk 1 is in transit: the script
// discards the chunk it sent, says so, and the server file is not left
// half-written.
func TestImportInterruptedUploadSaysWhatBecameOfTheFile(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, url := sandbox(t, func(w http.ResponseWriter, r *http.Request, route string, next http.Handler) {
		if r.Method == http.MethodPut && strings.HasSuffix(route, "/chunks/{chunkId}") && r.PathValue("chunkId") == "1" {
			cancel()
			_, _ = io.Copy(io.Discard, r.Body)
			<-r.Context().Done() // the client hung up: the chunk is lost in transit
			return
		}
		next.ServeHTTP(w, r)
	})
	data := bytes.Repeat([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,Finance,100,50\n"), 3<<20/48)
	file := writeCSV(t, "workspaces.csv", "Code,Name,sizeAllowance,currentSize\n"+string(data))
	var stdout, stderr bytes.Buffer
	err := run(ctx, append([]string{"-env", os.DevNull},
		args("-file", file, "-import", "W1 Workspaces from workspaces.csv", "-chunk-size", "1", "-parallel", "1", "-no-gzip")...), &stdout, &stderr)
	code := cli.ExitCode(err, &stderr)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword), anaplan.WithAuthURL(url), anaplan.WithAPIURL(url+"/2/0"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID).FindFile(context.Background(), "workspaces.csv")
	if err != nil || f.ChunkCount != 0 {
		t.Errorf("the server file is %+v (%v), want chunkCount 0, not left half-written", f, err)
	}
	// The exit line says what became of the server file.
	want := "interrupted during the upload to Anaplan file " + f.ID + ": discarded the 1 chunk sent; the server file holds no uploaded data"
	if code != 130 || !strings.Contains(stderr.String(), want) {
		t.Errorf("exit %d, stderr %q; want 130 and %q", code, stderr.String(), want)
	}
	if n := requests(e, "POST", "/tasks"); n != 0 {
		t.Errorf("the import was started after the interrupted upload")
	}
}
