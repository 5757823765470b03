package anaplan_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// These tests run the client against the real emulator's bulk API over
// HTTP: the demo tenant's Model Registry model, backed by the model engine
// (lib/emulator/engine). Task progress derives from the emulator's clock,
// which the client's sleep hook advances: no test waits for real time
// beyond the engine's own few milliseconds.

// Registry CSVs in the shapes the tutorial uploads.
const (
	workspacesCSV = "Code,Name,sizeAllowance,currentSize\r\n" +
		"W1,Admin Tools,2147483648,1073741824\r\n" +
		"W2,Finance,1073741824,536870912\r\n"
	modelsCSV = "Code,Name,Workspace,currentSize\r\n" +
		"M1,Model Registry,W1,125829120\r\n" +
		"M2,FP&A,W2,500000000\r\n" +
		"M3,\"Sales, EMEA\",W2,42\r\n"
	// modelsBadCSV has a row whose workspace does not exist (line 3).
	modelsBadCSV = "Code,Name,Workspace,currentSize\r\n" +
		"M1,Model Registry,W1,125829120\r\n" +
		"M9,Orphan,NOPE,7\r\n"
)

// emu is a client on the Model Registry model of a fresh emulator.
type emu struct {
	e     *emulator.Emulator
	clock *emulator.Clock
	m     *anaplan.ModelHandle
	waits *waits
}

func newEmu(t *testing.T, opts ...anaplan.Option) *emu {
	t.Helper()
	clock := emulator.NewClock(testStart)
	e, err := emulator.New(emulator.Options{Now: clock.Now, TaskDuration: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	w := &waits{}
	// Every wait (polls, retries) advances the shared clock instead of
	// sleeping, once the engine's runs have finished.
	sleep := func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		_ = w.sleep(ctx, d)
		e.Settle() // engine runs end before the clock moves on
		clock.Advance(max(d, 500*time.Millisecond))
		return ctx.Err()
	}
	base := []anaplan.Option{
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL + "/2/0"),
		anaplan.WithClock(clock.Now), anaplan.WithSleep(sleep),
	}
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &emu{e: e, clock: clock, m: c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID), waits: w}
}

// upload puts content into the file an import reads, found by name.
func (x *emu) upload(t *testing.T, importName, content string, opts anaplan.UploadOptions) anaplan.File {
	t.Helper()
	imp, err := x.m.FindImport(t.Context(), importName)
	if err != nil {
		t.Fatal(err)
	}
	f, err := x.m.Upload(t.Context(), imp.ImportDataSourceID, strings.NewReader(content), opts)
	if err != nil {
		t.Fatalf("Upload for %q: %v", importName, err)
	}
	return f
}

// run starts the named import, export or process and waits for it.
func (x *emu) run(t *testing.T, kind anaplan.TaskKind, name string) (*anaplan.Task, anaplan.TaskStatus, error) {
	t.Helper()
	ctx := t.Context()
	var (
		task *anaplan.Task
		err  error
	)
	switch kind {
	case anaplan.KindImport:
		var imp anaplan.Import
		if imp, err = x.m.FindImport(ctx, name); err == nil {
			task, err = x.m.RunImport(ctx, imp.ID, anaplan.TaskOptions{})
		}
	case anaplan.KindExport:
		var exp anaplan.Export
		if exp, err = x.m.FindExport(ctx, name); err == nil {
			task, err = x.m.RunExport(ctx, exp.ID, anaplan.TaskOptions{})
		}
	case anaplan.KindProcess:
		var p anaplan.Process
		if p, err = x.m.FindProcess(ctx, name); err == nil {
			task, err = x.m.RunProcess(ctx, p.ID, anaplan.TaskOptions{})
		}
	}
	if err != nil {
		t.Fatalf("starting %s %q: %v", kind, name, err)
	}
	st, err := task.Wait(ctx, nil)
	return task, st, err
}

func TestEmulatorTutorialLoad(t *testing.T) {
	t.Parallel()
	x := newEmu(t)
	ctx := t.Context()

	files, err := anaplan.Collect(x.m.ListFiles(ctx))
	if err != nil || len(files) != 4 {
		t.Fatalf("Files: %v, %v", files, err)
	}
	meta, err := x.m.ImportMetadata(ctx, "112000000001")
	if err != nil || meta.Type != "FILE" || strings.Join(meta.Source.HeaderNames, ",") != "Code,Name,Workspace,currentSize" {
		t.Errorf("ImportMetadata: %+v, %v", meta, err)
	}
	proc, err := x.m.FindProcess(ctx, "Load Model Registry")
	if err != nil {
		t.Fatal(err)
	}
	pm, err := x.m.ProcessMetadata(ctx, proc.ID, anaplan.ProcessMetadataOptions{ShowImportDataSource: true})
	if err != nil || len(pm.Actions) != 4 || pm.Actions[0].ActionType != anaplan.ActionImport || pm.Actions[0].ImportDataSourceID != "113000000000" {
		t.Errorf("ProcessMetadata: %+v, %v", pm, err)
	}

	for name, content := range map[string]string{"W1 Workspaces from workspaces.csv": workspacesCSV, "W2 Models from models.csv": modelsCSV} {
		if f := x.upload(t, name, content, anaplan.UploadOptions{}); f.ChunkCount != 1 {
			t.Errorf("%s: uploaded file %+v, want 1 chunk", name, f)
		}
	}

	task, err := x.m.RunProcess(ctx, proc.ID, anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var states []anaplan.TaskState
	st, err := task.Wait(ctx, func(s anaplan.TaskStatus) {
		if len(states) == 0 || states[len(states)-1] != s.State {
			states = append(states, s.State)
		}
	})
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if fmt.Sprint(states) != "[NOT_STARTED IN_PROGRESS COMPLETE]" {
		t.Errorf("states seen = %v", states)
	}
	var texts []string
	for _, n := range st.Result.NestedResults {
		texts = append(texts, n.Details[0].LocalMessageText)
	}
	want := []string{
		"W1 Workspaces: 2 (2/0) rows successful, 0 ignored ",
		"W2 Models: 3 (3/0) rows successful, 0 ignored ",
		"W1 Workspace Register: 2 rows successful, 0 ignored ",
		"W2 Model Register: 3 rows successful, 0 ignored ",
	}
	if strings.Join(texts, "|") != strings.Join(want, "|") || st.Result.ObjectID != proc.ID {
		t.Errorf("nested results:\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	if n := st.Result.NestedResults[1].Details[0].ValueMap()["successRowCount"]; n != "3" {
		t.Errorf("successRowCount = %q", n)
	}
	for _, d := range x.waits.all() {
		if d < 5*time.Second {
			t.Errorf("polled after %s: the default must not poll faster than every 5 s", d)
		}
	}

	exp, _, err := x.run(t, anaplan.KindExport, "W2 Model Register.csv")
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var out bytes.Buffer
	if _, err := x.m.Download(ctx, exp.ObjectID, &out); err != nil {
		t.Fatalf("Download: %v", err)
	}
	wantCSV := "W2 Models,Code,Workspace,Name,Current Size\n" +
		"Model Registry,M1,Admin Tools,Model Registry,125829120\n" +
		"FP&A,M2,Finance,FP&A,500000000\n" +
		"\"Sales, EMEA\",M3,Finance,\"Sales, EMEA\",42\n"
	if out.String() != wantCSV {
		t.Errorf("export output:\n%s\nwant\n%s", out.String(), wantCSV)
	}
}

// registryModelsCSV is a models.csv of n rows, all in workspace W1.
func registryModelsCSV(n int) string {
	var b strings.Builder
	b.WriteString("Code,Name,Workspace,currentSize\r\n")
	for i := range n {
		fmt.Fprintf(&b, "M%06d,Model number %d of the registry,W1,%d\r\n", i, i, i*1000)
	}
	return b.String()
}

func TestEmulatorChunkedUploadAndImport(t *testing.T) {
	t.Parallel()
	x := newEmu(t)
	x.upload(t, "W1 Workspaces from workspaces.csv", workspacesCSV, anaplan.UploadOptions{})
	if _, _, err := x.run(t, anaplan.KindImport, "W1 Workspaces from workspaces.csv"); err != nil {
		t.Fatal(err)
	}
	const rows = 32000 // about 1.6 MB: two chunks of 1 MB
	content := registryModelsCSV(rows)
	f := x.upload(t, "W2 Models from models.csv", content, anaplan.UploadOptions{ChunkSize: anaplan.MinChunkSize, Parallel: 2})
	if want := (len(content) + mb - 1) / mb; f.ChunkCount != want || f.ID != "113000000001" || f.Name != "models.csv" {
		t.Errorf("uploaded file %+v, want %d chunks", f, want)
	}
	var back bytes.Buffer
	if _, err := x.m.Download(t.Context(), f.ID, &back); err != nil || back.String() != content {
		t.Errorf("download of the upload: %d bytes, %v; want the %d bytes uploaded", back.Len(), err, len(content))
	}
	_, st, err := x.run(t, anaplan.KindImport, "W2 Models from models.csv")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if got := st.Result.Details[0].ValueMap()["successRowCount"]; got != fmt.Sprint(rows) {
		t.Errorf("successRowCount = %s, want %d: %+v", got, rows, st.Result.Details[0])
	}
}

func TestEmulatorFailedImportAndDumps(t *testing.T) {
	t.Parallel()
	x := newEmu(t)
	x.upload(t, "W1 Workspaces from workspaces.csv", workspacesCSV, anaplan.UploadOptions{})
	x.upload(t, "W2 Models from models.csv", modelsBadCSV, anaplan.UploadOptions{})
	if _, _, err := x.run(t, anaplan.KindImport, "W1 Workspaces from workspaces.csv"); err != nil {
		t.Fatal(err)
	}
	wantDump := "_Status_,Code,Name,Workspace,currentSize,_Line_,_Error_1_\n" +
		"E,M9,Orphan,NOPE,7,3,Invalid parent: Item not located in W1 Workspaces list: NOPE\n"

	task, st, err := x.run(t, anaplan.KindImport, "W2 Models from models.csv")
	var te *anaplan.TaskError
	if !errors.As(err, &te) || !te.Failed() || errors.Is(err, anaplan.ErrTaskCancelled) || st.Result.Successful || !st.Result.FailureDumpAvailable {
		t.Fatalf("import: %v (status %+v), want a failed *TaskError", err, st)
	}
	for _, want := range []string{"import 112000000001 (W2 Models from models.csv)", "1 failed", "(failure dump available)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if te.Task.Result.Details[0].ValueMap()["failedCount"] != "1" {
		t.Errorf("details = %+v", te.Task.Result.Details)
	}
	var dump bytes.Buffer
	if err := task.Dump(t.Context(), &dump); err != nil || dump.String() != wantDump {
		t.Errorf("Dump: %v\n%s\nwant\n%s", err, dump.String(), wantDump)
	}

	// The process fails in two actions (the list import and the module
	// import both reject M9): Dump says so, NestedDump picks one.
	ptask, _, err := x.run(t, anaplan.KindProcess, "Load Model Registry")
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "failed in action 112000000001") {
		t.Fatalf("process: %v", err)
	}
	if err := ptask.Dump(t.Context(), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "112000000001, 112000000003") {
		t.Errorf("process Dump: %v, want both failing actions named", err)
	}
	dump.Reset()
	if err := ptask.NestedDump(t.Context(), "112000000001", &dump); err != nil || dump.String() != wantDump {
		t.Errorf("NestedDump: %v\n%s", err, dump.String())
	}
	if err := ptask.NestedDump(t.Context(), "112000000000", &bytes.Buffer{}); !errors.Is(err, anaplan.ErrNoDump) {
		t.Errorf("NestedDump of a clean action: %v, want ErrNoDump", err)
	}
}

func TestEmulatorCancelOnContextEnd(t *testing.T) {
	t.Parallel()
	x := newEmu(t)
	x.upload(t, "W1 Workspaces from workspaces.csv", workspacesCSV, anaplan.UploadOptions{})
	task, err := x.m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	_, err = task.Wait(ctx, func(s anaplan.TaskStatus) {
		if s.State == anaplan.TaskInProgress {
			cancel() // the user gives up while the import runs
		}
	})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "asked Anaplan to cancel it") {
		t.Fatalf("Wait: %v, want context.Canceled with the task cancelled", err)
	}
	st, err := task.Wait(t.Context(), nil)
	var te *anaplan.TaskError
	if !errors.As(err, &te) || te.Failed() || !errors.Is(err, anaplan.ErrTaskCancelled) || st.State != anaplan.TaskCancelled {
		t.Fatalf("after the cancel: %v, %v; want CANCELLED", st, err)
	}
	// The model is free again: the next import runs.
	if _, _, err := x.run(t, anaplan.KindImport, "W1 Workspaces from workspaces.csv"); err != nil {
		t.Errorf("import after the cancel: %v", err)
	}
}

func TestEmulatorUploadToAWrongFileID(t *testing.T) {
	t.Parallel()
	x := newEmu(t)
	for _, id := range []string{"113000000099", "models.csv"} {
		_, err := x.m.Upload(t.Context(), id, strings.NewReader(modelsCSV), anaplan.UploadOptions{})
		if err == nil || !strings.Contains(err.Error(), "not "+id) || !strings.Contains(err.Error(), "nothing was uploaded") {
			t.Errorf("Upload to %q: %v, want the ID mismatch explained", id, err)
		}
	}
	var out bytes.Buffer
	if _, err := x.m.Download(t.Context(), "113000000001", &out); err == nil {
		t.Errorf("models.csv got content from an upload that was refused: %q", out.String())
	}
}

func TestEmulatorBusyModelIsRetried(t *testing.T) {
	t.Parallel()
	x := newEmu(t, anaplan.WithRetryPolicy(anaplan.RetryPolicy{MaxAttempts: 40}))
	x.upload(t, "W1 Workspaces from workspaces.csv", workspacesCSV, anaplan.UploadOptions{})
	first, err := x.m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The model runs one task at a time: the second start gets 409 until
	// the first is done, and the client retries it (the server did nothing).
	second, err := x.m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatalf("second RunImport: %v", err)
	}
	if st, err := first.Status(t.Context()); err != nil || !st.Succeeded() {
		t.Errorf("first task: %v, %v", st, err)
	}
	if _, err := second.Wait(t.Context(), nil); err != nil {
		t.Errorf("second task: %v", err)
	}
}

func TestEmulatorImportWithoutUpload(t *testing.T) {
	t.Parallel()
	x := newEmu(t)
	_, st, err := x.run(t, anaplan.KindImport, "W2 Models from models.csv")
	var te *anaplan.TaskError
	if !errors.As(err, &te) || st.CurrentStep != "Failed." || st.Result.Details[0].Type != "importDataSourceMissing" {
		t.Fatalf("import of a never-uploaded file: %v (status %+v)", err, st)
	}
	if !strings.Contains(err.Error(), "models.csv") {
		t.Errorf("error %q does not name the file to upload", err)
	}
}
