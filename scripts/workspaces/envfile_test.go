package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestNamedEnvFileMustBeReadable: -env naming a file that is not there (a
// typo, a missing mount) stops the script with an error naming the file; it
// never falls back to the demo tenant.
func TestNamedEnvFileMustBeReadable(t *testing.T) {
	clitest.Offline(t)
	dir := t.TempDir()
	tests := map[string]struct{ path, want string }{
		"missing":   {filepath.Join(dir, "prod.env"), "no such file"},
		"directory": {dir, "is a directory"},
		"endless":   {"/dev/zero", "larger than 1 MiB"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			res := clitest.Run(t, run, "-env", tt.path)
			if res.Code == 0 || !strings.Contains(res.Stderr, tt.path) || !strings.Contains(res.Stderr, tt.want) {
				t.Errorf("-env %s: exit %d, stderr %q; want non-zero and an error naming the file and %q", tt.path, res.Code, res.Stderr, tt.want)
			}
			if strings.Contains(res.Stderr, "demo tenant") {
				t.Errorf("-env %s fell back to the demo tenant: %q", tt.path, res.Stderr)
			}
		})
	}
}

// TestDefaultEnvFileMayBeAbsent: with no -env and no .env anywhere the
// script uses the demo tenant, as before.
func TestDefaultEnvFileMayBeAbsent(t *testing.T) {
	clitest.Offline(t)
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), nil, &stdout, &stderr); err != nil || !strings.Contains(stderr.String(), "demo tenant") {
		t.Errorf("run = %v, stderr %q; want the demo tenant", err, stderr.String())
	}
}
