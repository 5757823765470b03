package registry_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// loadEnv is the demo tenant on an emulator whose tasks finish in
// milliseconds, and a client that polls as fast.
type loadEnv struct {
	e      *emulator.Emulator
	client *anaplan.Client
	reg    *registry.Registry
	files  registry.Files
}

func newLoadEnv(t *testing.T) *loadEnv {
	t.Helper()
	e, err := emulator.New(emulator.Options{TaskDuration: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Read(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	files, err := reg.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &loadEnv{e: e, client: c, reg: reg, files: files}
}

func (env *loadEnv) model() *anaplan.ModelHandle {
	return env.client.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
}

// export runs the model's export of a register and returns its rows.
func (env *loadEnv) export(t *testing.T, name string) [][]string {
	t.Helper()
	ctx := context.Background()
	m := env.model()
	exp, err := m.FindExport(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	task, err := m.RunExport(ctx, exp.ID, anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := task.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.Download(ctx, exp.ID, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLoadIntoTheRegistryModel(t *testing.T) {
	t.Parallel()
	for _, process := range []string{"", "Load Model Registry"} {
		t.Run("process="+process, func(t *testing.T) {
			t.Parallel()
			env := newLoadEnv(t)
			var uploads, polls int
			report, err := registry.Load(context.Background(), env.model(), env.files, registry.LoadOptions{
				Process:  process,
				DumpDir:  t.TempDir(),
				OnUpload: func(string, anaplan.UploadProgress) { uploads++ },
				OnTask:   func(string, anaplan.TaskStatus) { polls++ },
			})
			if err != nil {
				t.Fatal(err)
			}
			if !report.Succeeded() || report.FailedRows() != 0 || len(report.Imports) != 4 {
				t.Fatalf("report = %+v", report)
			}
			if uploads == 0 || polls == 0 {
				t.Errorf("progress callbacks: %d uploads, %d polls", uploads, polls)
			}
			for _, ir := range report.Imports {
				want := len(env.reg.Models)
				if strings.Contains(ir.Name, "W1") {
					want = len(env.reg.Workspaces)
				}
				if ir.Loaded != want || ir.Failed != 0 {
					t.Errorf("%s: loaded %d failed %d, want %d and 0", ir.Name, ir.Loaded, ir.Failed, want)
				}
			}
			// W2 Model Register holds one row per model, with its workspace
			// as parent and its size.
			rows := env.export(t, "W2 Model Register.csv")
			header := strings.Join(rows[0], ",")
			if len(rows)-1 != len(env.reg.Models) {
				t.Fatalf("W2 Model Register has %d rows, want %d (header %s)", len(rows)-1, len(env.reg.Models), header)
			}
			text := strings.Join(flatten(rows), "\n")
			for _, m := range env.reg.Models {
				ws, _ := env.reg.Workspace(m.CurrentWorkspaceID)
				if !strings.Contains(text, m.ID) || !strings.Contains(text, ws.Name) {
					t.Errorf("model %s (%s) or its workspace %s missing from the register", m.ID, m.Name, ws.Name)
				}
			}
		})
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestLoadReportsFailedRows adds a model whose workspace does not exist: the
// import rejects that row, the report counts it and the dump names it.
func TestLoadReportsFailedRows(t *testing.T) {
	t.Parallel()
	env := newLoadEnv(t)
	f, err := os.OpenFile(env.files.Models, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("BAD00000000000000000000000000000,Ghost model,ffffffffffffffffffffffffffffffff,12\n")
	f.Close()
	dumps := t.TempDir()
	report, err := registry.Load(context.Background(), env.model(), env.files, registry.LoadOptions{DumpDir: dumps})
	if err != nil {
		t.Fatal(err)
	}
	if report.Succeeded() || report.FailedRows() == 0 {
		t.Fatalf("a bad row went unreported: %+v", report)
	}
	var dumped *registry.ImportReport
	for i, ir := range report.Imports {
		if ir.Failed > 0 {
			dumped = &report.Imports[i]
		}
	}
	if dumped == nil || dumped.DumpPath == "" {
		t.Fatalf("no dump written: %+v", report.Imports)
	}
	fr, err := os.Open(dumped.DumpPath)
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	df, err := registry.ReadDump(fr)
	if err != nil {
		t.Fatal(err)
	}
	if df.Nrow() != 1 || !strings.Contains(strings.Join(df.Col("Code").Records(), ","), "BAD0000") {
		t.Errorf("dump frame:\n%v", df)
	}
	for _, col := range []string{"_Line_", "_Error_1_"} {
		if df.Col(col).Err != nil {
			t.Errorf("dump lacks %s: %v", col, df.Names())
		}
	}
	if strings.Contains(filepath.Base(dumped.DumpPath), "/") || !strings.HasSuffix(dumped.DumpPath, ".dump.csv") {
		t.Errorf("dump path %q", dumped.DumpPath)
	}
}

func TestFindModel(t *testing.T) {
	t.Parallel()
	r := fixture()
	if m, err := r.FindModel("Sales, EMEA"); err != nil || m.Name != "Sales, EMEA" {
		t.Errorf("by name: %v %v", m.Name, err)
	}
	if _, err := r.FindModel("Nope"); err == nil || !strings.Contains(err.Error(), "no model named") {
		t.Errorf("missing: %v", err)
	}
	dup := registry.New(r.Workspaces, append(r.Models, r.Models[0]))
	if _, err := dup.FindModel(r.Models[0].Name); err == nil || !strings.Contains(err.Error(), "give the id") {
		t.Errorf("ambiguous: %v", err)
	}
}
