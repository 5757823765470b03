package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// hangLimit only detects a run that ignores its cancelled context: the
// waits it would otherwise sit out are minutes long.
const hangLimit = 30 * time.Second

// runUntil runs the script with args and cancels its context when
// trigger fires; it returns what main would exit with and print, and
// run's error.
func runUntil(t *testing.T, trigger <-chan struct{}, args ...string) (code int, line string, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, &bytes.Buffer{}, &stderr) }()
	select {
	case <-trigger:
		cancel()
	case err := <-done:
		t.Fatalf("run ended before the interruption: %v\n%s", err, stderr.String())
	case <-time.After(hangLimit):
		t.Fatal("the trigger never fired")
	}
	select {
	case err = <-done:
		var exit bytes.Buffer
		code = cli.ExitCode(err, &exit)
		return code, exit.String(), err
	case <-time.After(hangLimit):
		t.Fatal("run did not return after its context was cancelled: a wait ignores the context")
	}
	return 0, "", nil
}

// TestInterruptDuringRetryAfter: Ctrl-C while the client sits out a
// 50-second Retry-After ends the wait at once: exit 130, "interrupted",
// and no output directory.
func TestInterruptDuringRetryAfter(t *testing.T) {
	clitest.Offline(t)
	asked := make(chan struct{})
	var once sync.Once
	base := impersonate(t, emulator.Demo(), func(w http.ResponseWriter, r *http.Request, _ int, _ http.Header, _ []byte) bool {
		if r.URL.Path != "/2/0/models" && r.URL.Path != "/2/0/workspaces" {
			return false
		}
		w.Header().Set("Retry-After", "50")
		w.WriteHeader(http.StatusTooManyRequests)
		once.Do(func() { close(asked) })
		return true
	})
	useBasic(t, base, emulator.DemoUser, emulator.DemoPassword)
	out := filepath.Join(t.TempDir(), "out")
	code, line, err := runUntil(t, asked, "-env", os.DevNull, "-out", out)
	if !errors.Is(err, context.Canceled) || code != 130 {
		t.Errorf("run = %v, exit %d (%q); want context.Canceled and 130", err, code, line)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an interrupted read created the output directory: %v", err)
	}
}

// TestInterruptDuringLoadCancelsTheImport: Ctrl-C while an import task
// runs ends the wait and cancels the task on the server, so the import
// does not hold the model after the script is gone; the registry files,
// written before the load, are complete.
func TestInterruptDuringLoadCancelsTheImport(t *testing.T) {
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{TaskDuration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	useBasic(t, srv.URL, emulator.DemoUser, emulator.DemoPassword)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.AuthURL()), anaplan.WithAPIURL(srv.APIURL()))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	imports, err := anaplan.Collect(m.ListImports(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	go func() {
		for range time.Tick(10 * time.Millisecond) {
			for _, imp := range imports {
				if srv.Emulator.TaskStarts(emulator.RegistryModelID, imp.ID) > 0 {
					close(started)
					return
				}
			}
		}
	}()
	out := t.TempDir()
	code, line, err := runUntil(t, started, "-env", os.DevNull, "-out", out, "-load")
	if !errors.Is(err, context.Canceled) || code != 130 {
		t.Errorf("run = %v, exit %d (%q); want context.Canceled and 130", err, code, line)
	}
	cancelled := 0
	for _, imp := range imports {
		if srv.Emulator.TaskStarts(emulator.RegistryModelID, imp.ID) == 0 {
			continue
		}
		var tasks struct {
			Tasks []struct{ TaskID, TaskState string } `json:"tasks"`
		}
		if err := getJSON(c, srv.APIURL()+"/workspaces/"+emulator.RegistryWorkspaceID+"/models/"+emulator.RegistryModelID+"/imports/"+imp.ID+"/tasks", &tasks); err != nil {
			t.Fatal(err)
		}
		for _, tk := range tasks.Tasks {
			if tk.TaskState != "CANCELLED" && tk.TaskState != "CANCELLING" {
				t.Errorf("import %s task %s is %s after the script was interrupted", imp.Name, tk.TaskID, tk.TaskState)
			}
			cancelled++
		}
	}
	if cancelled != 1 {
		t.Errorf("%d import tasks found, want the one that was running", cancelled)
	}
	for _, name := range []string{"workspaces.csv", "models.csv", "registry.csv"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		parseCSV(t, name, string(b))
	}
}

// getJSON GETs an API URL with c's token and decodes the answer.
func getJSON(c *anaplan.Client, url string, out any) error {
	tok, err := c.Token(context.Background())
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "AnaplanAuthToken "+tok.Value())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
