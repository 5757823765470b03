package anaplan_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// rowsDetail is an import's detail as Anaplan reports it (H:monitor).
func rowsDetail(typ, text string, failed int) map[string]any {
	return map[string]any{"localMessageText": text, "occurrences": 0, "type": typ,
		"values": []string{"hierarchyName", "W2 Models", "successRowCount", "2", "failedCount", strconv.Itoa(failed), "ignoredCount", "0"}}
}

func steps(final taskStep) []taskStep {
	return []taskStep{
		{State: "NOT_STARTED"},
		{State: "IN_PROGRESS", Progress: 0.3, Step: "Processing ..."},
		{State: "IN_PROGRESS", Progress: 0.7, Step: "Processing ..."},
		final,
	}
}

// fastPolls makes Wait poll every millisecond (the waits are recorded, not slept).
var fastPolls = anaplan.WithPollInterval(time.Millisecond)

func TestRunImportSendsLocaleFirst(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	if _, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{}); err != nil {
		t.Fatalf("RunImport: %v", err)
	}
	f.pass(time.Minute) // the first task ends: the model is no longer busy
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{
		Locale:            "en_GB",
		MappingParameters: []anaplan.MappingParameter{{EntityType: "Version", EntityName: "Actual"}},
	})
	if err != nil {
		t.Fatalf("RunImport with mapping: %v", err)
	}
	want := []string{
		`{"localeName":"en_US"}`,
		`{"localeName":"en_GB","mappingParameters":[{"entityType":"Version","entityName":"Actual"}]}`,
	}
	if len(b.taskBodies) != len(want) {
		t.Fatalf("task bodies = %q, want %q", b.taskBodies, want)
	}
	for i, body := range b.taskBodies {
		if body != want[i] {
			t.Errorf("task body %d = %s, want %s", i, body, want[i])
		}
	}
	if task.Kind != anaplan.KindImport || task.ObjectID != "112000000000" || len(task.ID) != 32 {
		t.Errorf("task = %+v", task)
	}
	if got := task.String(); got != "import 112000000000 task "+task.ID {
		t.Errorf("String() = %q", got)
	}
}

func TestWaitForSuccessfulImport(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.script("112000000000", steps(taskStep{State: "COMPLETE", Progress: 1, Step: "Complete.", Result: map[string]any{
		"successful": true, "failureDumpAvailable": false, "objectId": "112000000000", "objectName": "W1 Workspaces from workspaces.csv",
		"details": []any{rowsDetail("hierarchyRowsProcessed", "W1 Workspaces: 2 (2/0) rows successful, 0 ignored ", 0)},
	}}))
	m, _ := b.model(t, fastPolls)
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	st, err := task.Wait(t.Context(), func(s anaplan.TaskStatus) { seen = append(seen, s.String()) })
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	wantSeen := []string{
		"task " + task.ID + " NOT_STARTED",
		"task " + task.ID + " IN_PROGRESS 30% (Processing ...)",
		"task " + task.ID + " IN_PROGRESS 70% (Processing ...)",
		"task " + task.ID + " COMPLETE (Complete.)",
	}
	if strings.Join(seen, "\n") != strings.Join(wantSeen, "\n") {
		t.Errorf("progress saw\n%s\nwant\n%s", strings.Join(seen, "\n"), strings.Join(wantSeen, "\n"))
	}
	if !st.Succeeded() || st.Result == nil || st.Result.ObjectName != "W1 Workspaces from workspaces.csv" || !st.CreationTime.Equal(testStart) {
		t.Fatalf("status = %+v", st)
	}
	d := st.Result.Details[0]
	if d.Type != "hierarchyRowsProcessed" || d.ValueMap()["successRowCount"] != "2" || d.ValueMap()["hierarchyName"] != "W2 Models" {
		t.Errorf("detail = %+v, values %v", d, d.ValueMap())
	}
}

func TestWaitReturnsTaskErrorAndDump(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	dump := "_Status_,Code,Name,Workspace,currentSize,_Line_,_Error_1_\n" +
		"E,M2,Beta,NOPE,6,3,Invalid parent: Item not located in W1 Workspaces list: NOPE\n" +
		"E,007,Zero,NOPE,NaN,4,Invalid parent\n"
	b.dumps, b.dumpChunk = map[string][]byte{"112000000001": []byte(dump)}, 40 // several dump chunks
	b.script("112000000001", steps(taskStep{State: "COMPLETE", Progress: 1, Step: "Complete.", Result: map[string]any{
		"successful": false, "failureDumpAvailable": true, "objectId": "112000000001", "objectName": "W2 Models from models.csv",
		"details": []any{rowsDetail("hierarchyRowsProcessedWithFailures", "W2 Models: 2 (2/0) rows successful, 0 (0/0) rows has warnings, 1 failed, 0 ignored", 1)},
	}}))
	m, _ := b.model(t, fastPolls)
	task, err := m.RunImport(t.Context(), "112000000001", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := task.Wait(t.Context(), nil)
	var te *anaplan.TaskError
	if !errors.As(err, &te) {
		t.Fatalf("Wait: err = %v, want *TaskError", err)
	}
	want := "anaplan: import 112000000001 (W2 Models from models.csv) task " + task.ID +
		" failed: W2 Models: 2 (2/0) rows successful, 0 (0/0) rows has warnings, 1 failed, 0 ignored (failure dump available)"
	if err.Error() != want {
		t.Errorf("error =\n%s\nwant\n%s", err, want)
	}
	if !te.Failed() || te.Task.Result.Details[0].ValueMap()["failedCount"] != "1" || st.State != anaplan.TaskComplete {
		t.Errorf("TaskError = %+v, status %+v", te, st)
	}
	var got bytes.Buffer
	if err := task.Dump(t.Context(), &got); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	if got.String() != dump {
		t.Errorf("dump =\n%q\nwant\n%q", got.String(), dump)
	}
	chunkGets := 0
	f.mu.Lock()
	for k, n := range f.calls {
		if strings.Contains(k, "/dump/chunks/") {
			chunkGets += n
		}
	}
	f.mu.Unlock()
	if chunkGets != (len(dump)+39)/40 {
		t.Errorf("dump came in %d chunk GETs, want %d", chunkGets, (len(dump)+39)/40)
	}
}

func TestDumpWhenThereIsNone(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.putChunks("113000000000", []byte(workspacesCSV))
	m, _ := b.model(t, fastPolls)
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := task.Wait(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	err = task.Dump(t.Context(), &bytes.Buffer{})
	if !errors.Is(err, anaplan.ErrNoDump) || !errors.Is(err, anaplan.ErrNotFound) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("err = %v, want ErrNoDump wrapping the 404", err)
	}
	// A 204 (Anaplan: "import completed with no failures") is ErrNoDump too.
	f.answer("GET /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/imports/112000000000/tasks/"+task.ID+"/dump/chunks",
		func(w http.ResponseWriter, r *http.Request) { writeChunkList(w, 0) })
	f.answer("GET /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/imports/112000000000/tasks/"+task.ID+"/dump",
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	err = task.Dump(t.Context(), &bytes.Buffer{})
	if !errors.Is(err, anaplan.ErrNoDump) || !strings.Contains(err.Error(), "no failures") {
		t.Errorf("204: err = %v, want ErrNoDump", err)
	}
}

func TestProcessNestedResultsAndDumps(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	nested := func(id string, ok, dump bool, text string) map[string]any {
		return map[string]any{"successful": ok, "failureDumpAvailable": dump, "objectId": id,
			"details": []any{map[string]any{"localMessageText": text, "occurrences": 0, "type": "hierarchyRowsProcessed"}}}
	}
	b.dumps = map[string][]byte{"112000000001": []byte("_Status_,Code,_Line_,_Error_1_\nE,M2,3,bad\n")}
	b.script("118000000000", steps(taskStep{State: "COMPLETE", Progress: 1, Step: "Complete.", Result: map[string]any{
		"successful": false, "failureDumpAvailable": true, "objectId": "118000000000", "objectName": "Load Registry",
		"nestedResults": []any{
			nested("112000000000", true, false, "W1 Workspaces: 2 (2/0) rows successful, 0 ignored "),
			nested("112000000001", false, true, "W2 Models: 1 (1/0) rows successful, 1 failed, 0 ignored"),
		},
	}}))
	m, _ := b.model(t, fastPolls)
	task, err := m.RunProcess(t.Context(), "118000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := task.Wait(t.Context(), nil)
	var te *anaplan.TaskError
	if !errors.As(err, &te) || len(st.Result.NestedResults) != 2 {
		t.Fatalf("Wait: %v, status %+v", err, st)
	}
	if want := "process 118000000000 (Load Registry) task " + task.ID + " failed in action 112000000001: W2 Models: 1 (1/0) rows successful, 1 failed, 0 ignored (failure dump available)"; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error = %v\nwant suffix %s", err, want)
	}
	var viaDump, viaNested bytes.Buffer
	if err := task.Dump(t.Context(), &viaDump); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	if err := task.NestedDump(t.Context(), "112000000001", &viaNested); err != nil {
		t.Fatalf("NestedDump: %v", err)
	}
	if viaDump.String() != "_Status_,Code,_Line_,_Error_1_\nE,M2,3,bad\n" || viaNested.String() != viaDump.String() {
		t.Errorf("Dump %q, NestedDump %q", viaDump.String(), viaNested.String())
	}
	if err := task.NestedDump(t.Context(), "112000000000", &bytes.Buffer{}); !errors.Is(err, anaplan.ErrNoDump) {
		t.Errorf("NestedDump of the successful action: err = %v, want ErrNoDump", err)
	}
}

func TestProcessDumpWithSeveralFailingActions(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.script("118000000000", []taskStep{{State: "COMPLETE", Progress: 1, Result: map[string]any{
		"successful": false, "failureDumpAvailable": true, "objectId": "118000000000",
		"nestedResults": []any{
			map[string]any{"successful": false, "failureDumpAvailable": true, "objectId": "112000000000"},
			map[string]any{"successful": false, "failureDumpAvailable": true, "objectId": "112000000001"},
		},
	}}})
	m, _ := b.model(t)
	task, err := m.RunProcess(t.Context(), "118000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = task.Dump(t.Context(), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "112000000000, 112000000001") || !strings.Contains(err.Error(), "NestedDump") {
		t.Errorf("err = %v, want both actions named and NestedDump suggested", err)
	}
}

// cancelOnSleep is a sleep hook that cancels the wait's context the first
// time Wait sleeps, as a user pressing Ctrl-C would; later waits let the
// time go by on the emulator.
func cancelOnSleep(f *harness, cancel context.CancelFunc) anaplan.Option {
	return anaplan.WithSleep(func(ctx context.Context, d time.Duration) error {
		cancel()
		if ctx.Err() == nil {
			f.pass(d)
		}
		return ctx.Err()
	})
}

func TestWaitCancelsTheTaskWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	ctx, cancel := context.WithCancel(t.Context())
	m, _ := b.model(t, cancelOnSleep(f, cancel))
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := task.Wait(ctx, nil)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "asked Anaplan to cancel it: CANCELLING") {
		t.Fatalf("Wait: err = %v, want context.Canceled and the cancel reported", err)
	}
	if st.State != anaplan.TaskCancelling {
		t.Errorf("status = %v, want CANCELLING", st)
	}
	key := "DELETE /2/0/workspaces/" + bulkWS + "/models/" + bulkModel + "/imports/112000000000/tasks/" + task.ID
	if f.count(key) != 1 {
		t.Errorf("DELETE sent %d times, want once", f.count(key))
	}
	// Waiting again sees the task through CANCELLING to CANCELLED.
	final, err := task.Wait(t.Context(), nil)
	var te *anaplan.TaskError
	if !errors.As(err, &te) || final.State != anaplan.TaskCancelled || te.Failed() {
		t.Fatalf("after cancel: %v, %v; want CANCELLED as a *TaskError", final, err)
	}
	if want := "anaplan: import 112000000000 (W1 Workspaces from workspaces.csv) task " + task.ID + " was cancelled; its changes were rolled back"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestWaitCancelsAtTheDeadline(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	// The real wait: an hour's poll interval cannot fit in a one-minute
	// deadline, so it fails at once instead of sleeping.
	m, _ := b.model(t, anaplan.WithSleep(anaplan.SleepContext), anaplan.WithPollInterval(time.Hour))
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	_, err = task.Wait(ctx, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait: err = %v, want DeadlineExceeded", err)
	}
	if f.count("DELETE /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/imports/112000000000/tasks/"+task.ID) != 1 {
		t.Error("the abandoned task was not cancelled")
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	task, err := m.RunExport(t.Context(), "116000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := task.Cancel(t.Context())
	if err != nil || st.State != anaplan.TaskCancelling {
		t.Fatalf("Cancel: %v, %v", st, err)
	}
	// An empty answer (the shape is undocumented) is followed by a status read.
	f.answer("DELETE /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/exports/116000000000/tasks/"+task.ID,
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	statusKey := "GET /2/0/workspaces/" + bulkWS + "/models/" + bulkModel + "/exports/116000000000/tasks/" + task.ID
	st, err = task.Cancel(t.Context())
	if err != nil || st.State != anaplan.TaskCancelling || f.count(statusKey) != 1 {
		t.Fatalf("Cancel with an empty answer: %v, %v, %d status reads; want the state read back", st, err, f.count(statusKey))
	}
}

// recordedWaits runs Wait over steps with the sleep recorded, not slept.
func recordedWaits(t *testing.T, steps []taskStep, opts ...anaplan.Option) []time.Duration {
	t.Helper()
	f := newHarness(t)
	b := newBulk(f)
	b.script("112000000000", steps)
	m, w := b.model(t, opts...)
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := task.Wait(t.Context(), nil); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return w.all()
}

func TestPollingBacksOffWhileNothingChanges(t *testing.T) {
	t.Parallel()
	done := taskStep{State: "COMPLETE", Progress: 1, Result: map[string]any{"successful": true, "objectId": "112000000000"}}
	mixed := []taskStep{
		{State: "NOT_STARTED"}, {State: "NOT_STARTED"}, {State: "NOT_STARTED"},
		{State: "IN_PROGRESS", Progress: 0.2}, {State: "IN_PROGRESS", Progress: 0.2}, done,
	}
	s := time.Second
	tests := []struct {
		name  string
		steps []taskStep
		opts  []anaplan.Option
		want  []time.Duration
	}{
		{"default interval is Anaplan's 5 s", mixed, nil, []time.Duration{5 * s, 7500 * time.Millisecond, 11250 * time.Millisecond, 5 * s, 7500 * time.Millisecond}},
		{"configured interval", mixed, []anaplan.Option{anaplan.WithPollInterval(10 * time.Millisecond)},
			[]time.Duration{10 * time.Millisecond, 15 * time.Millisecond, 22500 * time.Microsecond, 10 * time.Millisecond, 15 * time.Millisecond}},
		{"capped at 30 s", append(make([]taskStep, 8), done), nil,
			[]time.Duration{5 * s, 7500 * time.Millisecond, 11250 * time.Millisecond, 16875 * time.Millisecond, 25312500 * time.Microsecond, 30 * s, 30 * s, 30 * s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for i := range tt.steps {
				if tt.steps[i].State == "" {
					tt.steps[i].State = "IN_PROGRESS"
				}
			}
			got := recordedWaits(t, tt.steps, tt.opts...)
			if len(got) != len(tt.want) {
				t.Fatalf("waits = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("waits = %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}

func TestPollingFitsTheDeadline(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	still := taskStep{State: "IN_PROGRESS", Progress: 0.5}
	b.script("112000000000", []taskStep{still, still, still, still, still, still,
		{State: "COMPLETE", Progress: 1, Result: map[string]any{"successful": true, "objectId": "112000000000"}}})
	m, w := b.model(t) // waits are recorded, not slept: the deadline stays 20 s away
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if _, err := task.Wait(ctx, nil); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	got := w.all()
	// 5, 7.5, 11.25, 16.875 s, then 25.3 s would pass the deadline: the
	// wait shrinks to poll a second before it.
	if len(got) != 6 || got[3] != 16875*time.Millisecond || got[4] < 18*time.Second || got[4] > 19*time.Second || got[5] > 19*time.Second {
		t.Errorf("waits = %v", got)
	}
}

func TestUnknownTaskStatesDecode(t *testing.T) {
	t.Parallel()
	got := recordedWaits(t, []taskStep{
		{State: "QUEUED_BEHIND_ANOTHER_TASK"},
		{State: "FINISHED_SOMEHOW", Progress: 1, Result: map[string]any{"successful": true, "objectId": "112000000000"}},
	}, fastPolls)
	if len(got) != 1 {
		t.Errorf("waits = %v: an unknown state without a result is polled again; one with a result ends the wait", got)
	}
	if anaplan.TaskState("QUEUED_BEHIND_ANOTHER_TASK").Known() || !anaplan.TaskCancelling.Known() {
		t.Error("Known() is wrong")
	}
}

func TestWaitRidesOutATransientError(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	b.script("112000000000", []taskStep{{State: "NOT_STARTED"}, {State: "IN_PROGRESS", Progress: 0.5, Step: "Processing ..."},
		{State: "COMPLETE", Progress: 1, Step: "Complete.", Result: map[string]any{"successful": true, "objectId": "112000000000"}}})
	m, w := b.model(t, fastPolls)
	task, err := m.RunImport(t.Context(), "112000000000", anaplan.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	f.answer("GET /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/imports/112000000000/tasks/"+task.ID, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			status(http.StatusServiceUnavailable)(w, r)
			return
		}
		f.api(w, r)
	})
	st, err := task.Wait(t.Context(), nil)
	if err != nil || !st.Succeeded() {
		t.Fatalf("Wait: %v, %v; want success despite one 503", st, err)
	}
	if calls.Load() != 4 {
		t.Errorf("%d status reads, want 4 (3 steps and one retry)", calls.Load())
	}
	var retries int
	for _, d := range w.all() {
		if d != time.Millisecond {
			retries++
		}
	}
	if retries != 1 {
		t.Errorf("waits %v: want one retry backoff among the polls", w.all())
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	b := newBulk(f)
	m, _ := b.model(t)
	if _, err := m.RunImport(t.Context(), "", anaplan.TaskOptions{}); err == nil || !strings.Contains(err.Error(), "import ID is empty") {
		t.Errorf("empty ID: %v", err)
	}
	f.answer("POST /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/imports/112000000009/tasks", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, r, http.StatusNotFound, "Not Found")
	})
	if _, err := m.RunImport(t.Context(), "112000000009", anaplan.TaskOptions{}); !errors.Is(err, anaplan.ErrNotFound) {
		t.Errorf("unknown import: %v", err)
	}
	// Some published examples answer with a bare {"taskId": …}.
	f.answer("POST /2/0/workspaces/"+bulkWS+"/models/"+bulkModel+"/actions/117000000000/tasks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"taskId": "5E6331685CC648A29B725923B8FAEA1C"})
	})
	task, err := m.RunAction(t.Context(), "117000000000", anaplan.TaskOptions{})
	if err != nil || task.ID != "5E6331685CC648A29B725923B8FAEA1C" {
		t.Errorf("bare taskId: %v, %v", task, err)
	}
	bad := m.Task("widgets", "1", "2")
	if _, err := bad.Status(t.Context()); err == nil || !strings.Contains(err.Error(), `"widgets"`) {
		t.Errorf("bad kind: %v", err)
	}
}
