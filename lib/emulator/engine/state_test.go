package engine_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exportAll(t *testing.T, m *engine.Model) string {
	t.Helper()
	var b strings.Builder
	for _, e := range m.Exports() {
		out, _, err := m.RunExport(e.ID)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(out)
	}
	b.WriteString(jsonOf(t, listItems(t, m, "W1 Workspaces")))
	b.WriteString(jsonOf(t, listItems(t, m, "W2 Models")))
	return b.String()
}

func TestSnapshotRestoreRoundTrips(t *testing.T) {
	t.Parallel()
	src := engine.ModelRegistry()
	loadRegistry(t, src, registryWorkspaces, registryModels)
	snap, err := src.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	dst := engine.ModelRegistry()
	if err := dst.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if got, want := exportAll(t, dst), exportAll(t, src); got != want {
		t.Errorf("restored model differs:\n got %s\nwant %s", got, want)
	}
	again, err := dst.Snapshot()
	if err != nil || !bytes.Equal(again, snap) {
		t.Errorf("snapshot of the restored model differs (err %v)", err)
	}
	// New items continue the numbering instead of reusing ids.
	runImport(t, dst, engine.RegistryImportWorkspaces, "Code,Name,sizeAllowance,currentSize\nNEW,New,1,1\n")
	items := listItems(t, dst, "W1 Workspaces")
	if last := items[len(items)-1]; last.ID != "200000000006" || last.Code != "NEW" {
		t.Errorf("new item after restore = %+v, want id 200000000006", last)
	}
}

// A bad snapshot is refused with a clear error and changes nothing.
func TestRestoreRejectsBadSnapshots(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	loadRegistry(t, m, registryWorkspaces, registryModels)
	before := exportAll(t, m)
	good, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, snap, want string }{
		{"not JSON", "{", "not a snapshot"},
		{"other format", `{"format":"x"}`, `snapshot format "x"`},
		{"other model", strings.Replace(string(good), `"model":"Model Registry"`, `"model":"Other"`, 1), `snapshot is of model "Other"`},
		{"unknown list", strings.Replace(string(good), `"name":"W2 Models"`, `"name":"W3"`, 1), `list "W3" is not in model`},
		{"dangling parent", strings.Replace(string(good), `"parent":"200000000005"`, `"parent":"200000000099"`, 1), `parent "200000000099" is not an item of list "W1 Workspaces"`},
		{"bad number", strings.Replace(string(good), `"Current Size":"123456"`, `"Current Size":"lots"`, 1), `"lots" is not a number`},
		{"duplicate code", strings.Replace(string(good), "8a81b09d5e8c6f27015e8d4f1a2b0002", "8a81b09d5e8c6f27015e8d4f1a2b0001", 1), "is used twice"},
	}
	for _, tc := range tests {
		err := m.Restore([]byte(tc.snap))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Restore = %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if after := exportAll(t, m); after != before {
		t.Errorf("a refused restore changed the model:\n%s", after)
	}
}

// cancelAfter is a reader that cancels a context once n bytes were read,
// mid-import.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	if len(p) > 512 {
		p = p[:512]
	}
	n, err := c.r.Read(p)
	c.n -= n
	return n, err
}

// Cancelling an import rolls back what it created and what it changed.
func TestCancelRollsBack(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	loadRegistry(t, m, registryWorkspaces, registryModels)
	before := exportAll(t, m)

	var big strings.Builder
	big.WriteString("Code,Name,sizeAllowance,currentSize\n")
	big.WriteString("8a81b09d5e8c6f27015e8d4f1a2b0001,Renamed,1,1\n") // an update of an existing item
	for i := range 100_000 {
		big.WriteString("K" + itoa(i) + ",Name,2,3\n") // new items (or unknown ones for the module import)
	}
	for _, name := range []string{engine.RegistryImportWorkspaces, engine.RegistryImportWorkspaceData} {
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancelAfter{r: strings.NewReader(big.String()), n: 200_000, cancel: cancel}
		_, err := m.RunImport(ctx, importID(t, m, name), r, nil)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: err = %v, want context.Canceled", name, err)
		}
	}
	if after := exportAll(t, m); after != before {
		t.Errorf("cancelled imports left changes:\n got %s\nwant %s", after, before)
	}
	// The model is usable afterwards and not busy.
	if m.Busy() {
		t.Error("Busy() after the imports returned")
	}
	runImport(t, m, engine.RegistryImportWorkspaces, "Code,Name,sizeAllowance,currentSize\nAFTER,After,1,1\n")
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		if i /= 10; i == 0 {
			return string(b[n:])
		}
	}
}

// blockingReader holds an import open until released.
type blockingReader struct {
	started chan struct{}
	release chan struct{}
	r       io.Reader
	once    sync.Once
}

func (b *blockingReader) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.started); <-b.release })
	return b.r.Read(p)
}

// The model reports busy while an import runs; imports serialize; reads
// and imports from many goroutines are race-free (run with -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	if m.Busy() {
		t.Fatal("new model is busy")
	}
	br := &blockingReader{started: make(chan struct{}), release: make(chan struct{}), r: strings.NewReader(registryWorkspaces)}
	done := make(chan error)
	go func() {
		_, err := m.RunImport(context.Background(), importID(t, m, engine.RegistryImportWorkspaces), br, nil)
		done <- err
	}()
	<-br.started
	if !m.Busy() {
		t.Error("Busy() = false while an import runs")
	}
	close(br.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				switch (g + i) % 4 {
				case 0:
					if _, err := m.RunImport(context.Background(), "112000000000", strings.NewReader(registryWorkspaces), nil); err != nil {
						t.Error(err)
					}
				case 1:
					if _, err := m.RunProcess(context.Background(), "118000000000", registryFiles(registryWorkspaces, registryModels), nil); err != nil {
						t.Error(err)
					}
				case 2:
					if _, _, err := m.RunExport("116000000001"); err != nil {
						t.Error(err)
					}
				default:
					m.Busy()
					if _, err := m.ListItems("101000000001"); err != nil {
						t.Error(err)
					}
					if _, err := m.ModuleRows("102000000000"); err != nil {
						t.Error(err)
					}
					if _, err := m.Snapshot(); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if n := len(listItems(t, m, "W1 Workspaces")); n != 5 {
		t.Errorf("after concurrent reloads W1 Workspaces has %d items, want 5", n)
	}
}
