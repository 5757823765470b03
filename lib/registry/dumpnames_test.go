package registry_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestDumpsOfImportsWhoseNamesCollideAsFiles: two imports named "X/Y" and
// "X_Y" (one file name once '/' is made safe) both reject rows; each dump
// gets its own file, whole, in one Load and in one process run.
func TestDumpsOfImportsWhoseNamesCollideAsFiles(t *testing.T) {
	t.Parallel()
	def := engine.ModelRegistryDefinition()
	def = bytes.Replace(def, []byte(`"parent": "Workspace"`), []byte(`"parent": "Name"`), 1) // every model row fails
	def = bytes.ReplaceAll(def, []byte(`"W2 Models from models.csv"`), []byte(`"X/Y"`))
	def = bytes.ReplaceAll(def, []byte(`"W2 Model Register from models.csv"`), []byte(`"X_Y"`))
	for _, process := range []string{"", "Load Model Registry"} {
		t.Run("process="+process, func(t *testing.T) {
			t.Parallel()
			e, err := emulator.New(emulator.Options{TaskDuration: 5 * time.Millisecond,
				ModelDefinitions: map[string][]byte{emulator.RegistryModelID: def}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e.Close() })
			srv := httptest.NewServer(e.Handler())
			t.Cleanup(srv.Close)
			ctx := context.Background()
			c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
				anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithPollInterval(time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			reg, err := registry.Read(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			files, err := reg.WriteFiles(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			dumps := t.TempDir()
			report, err := registry.Load(ctx, c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID), files,
				registry.LoadOptions{Process: process, DumpDir: dumps})
			if err != nil {
				t.Fatal(err)
			}
			paths := map[string]string{}
			for _, ir := range report.Imports {
				if ir.Name == "X/Y" || ir.Name == "X_Y" {
					if ir.Failed <= 0 || ir.DumpPath == "" {
						t.Fatalf("%s: failed %d, dump %q: want rejected rows and a dump", ir.Name, ir.Failed, ir.DumpPath)
					}
					paths[ir.Name] = ir.DumpPath
				}
			}
			if len(paths) != 2 || paths["X/Y"] == paths["X_Y"] {
				t.Fatalf("dump paths %v: want one file per import", paths)
			}
			a, _ := os.ReadFile(paths["X/Y"])
			b, _ := os.ReadFile(paths["X_Y"])
			if bytes.Equal(a, b) {
				t.Errorf("the two dumps are identical: one overwrote the other?")
			}
			entries, _ := os.ReadDir(dumps)
			if len(entries) != 2 {
				t.Errorf("the dump directory holds %d files, want 2", len(entries))
			}
			for name, path := range paths {
				if filepath.Dir(path) != dumps {
					t.Errorf("%s's dump %s is outside %s", name, path, dumps)
				}
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				df, err := registry.ReadDump(f)
				f.Close()
				if err != nil || df.Nrow() != len(reg.Models) {
					t.Errorf("%s's dump: %d rows (%v), want %d", name, df.Nrow(), err, len(reg.Models))
				}
			}
		})
	}
}
