package anaplan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// TaskKind is the kind of object a task runs: the path segment under the
// model (…/imports/{id}/tasks, …/exports/{id}/tasks, …).
type TaskKind string

// The four kinds of runnable objects.
const (
	KindImport  TaskKind = "imports"
	KindExport  TaskKind = "exports"
	KindProcess TaskKind = "processes"
	KindAction  TaskKind = "actions"
)

// noun is the kind in the singular, for messages.
func (k TaskKind) noun() string {
	switch k {
	case KindImport:
		return "import"
	case KindExport:
		return "export"
	case KindProcess:
		return "process"
	case KindAction:
		return "action"
	}
	return string(k)
}

// DefaultLocale is the localeName sent when TaskOptions has none: Anaplan's
// help calls en_US "the only supported language type".
const DefaultLocale = "en_US"

// TaskOptions are the body of POST …/tasks.
type TaskOptions struct {
	// Locale is the language of task messages; "" means DefaultLocale.
	Locale string
	// MappingParameters answer an import's (or a process's imports')
	// runtime mapping prompts, e.g. {EntityType: "Version", EntityName: "Actual"}.
	MappingParameters []MappingParameter
}

// MappingParameter selects the item a runtime-mapped dimension imports into.
type MappingParameter struct {
	EntityType string `json:"entityType"`
	EntityName string `json:"entityName"`
}

// taskRequest is the POST body. Field order matters: Anaplan's help says
// "localeName must appear before mappingParameters", and encoding/json
// writes struct fields in declaration order.
type taskRequest struct {
	LocaleName        string             `json:"localeName"`
	MappingParameters []MappingParameter `json:"mappingParameters,omitempty"`
}

// Task is a handle on one running (or finished) task of an import, export,
// process or action. Start one with RunImport and friends, or re-attach to
// a known task with ModelHandle.Task.
type Task struct {
	m        *ModelHandle
	Kind     TaskKind
	ObjectID string // the import, export, process or action
	ID       string // taskId: 32 uppercase hex
}

// Task re-attaches to a task started earlier (by another process, say).
func (m *ModelHandle) Task(kind TaskKind, objectID, taskID string) *Task {
	return &Task{m: m, Kind: kind, ObjectID: objectID, ID: taskID}
}

// String names the task, e.g. "import 112000000001 task 1B1D…".
func (t *Task) String() string {
	return fmt.Sprintf("%s %s task %s", t.Kind.noun(), t.ObjectID, t.ID)
}

// RunImport starts an import. Upload its data source file first (see
// Import.ImportDataSourceID), then Wait for the task.
func (m *ModelHandle) RunImport(ctx context.Context, importID string, opts TaskOptions) (*Task, error) {
	return m.run(ctx, KindImport, importID, opts)
}

// RunExport starts an export; once it is done, Download the file whose ID
// is the export's ID.
func (m *ModelHandle) RunExport(ctx context.Context, exportID string, opts TaskOptions) (*Task, error) {
	return m.run(ctx, KindExport, exportID, opts)
}

// RunProcess starts a process: its actions run in order as one task.
func (m *ModelHandle) RunProcess(ctx context.Context, processID string, opts TaskOptions) (*Task, error) {
	return m.run(ctx, KindProcess, processID, opts)
}

// RunAction starts one of the model's other actions (delete by selection, ...).
func (m *ModelHandle) RunAction(ctx context.Context, actionID string, opts TaskOptions) (*Task, error) {
	return m.run(ctx, KindAction, actionID, opts)
}

// run POSTs …/{kind}/{id}/tasks. A POST may have acted, so the client
// never replays it blindly: see startTask.
func (m *ModelHandle) run(ctx context.Context, kind TaskKind, objectID string, opts TaskOptions) (*Task, error) {
	if err := requireID(kind.noun(), objectID); err != nil {
		return nil, err
	}
	p, err := m.path(string(kind), objectID, "tasks")
	if err != nil {
		return nil, err
	}
	req := taskRequest{LocaleName: opts.Locale, MappingParameters: opts.MappingParameters}
	if req.LocaleName == "" {
		req.LocaleName = DefaultLocale
	}
	body, err := jsonBody(req)
	if err != nil {
		return nil, err
	}
	id, err := m.startTask(ctx, kind, objectID, p, body)
	if err != nil {
		return nil, err
	}
	return &Task{m: m, Kind: kind, ObjectID: objectID, ID: id}, nil
}

// path is the task's URL path, with more segments under it (dump, ...).
func (t *Task) path(more ...string) (string, error) {
	if err := requireID(t.Kind.noun(), t.ObjectID); err != nil {
		return "", err
	}
	if err := requireID("task", t.ID); err != nil {
		return "", err
	}
	switch t.Kind {
	case KindImport, KindExport, KindProcess, KindAction:
	default:
		return "", fmt.Errorf("anaplan: task kind %q is not one of imports, exports, processes, actions", t.Kind)
	}
	return t.m.path(append([]string{string(t.Kind), t.ObjectID, "tasks", t.ID}, more...)...)
}

// Status reads the task's state once.
func (t *Task) Status(ctx context.Context) (TaskStatus, error) {
	p, err := t.path()
	if err != nil {
		return TaskStatus{}, err
	}
	raw, err := t.m.c.doRaw(ctx, request{method: http.MethodGet, path: p})
	if err != nil {
		return TaskStatus{}, err
	}
	st, err := decodeTask(raw)
	if err != nil {
		return TaskStatus{}, wrapf(err, "GET %s", p)
	}
	return st, nil
}

// Cancel asks Anaplan to cancel the task (DELETE on the task) and returns
// the state it answers, usually CANCELLING; the task then moves to
// CANCELLED and its changes are rolled back. Cancelling a finished task
// changes nothing.
func (t *Task) Cancel(ctx context.Context) (TaskStatus, error) {
	p, err := t.path()
	if err != nil {
		return TaskStatus{}, err
	}
	resp, err := t.m.c.roundTrip(ctx, request{method: http.MethodDelete, path: p})
	if err != nil {
		return TaskStatus{}, err
	}
	defer resp.Body.Close()
	// The answer's shape is not documented: Anaplan Connect reads a task
	// status. An empty answer is fine too; then the state is read back.
	if resp.StatusCode != http.StatusNoContent {
		if raw, err := readJSONBody(resp); err == nil {
			if st, err := decodeTask(raw); err == nil && st.State != "" {
				return st, nil
			}
		}
	}
	return t.Status(ctx)
}

// TaskError is returned by Wait for a task that finished unsuccessfully:
// COMPLETE with result.successful false (rows failed: see the failure dump),
// or CANCELLED. Use errors.As to read the status and its details.
type TaskError struct {
	Kind     TaskKind
	ObjectID string
	Task     TaskStatus
}

// Error is one line: the task, how it ended and Anaplan's first details,
// e.g. "anaplan: import 112000000001 (W2 Models from models.csv) task 1B1D…
// failed: W2 Models: 2 (2/0) rows successful, …, 1 failed, 0 ignored
// (failure dump available)".
func (e *TaskError) Error() string {
	r := e.Task.Result
	name := ""
	if r != nil && r.ObjectName != "" {
		name = fmt.Sprintf(" (%s)", r.ObjectName)
	}
	head := fmt.Sprintf("anaplan: %s %s%s task %s", e.Kind.noun(), e.ObjectID, name, e.Task.TaskID)
	if e.Task.State == TaskCancelled {
		by := ""
		if e.Task.CancelledBy != "" {
			by = " by " + e.Task.CancelledBy
		}
		return head + " was cancelled" + by + "; its changes were rolled back"
	}
	msg := head + " failed"
	if r == nil {
		return msg + fmt.Sprintf(" (state %s, no result)", e.Task.State)
	}
	where, text := failureText(*r)
	if where != "" {
		msg += " in " + where
	}
	if text != "" {
		msg += ": " + oneLine(text, 400)
	}
	if r.FailureDumpAvailable || anyDump(*r) {
		msg += " (failure dump available)"
	}
	return msg
}

// Failed reports whether the task completed with failures (as opposed to
// being cancelled).
func (e *TaskError) Failed() bool { return e.Task.State != TaskCancelled }

// ErrTaskCancelled matches (errors.Is) the TaskError of a task that was
// cancelled, by Cancel, by a context that ended Wait, or by someone in
// Anaplan's UI: its changes were rolled back.
var ErrTaskCancelled = errors.New("anaplan: task cancelled")

// Is makes errors.Is(err, ErrTaskCancelled) true for a cancelled task.
func (e *TaskError) Is(target error) bool {
	return target == ErrTaskCancelled && e.Task.State == TaskCancelled
}

// failureText finds what to say about a failed result: the first failing
// nested action (for processes) and the detail messages there.
func failureText(r TaskResult) (where, text string) {
	for _, n := range r.NestedResults {
		if !n.Successful {
			where = "action " + n.ObjectID
			if n.ObjectName != "" {
				where += fmt.Sprintf(" (%s)", n.ObjectName)
			}
			_, text = failureText(n)
			if text == "" {
				text = detailText(r.Details)
			}
			return where, text
		}
	}
	return "", detailText(r.Details)
}

func detailText(details []TaskDetail) string {
	var texts []string
	for _, d := range details {
		if t := strings.TrimSpace(d.LocalMessageText); t != "" {
			texts = append(texts, t)
		}
	}
	if len(texts) == 0 && len(details) > 0 {
		return details[0].Type
	}
	return strings.Join(texts, "; ")
}

func anyDump(r TaskResult) bool {
	for _, n := range r.NestedResults {
		if n.FailureDumpAvailable || anyDump(n) {
			return true
		}
	}
	return false
}
