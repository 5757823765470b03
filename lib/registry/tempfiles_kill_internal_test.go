//go:build unix

package registry

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// killedWriterEnv makes the test binary a writer that is killed mid-run:
// it writes the registry into the directory this variable names and, with
// its three temporary files complete, says "ready" and waits to be killed
// instead of renaming them.
const killedWriterEnv = "REGISTRY_TEST_KILLED_WRITER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(killedWriterEnv); dir != "" {
		rename = func(string, string) error {
			fmt.Println("ready")
			select {} // until SIGKILL
		}
		_, err := smallRegistry().WriteFiles(dir)
		fmt.Fprintln(os.Stderr, "the killed writer was not killed:", err)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// startKilledWriter starts a writer process in dir and returns once its
// temporary files are written, and a function that SIGKILLs it.
func startKilledWriter(t *testing.T, dir string) (kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killedWriterEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	kill = func() {
		if !killed {
			killed = true
			cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
			cmd.Wait()
		}
	}
	t.Cleanup(kill)
	line, err := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("writer process said %q (%v), want ready", line, err)
	}
	return kill
}

func tempNames(t *testing.T, dir string) []string {
	t.Helper()
	var temps []string
	for _, n := range dirNames(t, dir) {
		if strings.HasSuffix(n, tempSuffix) {
			temps = append(temps, n)
		}
	}
	return temps
}

// TestWriteFilesRemovesTheTempFilesOfAKilledRun: a run SIGKILLed with its
// temporary files written leaves them behind; a run alongside it must not
// touch them (they are the live writer's), and the next run after the kill
// removes them.
func TestWriteFilesRemovesTheTempFilesOfAKilledRun(t *testing.T) {
	dir := t.TempDir()
	previousRun(t, dir)
	kill := startKilledWriter(t, dir)
	live := tempNames(t, dir)
	if len(live) != 8 {
		t.Fatalf("the writer left %v, want its five temporary files and backups of the three files there were", live)
	}

	if _, err := smallRegistry().WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	if got := tempNames(t, dir); !slices.Equal(got, live) {
		t.Fatalf("a run beside a live writer left temporary files %v, want the writer's own %v untouched", got, live)
	}

	kill()
	if got := tempNames(t, dir); !slices.Equal(got, live) {
		t.Fatalf("after SIGKILL the temporary files are %v, want the killed run's %v (the test proves nothing otherwise)", got, live)
	}
	files, err := smallRegistry().WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{FamiliesFile, HygieneFile, ModelsFile, RegistryFile, WorkspacesFile}) {
		t.Errorf("after the next run the directory holds %v, want only the five files", names)
	}
	if b, _ := os.ReadFile(files.Models); !strings.Contains(string(b), "Budget") {
		t.Errorf("models.csv = %q", b)
	}
}

// TestSaveDumpRemovesTheTempFilesOfAKilledRun: dumps are written the same
// way, so a dump directory is cleaned the same way.
func TestSaveDumpRemovesTheTempFilesOfAKilledRun(t *testing.T) {
	dir := t.TempDir()
	kill := startKilledWriter(t, dir)
	kill()
	if len(tempNames(t, dir)) != 5 {
		t.Fatalf("the killed writer left %v, want its five temporary files", dirNames(t, dir))
	}
	path, err := saveDump(dir, "X/Y", newDumpNames(), func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err })
	if err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{filepath.Base(path)}) {
		t.Errorf("the dump directory holds %v, want only %s", names, filepath.Base(path))
	}
}
