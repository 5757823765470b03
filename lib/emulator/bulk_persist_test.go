package emulator_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestBulkStateSurvivesARestart is the notebook case: one emulator
// uploads and runs, the next one on the same StateDir shows the files,
// the finished tasks, their dumps and the model's data.
func TestBulkStateSurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	first := newHarness(t, emulator.Options{StateDir: dir})
	token := first.login()
	first.uploadInChunks(token, modelsFile, modelsBadCSV, 30)
	first.putFile(token, workspacesFile, workspacesCSV)
	pid, _ := first.runTask(token, "processes", processLoad)
	// An upload left open, to be completed after the restart.
	wantStatus(t, first.postJSON(bulkPath("/files/Notes.txt"), token, `{"chunkCount":-1}`), http.StatusOK)
	wantStatus(t, first.send("PUT", bulkPath("/files/113000000002/chunks/0"), token, "", strings.NewReader("a,b\n")), http.StatusNoContent)
	// A task still running (on the clock) when the emulator stops.
	running := first.startTask(token, "exports", exportModels)
	emulator.WaitTasks(first.e)
	first.srv.Close()
	if err := first.e.Close(); err != nil {
		t.Fatal(err)
	}

	second := newHarness(t, emulator.Options{StateDir: dir})
	second.clock.Advance(2 * emulator.DefaultTaskDuration) // past the first's last task
	token = second.login()
	if got := second.get(bulkPath("/files/"+modelsFile), token); string(got.body) != modelsBadCSV {
		t.Errorf("models.csv after restart = %q", got.body)
	}
	task := second.task(token, "processes", processLoad, pid)
	if task["taskState"] != "COMPLETE" || task["result"].(map[string]any)["failureDumpAvailable"] != true {
		t.Errorf("process task after restart = %v", task)
	}
	dump := bulkPath("/processes/" + processLoad + "/tasks/" + pid + "/dumps/" + importModels)
	if got := second.get(dump, token); !strings.Contains(string(got.body), "NOPE") {
		t.Errorf("dump after restart: %d %s", got.status, got.body)
	}
	if task := second.task(token, "exports", exportModels, running); task["taskState"] != "COMPLETE" {
		t.Errorf("task running at the restart = %v", task)
	}
	// The model's data came back: the export shows the loaded models.
	if rows := second.exportRows(token, exportModels); strings.Join(rows, "|") != "Model Registry,M1,Admin Tools,Model Registry,125829120" {
		t.Errorf("export after restart = %v", rows)
	}
	wantStatus(t, second.postJSON(bulkPath("/files/113000000002/complete"), token, ""), http.StatusOK)
	if got := second.get(bulkPath("/files/113000000002"), token); string(got.body) != "a,b\n" {
		t.Errorf("upload completed after restart = %q", got.body)
	}
	if n := second.e.TaskStarts(emulator.RegistryModelID, processLoad); n != 1 {
		t.Errorf("TaskStarts after restart = %d", n)
	}
	// New task IDs do not repeat the old ones.
	if id := second.startTask(token, "imports", importWorkspaces); id == pid || id == running {
		t.Errorf("task ID %s reused", id)
	}

	// State files and directories are private. Stop the emulator first:
	// while it runs, a write in progress may rename a file the walk lists.
	emulator.WaitTasks(second.e)
	second.srv.Close()
	if err := second.e.Close(); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, err := d.Info()
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, info.Mode().Perm(), want)
		}
		return nil
	})
}

// TestCloseRemovesTheTempDir: without StateDir, chunk bytes live in a
// temporary directory that Close removes.
func TestCloseRemovesTheTempDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h := newHarness(t, emulator.Options{})
	token := h.login()
	h.putFile(token, modelsFile, modelsCSV)
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Fatalf("temp dir holds %d entries, want the emulator's one", len(entries))
	}
	h.srv.Close()
	if err := h.e.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("after Close the temp dir holds %v", entries)
	}
	if err := h.e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestCorruptModelDataIsReportedByName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "bulk", "models"), 0o700); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "bulk", "models", emulator.RegistryModelID+".json")
	if err := os.WriteFile(name, []byte(`{"format":"something else"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := emulator.New(emulator.Options{StateDir: dir})
	if err == nil || !strings.Contains(err.Error(), emulator.RegistryModelID+".json") || !strings.Contains(err.Error(), "delete the file") {
		t.Fatalf("New with corrupt model data: %v", err)
	}
}
