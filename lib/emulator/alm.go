package emulator

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// almTimeLayout writes createdOn and appliedOn as RFC 3339 with
// milliseconds (the document's format date-time).
const almTimeLayout = "2006-01-02T15:04:05.000Z07:00"

type revisionJSON struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Description    string `json:"description,omitempty"`
	CreatedOn      string `json:"createdOn"`
	CreatedBy      string `json:"createdBy"`
	CreationMethod string `json:"creationMethod"`
	AppliedOn      string `json:"appliedOn"`
	AppliedBy      string `json:"appliedBy"`
}

func entryJSON(en almEntry) revisionJSON {
	r := en.rev
	return revisionJSON{ID: r.ID, Name: r.Name, Description: r.Description,
		CreatedOn: r.CreatedOn.UTC().Format(almTimeLayout), CreatedBy: r.CreatedBy,
		CreationMethod: cmp.Or(r.CreationMethod, "user"),
		AppliedOn:      en.on.UTC().Format(almTimeLayout), AppliedBy: en.by}
}

type appliedModelJSON struct {
	ModelID       string `json:"modelId,omitempty"`
	ModelName     string `json:"modelName,omitempty"`
	WorkspaceID   string `json:"workspaceId,omitempty"`
	AppliedBy     string `json:"appliedBy"`
	AppliedOn     string `json:"appliedOn"`
	AppliedMethod string `json:"appliedMethod"`
	ModelDeleted  bool   `json:"modelDeleted"`
}

type syncTaskJSON struct {
	TaskID       string          `json:"taskId"`
	TaskURL      string          `json:"taskUrl"`
	TaskState    string          `json:"taskState"`
	CreationTime string          `json:"creationTime"`
	Result       *syncResultJSON `json:"result,omitempty"`
}

type syncResultJSON struct {
	Successful bool `json:"successful"`
}

// almModel resolves the model of an ALM route: 404 as every model-scoped
// route (unknown, other workspace, NO ACCESS), 403 without Workspace
// Administrator, 422 when archived. It settles finished syncs first, so
// the handler sees the state at the request's time.
func (e *Emulator) almModel(w http.ResponseWriter, r *http.Request) (modelRow, bool) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return m, false
	}
	return m, e.almAllowed(w, r, m, "Workspace Administrator role required", "Model is archived: unarchive it to use ALM")
}

// almAllowed answers what every ALM route checks of a model it touches:
// 403 without the Workspace Administrator role, 422 for an archived model.
func (e *Emulator) almAllowed(w http.ResponseWriter, r *http.Request, m modelRow, forbidden, archived string) bool {
	if !e.store.isWorkspaceAdmin(m.WorkspaceID, requestUser(r).ID) {
		e.writeAPIError(w, r, http.StatusForbidden, forbidden)
		return false
	}
	if m.ActiveState == "ARCHIVED" {
		e.writeAPIError(w, r, http.StatusUnprocessableEntity, archived)
		return false
	}
	return true
}

// getLatestRevision serves GET …/alm/latestRevision: one revision, the
// key omitted when the model has none.
func (e *Emulator) getLatestRevision(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	e.alm.mu.Lock()
	e.alm.settle(e.now())
	var out []revisionJSON
	if en, ok := e.alm.latest(m.ID); ok {
		out = []revisionJSON{entryJSON(en)}
	}
	e.alm.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		envelope
		Revisions []revisionJSON `json:"revisions,omitempty"`
	}{success(r, "revision", nil), out})
}

// listRevisions serves GET …/alm/revisions: the model's history, filtered
// by appliedOn date (inclusive), sorted (default appliedOn ascending),
// paged like every Anaplan list.
func (e *Emulator) listRevisions(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	after, err1 := parseALMDate(q.Get("appliedAfter"))
	before, err2 := parseALMDate(q.Get("appliedBefore"))
	if err := cmp.Or(err1, err2); err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, "appliedAfter and appliedBefore take a date, YYYY-MM-DD")
		return
	}
	sortKey, desc := strings.CutPrefix(q.Get("sort"), "-")
	sortKey = strings.TrimPrefix(sortKey, "+")
	key, ok := revisionSortKeys[cmp.Or(sortKey, "appliedOn")]
	if !ok {
		e.writeAPIError(w, r, http.StatusBadRequest, "sort takes one of id, name, createdOn, createdBy, appliedOn, appliedBy, with - for descending")
		return
	}
	e.alm.mu.Lock()
	e.alm.settle(e.now())
	var rows []revisionJSON
	for _, en := range e.alm.history[m.ID] {
		day := en.on.UTC().Format(time.DateOnly)
		if (after != "" && day < after) || (before != "" && day > before) {
			continue
		}
		rows = append(rows, entryJSON(en))
	}
	e.alm.mu.Unlock()
	slices.SortStableFunc(rows, func(a, b revisionJSON) int {
		if desc {
			return cmp.Compare(key(b), key(a))
		}
		return cmp.Compare(key(a), key(b))
	})
	writePage(w, r, page, success(r, "revision", nil), "revisions", pageOf(page, rows), len(rows))
}

var revisionSortKeys = map[string]func(revisionJSON) string{
	"id": func(r revisionJSON) string { return r.ID }, "name": func(r revisionJSON) string { return r.Name },
	"createdOn": func(r revisionJSON) string { return r.CreatedOn }, "createdBy": func(r revisionJSON) string { return r.CreatedBy },
	"appliedOn": func(r revisionJSON) string { return r.AppliedOn }, "appliedBy": func(r revisionJSON) string { return r.AppliedBy },
}

func parseALMDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	_, err := time.Parse(time.DateOnly, s)
	return s, err
}

// createRevision serves POST …/alm/revisions {"name","description"}: a new
// revision created in the model, which becomes a source.
func (e *Emulator) createRevision(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	var body struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" ||
		len([]rune(body.Name)) > 60 || len([]rune(body.Description)) > 250 {
		e.writeAPIError(w, r, http.StatusBadRequest, "Send a JSON body with name (1-60 characters) and an optional description (at most 250)")
		return
	}
	user := requestUser(r).Email
	e.alm.mu.Lock()
	e.alm.settle(e.now())
	rev := Revision{ID: e.alm.nextID("revision"), ModelID: m.ID, Name: body.Name, Description: body.Description,
		CreatedOn: e.now().UTC(), CreatedBy: user, CreationMethod: "user"}
	ar := e.alm.addRevision(rev)
	e.alm.sortHistory(m.ID)
	e.store.touchModel(m.ID, rev.CreatedOn)
	e.alm.record(almAction{Revision: &rev})
	out := entryJSON(almEntry{rev: ar, on: rev.CreatedOn, by: user, source: true})
	e.alm.mu.Unlock()
	env := success(r, "revision", nil)
	env.Status = statusJSON{Code: http.StatusCreated, Message: "Success"}
	writeJSON(w, http.StatusCreated, struct {
		envelope
		Revisions []revisionJSON `json:"revisions"`
	}{env, []revisionJSON{out}})
}

// getAppliedToModels serves GET …/alm/revisions/{revisionId}/appliedToModels
// for a revision in the model's history: its source first.
func (e *Emulator) getAppliedToModels(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	id := r.PathValue("revisionId")
	e.alm.mu.Lock()
	e.alm.settle(e.now())
	rev := e.alm.revisions[id]
	held := rev != nil && slices.ContainsFunc(e.alm.history[m.ID], func(en almEntry) bool { return en.rev == rev })
	var applied []RevisionApplied
	if held {
		applied = e.alm.appliedTo(rev)
	}
	e.alm.mu.Unlock()
	if !held {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	out := make([]appliedModelJSON, 0, len(applied))
	for i, a := range applied {
		j := appliedModelJSON{AppliedBy: a.AppliedBy, AppliedOn: a.AppliedOn.UTC().Format(almTimeLayout), AppliedMethod: "sync"}
		if i == 0 {
			j.AppliedMethod = "creation"
		}
		if tm, ok := e.store.model(a.ModelID); ok {
			j.ModelID, j.ModelName, j.WorkspaceID = tm.ID, tm.Name, tm.WorkspaceID
		} else {
			j.ModelDeleted = true
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		AppliedToModels []appliedModelJSON `json:"appliedToModels,omitempty"`
	}{success(r, "appliedToModel", nil), out})
}

// listSyncableRevisions serves GET …/alm/syncableRevisions?sourceModelId=:
// the source's revisions the model can take, newest first.
func (e *Emulator) listSyncableRevisions(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	src, ok := e.sourceModel(w, r, r.URL.Query().Get("sourceModelId"))
	if !ok {
		return
	}
	e.alm.mu.Lock()
	e.alm.settle(e.now())
	var out []revisionJSON
	for _, en := range e.alm.syncable(m.ID, src.ID) {
		out = append(out, entryJSON(en))
	}
	e.alm.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		envelope
		Revisions []revisionJSON `json:"revisions,omitempty"`
	}{success(r, "revision", nil), out})
}

// sourceModel checks the source of a sync as almModel checks the target.
func (e *Emulator) sourceModel(w http.ResponseWriter, r *http.Request, id string) (modelRow, bool) {
	if id == "" {
		e.writeAPIError(w, r, http.StatusBadRequest, "sourceModelId is required")
		return modelRow{}, false
	}
	m, ok := e.store.model(id)
	if !ok || !e.store.canAccess(id, requestUser(r).ID) {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return m, false
	}
	return m, e.almAllowed(w, r, m, "Workspace Administrator role required on the source model", "Source model is archived")
}

// startSyncTask serves POST …/alm/syncTasks: applies sourceRevisionId of
// sourceModelId to the model, whose latest revision must be
// targetRevisionId. The task is IN_PROGRESS for TaskDuration, then
// COMPLETE; the revision lands in the model's history when it completes.
func (e *Emulator) startSyncTask(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	var body struct {
		SourceRevisionID string `json:"sourceRevisionId"`
		SourceModelID    string `json:"sourceModelId"`
		TargetRevisionID string `json:"targetRevisionId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil ||
		body.SourceRevisionID == "" || body.SourceModelID == "" || body.TargetRevisionID == "" {
		e.writeAPIError(w, r, http.StatusBadRequest, "Expected mandatory fields: sourceRevisionId, sourceModelId, targetRevisionId")
		return
	}
	src, ok := e.sourceModel(w, r, body.SourceModelID)
	if !ok {
		return
	}
	now := e.now().UTC()
	e.alm.mu.Lock()
	defer e.alm.mu.Unlock()
	e.alm.settle(now)
	if latest, ok := e.alm.latest(m.ID); !ok || latest.rev.ID != body.TargetRevisionID {
		e.writeAPIError(w, r, http.StatusBadRequest, "targetRevisionId is not the target model's latest revision (GET …/alm/latestRevision)")
		return
	}
	if !slices.ContainsFunc(e.alm.syncable(m.ID, src.ID), func(en almEntry) bool { return en.rev.ID == body.SourceRevisionID }) {
		e.writeAPIError(w, r, http.StatusBadRequest, "sourceRevisionId is not syncable into this model (GET …/alm/syncableRevisions)")
		return
	}
	t := &syncTask{ID: e.alm.nextID("sync"), ModelID: m.ID, SourceModelID: src.ID, SourceRevision: body.SourceRevisionID,
		By: requestUser(r).Email, Created: now, Done: now.Add(e.alm.duration)}
	e.alm.tasks[m.ID] = append(e.alm.tasks[m.ID], t)
	e.alm.record(almAction{Sync: t})
	env := success(r, "syncTask", nil)
	env.Status = statusJSON{Code: http.StatusCreated, Message: "Success"}
	writeJSON(w, http.StatusCreated, struct {
		envelope
		Task syncTaskJSON `json:"task"`
	}{env, e.syncTaskJSON(r, t, now)})
}

func (e *Emulator) syncTaskJSON(r *http.Request, t *syncTask, now time.Time) syncTaskJSON {
	j := syncTaskJSON{TaskID: t.ID, TaskURL: baseURL(r) + "/2/0/models/" + t.ModelID + "/alm/syncTasks/" + t.ID,
		TaskState: "IN_PROGRESS", CreationTime: t.Created.UTC().Format(almTimeLayout)}
	if !now.Before(t.Done) {
		j.TaskState, j.Result = "COMPLETE", &syncResultJSON{Successful: true}
	}
	return j
}

// listSyncTasks serves GET …/alm/syncTasks: the last 48 hours' tasks,
// the key omitted when there are none.
func (e *Emulator) listSyncTasks(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	now := e.now()
	e.alm.mu.Lock()
	e.alm.settle(now)
	var out []syncTaskJSON
	for _, t := range e.alm.tasks[m.ID] {
		if now.Sub(t.Created) <= syncTaskRetention {
			out = append(out, e.syncTaskJSON(r, t, now))
		}
	}
	e.alm.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		envelope
		Tasks []syncTaskJSON `json:"tasks,omitempty"`
	}{success(r, "syncTask", nil), out})
}

// getSyncTask serves GET …/alm/syncTasks/{syncTaskId}.
func (e *Emulator) getSyncTask(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	now := e.now()
	e.alm.mu.Lock()
	e.alm.settle(now)
	var found *syncTaskJSON
	for _, t := range e.alm.tasks[m.ID] {
		if t.ID == r.PathValue("syncTaskId") && now.Sub(t.Created) <= syncTaskRetention {
			j := e.syncTaskJSON(r, t, now)
			found = &j
		}
	}
	e.alm.mu.Unlock()
	if found == nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Task syncTaskJSON `json:"task"`
	}{success(r, "syncTask", nil), *found})
}

// setOnlineStatus serves POST and PUT …/onlineStatus {"status":"online"|"offline"}: 204.
func (e *Emulator) setOnlineStatus(w http.ResponseWriter, r *http.Request) {
	m, ok := e.almModel(w, r)
	if !ok {
		return
	}
	var body struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || (body.Status != "online" && body.Status != "offline") {
		e.writeAPIError(w, r, http.StatusBadRequest, `Send {"status":"online"} or {"status":"offline"}`)
		return
	}
	e.alm.mu.Lock()
	e.alm.offline[m.ID] = body.Status == "offline"
	e.alm.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
