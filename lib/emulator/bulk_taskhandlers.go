package emulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Handlers for …/{imports|exports|processes|actions}/{id}/tasks
// (anaplan-api.md §5.4): start, list, status, cancel.

// taskJSON is a task as the API shows it. The start response and list
// entries carry taskId, taskState and creationTime; the status adds type,
// currentStep, progress and, in terminal states only, result.
type taskJSON struct {
	Type         string         `json:"type,omitempty"`
	TaskID       string         `json:"taskId"`
	CurrentStep  string         `json:"currentStep,omitempty"`
	Progress     *float64       `json:"progress,omitempty"`
	TaskState    string         `json:"taskState"`
	CreationTime int64          `json:"creationTime"`
	Result       *engine.Result `json:"result,omitempty"`
}

func briefTask(t *task, v taskView) taskJSON {
	return taskJSON{TaskID: t.ID, TaskState: v.state, CreationTime: t.Created.UnixMilli()}
}

func fullTask(t *task, v taskView) taskJSON {
	j := briefTask(t, v)
	j.Type, j.CurrentStep, j.Progress = "taskInformation", v.step, &v.progress
	if v.terminal {
		j.Result = t.Result
	}
	return j
}

// taskBody is the body of POST …/tasks: {"localeName":"en_US"} with
// optional mappingParameters (anaplan-api.md §5.4).
type taskBody struct {
	LocaleName        *string           `json:"localeName"`
	MappingParameters []json.RawMessage `json:"mappingParameters"`
}

// mappingParameter is one entry of mappingParameters; importId selects
// the import of a process it applies to (Anaplan Connect sends it).
type mappingParameter struct {
	EntityType *string `json:"entityType"`
	EntityName *string `json:"entityName"`
	ImportID   *string `json:"importId"`
}

// checkTaskBody validates a task body. localeName is required: Anaplan's
// documentation marks it "Required" (the OpenAPI document too, for
// exports), and every client sends it, so a client that forgets it is
// told here rather than by a real tenant. Any locale is accepted (the help
// pages use en_US and en_GB; Anaplan Connect sends the JVM's).
func checkTaskBody(w http.ResponseWriter, r *http.Request) error {
	var body taskBody
	present, err := decodeBody(w, r, &body)
	if err != nil {
		return err
	}
	if !present || body.LocaleName == nil || strings.TrimSpace(*body.LocaleName) == "" {
		return uploadErrorf(`Missing "localeName": start a task with the body {"localeName":"en_US"}`)
	}
	for i, raw := range body.MappingParameters {
		var p mappingParameter
		if err := json.Unmarshal(raw, &p); err != nil {
			return uploadErrorf("mappingParameters[%d]: want {\"entityType\":\"…\",\"entityName\":\"…\"}: %v", i, err)
		}
		if p.EntityType == nil || *p.EntityType == "" || p.EntityName == nil || *p.EntityName == "" {
			return uploadErrorf(`mappingParameters[%d]: "entityType" and "entityName" must both be non-empty strings, e.g. {"entityType":"Version","entityName":"Actual"}`, i)
		}
	}
	return nil
}

// startTask serves POST …/{kind}/{id}/tasks: 200 with the new task
// (NOT_STARTED), 404 for an unknown object, 409 while another task runs
// on the model.
func (e *Emulator) startTask(kind, idParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, bm, ok := e.bulkScope(w, r, true)
		if !ok {
			return
		}
		objectID := r.PathValue(idParam)
		if _, ok := objectName(bm.engine, kind, objectID); !ok {
			e.writeAPIError(w, r, http.StatusNotFound, "")
			return
		}
		if err := checkTaskBody(w, r); err != nil {
			e.writeBulkError(w, r, err)
			return
		}
		t, err := e.bulk.start(bm, kind, objectID)
		var busy *errBusy
		if errors.As(err, &busy) {
			e.writeAPIError(w, r, http.StatusConflict, busy.Error())
			return
		}
		if err != nil {
			e.writeBulkError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, struct {
			envelope
			Task taskJSON `json:"task"`
		}{modelSuccess(r, m.ID, "task", nil), briefTask(t, taskView{state: stateNotStarted})})
	}
}

// listTasks serves GET …/{kind}/{id}/tasks: oldest first, paged, sorted
// by sort=[+|-]creationDate|taskId|taskState|progress (other fields keep
// the default order). Anaplan answers 200 with an empty list, never 404,
// even for an unknown object or a model the caller cannot see
// (anaplan-api.md §3).
func (e *Emulator) listTasks(kind, idParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, err := parsePage(r)
		if err != nil {
			e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
			return
		}
		modelID := r.PathValue("modelId")
		var items []taskJSON
		var progress []float64
		if m, ok := e.store.model(modelID); ok && (r.PathValue("workspaceId") == "" || m.WorkspaceID == r.PathValue("workspaceId")) && e.store.canAccess(m.ID, requestUser(r).ID) {
			if bm := e.bulk.model(m.ID); bm != nil {
				b := e.bulk
				b.mu.Lock()
				now := b.now()
				b.sweep(bm, now)
				for _, t := range bm.tasksOf(kind, r.PathValue(idParam)) {
					v := b.view(t, now)
					items = append(items, briefTask(t, v))
					progress = append(progress, v.progress)
				}
				b.mu.Unlock()
			}
		}
		idx := make([]int, len(items))
		for i := range idx {
			idx[i] = i
		}
		sortBy(idx, taskSort(r), func(a, b int, field string) int {
			switch field {
			case "taskId":
				return strings.Compare(items[a].TaskID, items[b].TaskID)
			case "taskState":
				return strings.Compare(items[a].TaskState, items[b].TaskState)
			case "progress":
				return cmp.Compare(progress[a], progress[b])
			}
			return cmp.Compare(items[a].CreationTime, items[b].CreationTime)
		})
		lo, hi := page.window(len(items))
		out := make([]taskJSON, 0, hi-lo)
		for _, i := range idx[lo:hi] {
			out = append(out, items[i])
		}
		writeEnvelopeWith(w, modelSuccess(r, modelID, "task", page.paging(r, len(out), len(items))), "tasks", out, len(out) > 0)
	}
}

// taskSort reads the task list's sort parameter; the field is not
// validated (OAS), unknown fields keep the default order.
func taskSort(r *http.Request) []sortKey {
	var keys []sortKey
	for col := range strings.SplitSeq(r.URL.Query().Get("sort"), ",") {
		desc := strings.HasPrefix(col, "-")
		col = strings.TrimLeft(col, "+- ")
		switch col {
		case "creationDate", "creationTime":
			keys = append(keys, sortKey{field: "creationDate", desc: desc})
		case "taskId", "taskState", "progress":
			keys = append(keys, sortKey{field: col, desc: desc})
		}
	}
	return keys
}

// resolveTask finds the task of a task route under its own parent,
// writing 404 when it is not there.
func (e *Emulator) resolveTask(w http.ResponseWriter, r *http.Request, kind, idParam string) (modelRow, *bulkModel, *task, bool) {
	m, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return m, nil, nil, false
	}
	e.bulk.mu.Lock()
	t := bm.task(kind, r.PathValue(idParam), r.PathValue("taskId"))
	e.bulk.mu.Unlock()
	if t == nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return m, nil, nil, false
	}
	return m, bm, t, true
}

// getTask serves GET …/{kind}/{id}/tasks/{taskId}.
func (e *Emulator) getTask(kind, idParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, bm, t, ok := e.resolveTask(w, r, kind, idParam)
		if !ok {
			return
		}
		e.writeTaskStatus(w, r, m.ID, bm, t)
	}
}

// cancelTask serves DELETE …/{kind}/{id}/tasks/{taskId}: it cancels a
// task that has not finished and answers with its status (CANCELLING;
// the reference leaves the body UNVERIFIED and Anaplan Connect reads a
// task status there). A finished task is left as it is.
func (e *Emulator) cancelTask(kind, idParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, bm, t, ok := e.resolveTask(w, r, kind, idParam)
		if !ok {
			return
		}
		e.bulk.cancelTask(bm, t)
		e.writeTaskStatus(w, r, m.ID, bm, t)
	}
}

func (e *Emulator) writeTaskStatus(w http.ResponseWriter, r *http.Request, modelID string, bm *bulkModel, t *task) {
	b := e.bulk
	b.mu.Lock()
	now := b.now()
	b.sweep(bm, now)
	j := fullTask(t, b.view(t, now))
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		envelope
		Task taskJSON `json:"task"`
	}{modelSuccess(r, modelID, "task", nil), j})
}
