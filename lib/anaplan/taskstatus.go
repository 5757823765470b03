package anaplan

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// TaskState is a task's taskState. Open enum: values this package does not
// know decode fine and print as they came.
type TaskState string

// The taskState values Anaplan documents.
const (
	TaskNotStarted TaskState = "NOT_STARTED"
	TaskInProgress TaskState = "IN_PROGRESS"
	TaskComplete   TaskState = "COMPLETE" // finished, successfully or not: see Result.Successful
	TaskCancelling TaskState = "CANCELLING"
	TaskCancelled  TaskState = "CANCELLED" // changes rolled back
)

// Known reports whether s is one of the documented states.
func (s TaskState) Known() bool {
	switch s {
	case TaskNotStarted, TaskInProgress, TaskComplete, TaskCancelling, TaskCancelled:
		return true
	}
	return false
}

// TaskStatus is a task's state as GET …/tasks/{taskId} reports it.
type TaskStatus struct {
	TaskID       string
	State        TaskState
	Progress     float64 // 0 to 1
	CurrentStep  string  // e.g. "Complete.", "Failed."
	CreationTime time.Time
	// CancelledBy names who cancelled the task, when Anaplan says.
	CancelledBy string
	// Result is present once the task has finished (COMPLETE or CANCELLED).
	Result *TaskResult
}

// Done reports whether the task has finished: COMPLETE or CANCELLED, or a
// state this package does not know that carries a result (Anaplan sends
// results only for finished tasks, so a new terminal state still ends a
// wait instead of polling forever).
func (s TaskStatus) Done() bool {
	switch s.State {
	case TaskComplete, TaskCancelled:
		return true
	case TaskNotStarted, TaskInProgress, TaskCancelling:
		return false
	}
	return s.Result != nil
}

// Succeeded reports whether the task finished and its result is successful.
// COMPLETE alone is not success: failed rows complete too.
func (s TaskStatus) Succeeded() bool {
	return s.Done() && s.State != TaskCancelled && s.Result != nil && s.Result.Successful
}

// String is a one-line summary, e.g. "task 1B1D… IN_PROGRESS 40%".
func (s TaskStatus) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "task %s %s", s.TaskID, s.State)
	if !s.Done() && s.Progress > 0 {
		fmt.Fprintf(&b, " %.0f%%", s.Progress*100)
	}
	if s.CurrentStep != "" {
		fmt.Fprintf(&b, " (%s)", oneLine(s.CurrentStep, 80))
	}
	return b.String()
}

// TaskResult is a finished task's outcome. A process has one nested result
// per action; ObjectID is the process, or the action of a nested result.
type TaskResult struct {
	Successful           bool         `json:"successful"`
	FailureDumpAvailable bool         `json:"failureDumpAvailable"`
	ObjectID             string       `json:"objectId,omitempty"`
	ObjectName           string       `json:"objectName,omitempty"`
	Details              []TaskDetail `json:"details,omitempty"`
	NestedResults        []TaskResult `json:"nestedResults,omitempty"`
}

// TaskDetail is one message of a result, e.g. type "hierarchyRowsProcessed"
// with text "Employees: 90 (0/90) rows successful, 5 ignored ".
type TaskDetail struct {
	LocalMessageText string   `json:"localMessageText"`
	Occurrences      int      `json:"occurrences"`
	Type             string   `json:"type"`
	Values           []string `json:"values,omitempty"` // flat key, value pairs
}

// ValueMap reads Values as the key, value pairs they are, e.g.
// {"successRowCount": "90", "failedCount": "0", ...}. An odd trailing key
// maps to "".
func (d TaskDetail) ValueMap() map[string]string {
	m := make(map[string]string, (len(d.Values)+1)/2)
	for i := 0; i < len(d.Values); i += 2 {
		v := ""
		if i+1 < len(d.Values) {
			v = d.Values[i+1]
		}
		m[d.Values[i]] = v
	}
	return m
}

// wireTask is the task object on the wire; creationTime is epoch ms.
type wireTask struct {
	Type         string      `json:"type"`
	TaskID       string      `json:"taskId"`
	TaskState    TaskState   `json:"taskState"`
	Progress     float64     `json:"progress"`
	CurrentStep  string      `json:"currentStep"`
	CreationTime json.Number `json:"creationTime"`
	CancelledBy  string      `json:"cancelledBy"`
	Result       *TaskResult `json:"result"`
}

func (w wireTask) status() TaskStatus {
	s := TaskStatus{
		TaskID:      w.TaskID,
		State:       w.TaskState,
		Progress:    w.Progress,
		CurrentStep: w.CurrentStep,
		CancelledBy: w.CancelledBy,
		Result:      w.Result,
	}
	if ms, err := w.CreationTime.Float64(); err == nil && ms > 0 && ms < 1e15 {
		s.CreationTime = time.UnixMilli(int64(ms)).UTC()
	}
	return s
}

// decodeTask reads a task answer: {"meta":…,"task":{…}}. Some published
// examples show a bare {"taskId":…}; that is accepted too.
func decodeTask(body []byte) (TaskStatus, error) {
	var top struct {
		Task *wireTask `json:"task"`
		wireTask
	}
	if err := json.Unmarshal(body, &top); err != nil {
		return TaskStatus{}, err
	}
	if top.Task != nil {
		return top.Task.status(), nil
	}
	if top.TaskID != "" {
		return top.wireTask.status(), nil
	}
	return TaskStatus{}, fmt.Errorf("the answer has no \"task\"")
}
