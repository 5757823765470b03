package emulator

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Task kinds, named by their path segment.
const (
	kindImport  = "imports"
	kindExport  = "exports"
	kindProcess = "processes"
	kindAction  = "actions"
)

// Task states (anaplan-api.md §5.4).
const (
	stateNotStarted = "NOT_STARTED"
	stateInProgress = "IN_PROGRESS"
	stateComplete   = "COMPLETE"
	stateCancelling = "CANCELLING"
	stateCancelled  = "CANCELLED"
)

// maxTasksPerObject bounds the task history of one import, export or
// process; the oldest finished tasks (and their dumps) go first.
const maxTasksPerObject = 100

// task is one run of an import, export or process.
//
// Timing model: what a client sees derives from the emulator's clock, so
// tests need no sleeps. With D = the task duration, a task is NOT_STARTED
// for the first D/10 after its creation, then IN_PROGRESS, and COMPLETE
// from D on — but never before the engine has finished and its effects
// (dumps, export output, persisted state) are in place: progress is the
// smaller of the elapsed fraction and the engine's own. A cancelled task is
// CANCELLING for D/10 after the DELETE, and until its changes are rolled
// back, then CANCELLED.
type task struct {
	ID        string                 `json:"id"`
	Seq       int64                  `json:"seq"`
	Kind      string                 `json:"kind"`
	ObjectID  string                 `json:"objectId"`
	Created   time.Time              `json:"created"`
	Cancelled time.Time              `json:"cancelled,omitzero"`
	Progress  float64                `json:"progress,omitempty"` // at cancellation
	Done      bool                   `json:"done,omitempty"`     // run over, effects settled
	Failed    bool                   `json:"failed,omitempty"`   // failed as a whole ("Failed.")
	Result    *engine.Result         `json:"result,omitempty"`
	Dumps     map[string]*dumpRecord `json:"dumps,omitempty"` // by object ID
	Pre       string                 `json:"pre,omitempty"`   // pre-run snapshot, for a rollback

	frac        atomic.Uint64      // the engine's progress (float64 bits)
	stop        context.CancelFunc // cancels the engine run
	outputs     map[string]*blob   // export output this task wrote, by file ID
	prevOutputs map[string]*blob   // the content it replaced, held for a rollback
}

// taskView is a task as a client sees it at one instant.
type taskView struct {
	state    string
	step     string
	progress float64
	terminal bool
}

// view derives the visible state of t at now (see task).
func (b *bulk) view(t *task, now time.Time) taskView {
	d := b.duration
	tenth := d / 10
	if !t.Cancelled.IsZero() {
		if t.Done && now.Sub(t.Cancelled) >= tenth {
			return taskView{stateCancelled, "Cancelled.", t.Progress, true}
		}
		return taskView{stateCancelling, "Cancelling.", t.Progress, false}
	}
	e := now.Sub(t.Created)
	switch {
	case e < tenth:
		return taskView{stateNotStarted, "Waiting to start.", 0, false}
	case e < d || !t.Done:
		elapsed := 1.0
		if d > tenth {
			elapsed = min(float64(e-tenth)/float64(d-tenth), 1)
		}
		run := 1.0
		if !t.Done {
			run = math.Float64frombits(t.frac.Load())
		}
		return taskView{stateInProgress, "Running.", min(elapsed, run), false}
	case t.Failed:
		return taskView{stateComplete, "Failed.", 1, true}
	}
	return taskView{stateComplete, "Complete.", 1, true}
}

// busyWith returns a task of the model that is not finished, if any: a
// model runs one import, export or process at a time, and Anaplan answers
// 409 to a second (anaplan-api.md §7). The caller holds b.mu.
func (b *bulk) busyWith(bm *bulkModel, now time.Time) *task {
	for _, t := range bm.tasks {
		if !b.view(t, now).terminal {
			return t
		}
	}
	return nil
}

// objectName returns the name of an import, export or process, and
// whether the model has it. The engine has no "other actions".
func objectName(m *engine.Model, kind, id string) (string, bool) {
	switch kind {
	case kindImport:
		md, err := m.ImportMetadata(id)
		return md.Name, err == nil
	case kindExport:
		for _, x := range m.Exports() {
			if x.ID == id {
				return x.Name, true
			}
		}
	case kindProcess:
		md, err := m.ProcessMetadata(id)
		return md.Name, err == nil
	}
	return "", false
}

// taskID derives the n-th task ID of a model: 32 uppercase hex digits like
// Anaplan's, deterministic so runs are reproducible.
func taskID(modelID string, n int64) string {
	sum := sha256.Sum256([]byte("task/" + modelID + "/" + strconv.FormatInt(n, 10)))
	return strings.ToUpper(hex.EncodeToString(sum[:16]))
}

// errBusy reports the task that keeps the model busy (nil: a run the
// engine reports busy, outside any task).
type errBusy struct{ t *task }

func (e *errBusy) Error() string {
	if e.t == nil {
		return "The model is busy: an import, export or process is running. Retry when it has completed."
	}
	return fmt.Sprintf("The model is busy: task %s (%s %s) is still running. Retry when it has completed, or cancel it.",
		e.t.ID, singular(e.t.Kind), e.t.ObjectID)
}

// singular names one object of a kind: "import", "export", "process".
func singular(kind string) string {
	if kind == kindProcess {
		return "process"
	}
	return strings.TrimSuffix(kind, "s")
}

// start creates a task and runs it in the background, or returns
// *errBusy when the model is busy.
func (b *bulk) start(bm *bulkModel, kind, objectID string) (*task, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, fmt.Errorf("emulator is closed")
	}
	now := b.now()
	if t := b.busyWith(bm, now); t != nil {
		return nil, &errBusy{t}
	}
	if bm.engine.Busy() {
		return nil, &errBusy{}
	}
	b.nextSeq++
	t := &task{ID: taskID(bm.id, b.nextSeq), Seq: b.nextSeq, Kind: kind, ObjectID: objectID, Created: now}
	ctx, stop := context.WithCancel(b.ctx)
	t.stop = stop
	bm.tasks[t.ID] = t
	b.starts[bm.id+"/"+objectID]++
	b.sweep(bm, now)
	b.save()
	b.running.Add(1)
	go b.run(ctx, bm, t)
	return t, nil
}

// tasksOf returns the tasks of one import, export or process, oldest
// first. The caller holds b.mu.
func (bm *bulkModel) tasksOf(kind, objectID string) []*task {
	var out []*task
	for _, t := range bm.tasks {
		if t.Kind == kind && t.ObjectID == objectID {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *task) int { return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.Seq, b.Seq)) })
	return out
}

// task returns a task under its own parent only (anaplan-api.md §5.4).
func (bm *bulkModel) task(kind, objectID, id string) *task {
	t := bm.tasks[id]
	if t == nil || t.Kind != kind || t.ObjectID != objectID {
		return nil
	}
	return t
}

// sweep tidies the model's tasks: finished tasks drop their pre-run
// snapshot and the export output they replaced, dumps not read for 48
// hours expire (H:dump), and each object keeps its newest tasks only.
// The caller holds b.mu.
func (b *bulk) sweep(bm *bulkModel, now time.Time) {
	perObject := map[string][]*task{}
	for _, t := range bm.tasks {
		if !b.view(t, now).terminal {
			continue
		}
		if t.Pre != "" {
			b.removeFile(t.Pre)
			t.Pre = ""
		}
		for _, prev := range t.prevOutputs {
			b.releaseLocked(prev)
		}
		t.prevOutputs, t.outputs = nil, nil
		for id, d := range t.Dumps {
			if now.Sub(d.Access) > dumpRetention {
				b.dropDump(bm, t, id)
			}
		}
		key := t.Kind + "/" + t.ObjectID
		perObject[key] = append(perObject[key], t)
	}
	for _, ts := range perObject {
		if len(ts) <= maxTasksPerObject {
			continue
		}
		slices.SortFunc(ts, func(a, b *task) int { return cmp.Compare(a.Seq, b.Seq) })
		for _, t := range ts[:len(ts)-maxTasksPerObject] {
			for id := range t.Dumps {
				b.dropDump(bm, t, id)
			}
			delete(bm.tasks, t.ID)
		}
	}
}
