package anaplan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
)

// ErrModelArchived matches the 422 the ALM API answers for an archived
// model: errors.Is(err, ErrModelArchived).
var ErrModelArchived = errors.New("anaplan: model is archived")

// Revision is an ALM revision as one model's history holds it: created
// there (its source) or applied there by a sync (AppliedOn, AppliedBy).
type Revision struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`
	CreatedOn      Timestamp `json:"createdOn,omitzero"`
	CreatedBy      string    `json:"createdBy,omitempty"`
	CreationMethod string    `json:"creationMethod,omitempty"`
	AppliedOn      Timestamp `json:"appliedOn,omitzero"`
	AppliedBy      string    `json:"appliedBy,omitempty"`
}

// AppliedModel is one model a revision was applied to. The first of a
// revision's list is its source, where it was created. IDs and name are
// empty when ModelDeleted.
type AppliedModel struct {
	ModelID       string    `json:"modelId,omitempty"`
	ModelName     string    `json:"modelName,omitempty"`
	WorkspaceID   string    `json:"workspaceId,omitempty"`
	AppliedBy     string    `json:"appliedBy,omitempty"`
	AppliedOn     Timestamp `json:"appliedOn,omitzero"`
	AppliedMethod string    `json:"appliedMethod,omitempty"`
	ModelDeleted  bool      `json:"modelDeleted,omitempty"`
}

// SyncTask is an ALM sync: IN_PROGRESS, then COMPLETE with Result.
type SyncTask struct {
	TaskID       string      `json:"taskId"`
	TaskURL      string      `json:"taskUrl,omitempty"`
	TaskState    string      `json:"taskState"`
	CreationTime Timestamp   `json:"creationTime,omitzero"`
	Result       *SyncResult `json:"result,omitempty"`
}

// SyncResult is a finished sync's outcome.
type SyncResult struct {
	Successful bool `json:"successful"`
	Error      *struct {
		Title       string `json:"title"`
		MessageText string `json:"messageText"`
	} `json:"error,omitempty"`
}

// SyncRequest starts a sync: the source's revision onto the target, whose
// latest revision must be TargetRevisionID.
type SyncRequest struct {
	SourceRevisionID string `json:"sourceRevisionId"`
	SourceModelID    string `json:"sourceModelId"`
	TargetRevisionID string `json:"targetRevisionId"`
}

// RevisionsOptions filter and page a model's revision history.
type RevisionsOptions struct {
	AppliedAfter, AppliedBefore string // dates, YYYY-MM-DD, inclusive
	Sort                        string // a property, "-" first for descending
	PageSize                    int    // 0: 5000
}

// ALMHandle is one model's ALM API (/models/{id}/alm/…): Workspace
// Administrator only; archived models answer ErrModelArchived.
type ALMHandle struct {
	c       *Client
	modelID string
}

// ALM returns a handle on a model's ALM API.
func (c *Client) ALM(modelID string) *ALMHandle { return &ALMHandle{c: c, modelID: modelID} }

func (a *ALMHandle) path(segments ...string) (string, error) {
	if err := requireID("model", a.modelID); err != nil {
		return "", err
	}
	return apiPath(append([]string{"models", a.modelID}, segments...)...), nil
}

// almErr marks 422 answers as ErrModelArchived, keeping the *APIError.
func almErr(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnprocessableEntity {
		return fmt.Errorf("%w: %w", ErrModelArchived, err)
	}
	return err
}

// getKey GETs path and decodes the list under key; an omitted key (how
// the ALM API answers "none") is an empty list.
func getKey[T any](ctx context.Context, c *Client, path string, q url.Values, key string) ([]T, error) {
	var top map[string]json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q}, &top); err != nil {
		return nil, almErr(err)
	}
	raw, ok := top[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var out []T
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, wrapf(err, "GET %s: decoding %q", path, key)
	}
	return out, nil
}

// LatestRevision returns the model's latest revision; ok is false when
// the model has none.
func (a *ALMHandle) LatestRevision(ctx context.Context) (rev Revision, ok bool, err error) {
	p, err := a.path("alm", "latestRevision")
	if err != nil {
		return Revision{}, false, err
	}
	revs, err := getKey[Revision](ctx, a.c, p, nil, "revisions")
	if err != nil || len(revs) == 0 {
		return Revision{}, false, err
	}
	return revs[0], true, nil
}

// Revisions yields the model's revision history, page by page.
func (a *ALMHandle) Revisions(ctx context.Context, opts RevisionsOptions) iter.Seq2[Revision, error] {
	p, err := a.path("alm", "revisions")
	if err != nil {
		return func(yield func(Revision, error) bool) { yield(Revision{}, err) }
	}
	q := url.Values{}
	for k, v := range map[string]string{"appliedAfter": opts.AppliedAfter, "appliedBefore": opts.AppliedBefore, "sort": opts.Sort} {
		if v != "" {
			q.Set(k, v)
		}
	}
	seq := list[Revision](a.c, ctx, p, q, "revisions", ListOptions{PageSize: opts.PageSize})
	return func(yield func(Revision, error) bool) {
		for r, err := range seq {
			if !yield(r, almErr(err)) || err != nil {
				return
			}
		}
	}
}

// AppliedToModels lists the models a revision of this model's history was
// applied to, its source first.
func (a *ALMHandle) AppliedToModels(ctx context.Context, revisionID string) ([]AppliedModel, error) {
	if err := requireID("revision", revisionID); err != nil {
		return nil, err
	}
	p, err := a.path("alm", "revisions", revisionID, "appliedToModels")
	if err != nil {
		return nil, err
	}
	return getKey[AppliedModel](ctx, a.c, p, nil, "appliedToModels")
}

// SyncableRevisions lists the source model's revisions this model can
// take, newest first.
func (a *ALMHandle) SyncableRevisions(ctx context.Context, sourceModelID string) ([]Revision, error) {
	if err := requireID("source model", sourceModelID); err != nil {
		return nil, err
	}
	p, err := a.path("alm", "syncableRevisions")
	if err != nil {
		return nil, err
	}
	return getKey[Revision](ctx, a.c, p, url.Values{"sourceModelId": {sourceModelID}}, "revisions")
}

// CreateRevision creates a revision in the model (name ≤ 60 characters,
// description ≤ 250). A POST: never replayed after a network error.
func (a *ALMHandle) CreateRevision(ctx context.Context, name, description string) (Revision, error) {
	p, err := a.path("alm", "revisions")
	if err != nil {
		return Revision{}, err
	}
	body, err := jsonBody(map[string]string{"name": name, "description": description})
	if err != nil {
		return Revision{}, err
	}
	var out struct {
		Revisions []Revision `json:"revisions"`
	}
	if err := a.c.do(ctx, request{method: http.MethodPost, path: p, body: body}, &out); err != nil {
		return Revision{}, almErr(err)
	}
	if len(out.Revisions) == 0 {
		return Revision{}, fmt.Errorf("anaplan: POST %s: the answer has no revision", p)
	}
	return out.Revisions[0], nil
}

// StartSync starts a sync into this model (the target).
func (a *ALMHandle) StartSync(ctx context.Context, req SyncRequest) (SyncTask, error) {
	p, err := a.path("alm", "syncTasks")
	if err != nil {
		return SyncTask{}, err
	}
	body, err := jsonBody(req)
	if err != nil {
		return SyncTask{}, err
	}
	var out struct {
		Task SyncTask `json:"task"`
	}
	if err := a.c.do(ctx, request{method: http.MethodPost, path: p, body: body}, &out); err != nil {
		return SyncTask{}, almErr(err)
	}
	return out.Task, nil
}

// SyncTasks lists the model's syncs of the last 48 hours.
func (a *ALMHandle) SyncTasks(ctx context.Context) ([]SyncTask, error) {
	p, err := a.path("alm", "syncTasks")
	if err != nil {
		return nil, err
	}
	return getKey[SyncTask](ctx, a.c, p, nil, "tasks")
}

// SyncTask returns one sync's status.
func (a *ALMHandle) SyncTask(ctx context.Context, taskID string) (SyncTask, error) {
	if err := requireID("sync task", taskID); err != nil {
		return SyncTask{}, err
	}
	p, err := a.path("alm", "syncTasks", taskID)
	if err != nil {
		return SyncTask{}, err
	}
	t, err := getOne[SyncTask](a.c, ctx, p, nil, "task")
	return t, almErr(err)
}

// SetOnline takes the model online or offline (POST …/onlineStatus).
func (a *ALMHandle) SetOnline(ctx context.Context, online bool) error {
	p, err := a.path("onlineStatus")
	if err != nil {
		return err
	}
	status := "offline"
	if online {
		status = "online"
	}
	body, err := jsonBody(map[string]string{"status": status})
	if err != nil {
		return err
	}
	// Setting a status twice is the same as once: safe to retry.
	return almErr(a.c.do(ctx, request{method: http.MethodPost, path: p, body: body, repeatable: true}, nil))
}
