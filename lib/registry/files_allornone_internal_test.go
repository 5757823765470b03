package registry

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func smallRegistry() *Registry {
	return New([]anaplan.Workspace{{ID: "w1", Name: "Finance"}},
		[]anaplan.Model{{ID: "m1", Name: "Budget", CurrentWorkspaceID: "w1"}})
}

// previousRun writes a previous run's three files into dir.
func previousRun(t *testing.T, dir string) map[string]string {
	t.Helper()
	old := map[string]string{}
	for _, f := range []string{WorkspacesFile, ModelsFile, RegistryFile} {
		old[f] = "previous " + f + "\n"
		if err := os.WriteFile(filepath.Join(dir, f), []byte(old[f]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return old
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestWriteFilesPutsBackWhatAFailedRenameReplaced: when the third rename
// fails after two files were replaced, the two get their previous content
// back, the error says so, and no temporary file or backup is left.
func TestWriteFilesPutsBackWhatAFailedRenameReplaced(t *testing.T) {
	for _, failAt := range []int{1, 2, 3} {
		t.Run(strings.Repeat("ok,", failAt-1)+"fail", func(t *testing.T) {
			dir := t.TempDir()
			old := previousRun(t, dir)
			calls := 0
			rename = func(from, to string) error {
				if calls++; calls == failAt {
					return &os.LinkError{Op: "rename", Old: from, New: to, Err: errors.New("injected failure")}
				}
				return os.Rename(from, to)
			}
			t.Cleanup(func() { rename = os.Rename })
			_, err := smallRegistry().WriteFiles(dir)
			if err == nil || !strings.Contains(err.Error(), "injected failure") || !strings.Contains(err.Error(), "no file was changed") {
				t.Fatalf("WriteFiles error = %v, want the failure and that nothing changed", err)
			}
			for name, want := range old {
				if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != want {
					t.Errorf("%s = %q after the failed run, want the previous %q", name, got, want)
				}
			}
			if names := dirNames(t, dir); len(names) != 3 {
				t.Errorf("dir holds %v, want only the three previous files", names)
			}
		})
	}
}

// TestWriteFilesWithNoPreviousFilesLeavesNone: a failure on a fresh
// directory removes the files it had already moved into place.
func TestWriteFilesWithNoPreviousFilesLeavesNone(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	rename = func(from, to string) error {
		if calls++; calls == 3 {
			return errors.New("injected failure")
		}
		return os.Rename(from, to)
	}
	t.Cleanup(func() { rename = os.Rename })
	if _, err := smallRegistry().WriteFiles(dir); err == nil {
		t.Fatal("WriteFiles succeeded despite a failed rename")
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("dir holds %v after a failed first run, want nothing", names)
	}
}

// TestWriteFilesRefusesATargetThatIsADirectory: with registry.csv a
// directory, nothing is replaced (the rename of the first two would
// succeed), the error names the path, and no temporary file stays.
func TestWriteFilesRefusesATargetThatIsADirectory(t *testing.T) {
	dir := t.TempDir()
	old := previousRun(t, dir)
	os.Remove(filepath.Join(dir, RegistryFile))
	if err := os.Mkdir(filepath.Join(dir, RegistryFile), 0o755); err != nil {
		t.Fatal(err)
	}
	delete(old, RegistryFile)
	_, err := smallRegistry().WriteFiles(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, RegistryFile)) || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("WriteFiles error = %v, want one naming %s as a directory", err, RegistryFile)
	}
	for name, want := range old {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != want {
			t.Errorf("%s = %q, want the previous %q", name, got, want)
		}
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{ModelsFile, RegistryFile, WorkspacesFile}) {
		t.Errorf("dir holds %v", names)
	}
}
