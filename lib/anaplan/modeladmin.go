package anaplan

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
)

// Model administration (anaplan-api.md §4, §6, §13): status, open and
// close, calendar, current period, fiscal year, versions and switchover,
// the users of a workspace or model, bulk delete of models.

// ModelStatus is GET /models/{mid}/status's requestStatus. Progress is
// -1 when no step runs (open or closed: read CurrentStep).
type ModelStatus struct {
	CurrentStep             string   `json:"currentStep"`
	Progress                float64  `json:"progress"`
	Tooltip                 *string  `json:"tooltip"`
	CreationTime            int64    `json:"creationTime,omitempty"`
	TaskID                  *string  `json:"taskId"`
	ExportTaskType          *string  `json:"exportTaskType"`
	PeakMemoryUsageEstimate *float64 `json:"peakMemoryUsageEstimate"`
}

// Idle reports whether no step is running on the model.
func (s ModelStatus) Idle() bool { return s.Progress < 0 }

// Status reads the model's runtime state. The answer is bare (no meta or
// status envelope), unlike most of the API.
func (m *ModelHandle) Status(ctx context.Context) (ModelStatus, error) {
	p, err := m.path("status")
	if err != nil {
		return ModelStatus{}, err
	}
	return getOne[ModelStatus](m.c, ctx, p, nil, "requestStatus")
}

// Open asks Anaplan to load the model into memory (202; poll Status).
func (m *ModelHandle) Open(ctx context.Context) error { return m.openClose(ctx, "open") }

// Close asks Anaplan to unload the model (204).
func (m *ModelHandle) Close(ctx context.Context) error { return m.openClose(ctx, "close") }

func (m *ModelHandle) openClose(ctx context.Context, verb string) error {
	if err := requireID("model", m.modelID); err != nil {
		return err
	}
	// Opening an open model (closing a closed one) changes nothing: safe
	// to retry. Anaplan wants an empty body typed application/text.
	return m.c.do(ctx, request{method: http.MethodPost, path: apiPath("models", m.modelID, verb),
		body: bytesBody("application/text", nil), repeatable: true}, nil)
}

// CurrentPeriod is a model's current period; fields are empty when unset.
type CurrentPeriod struct {
	PeriodText   string `json:"periodText"`
	LastDay      string `json:"lastDay"`
	CalendarType string `json:"calendarType"`
}

// CurrentPeriod reads the model's current period.
func (m *ModelHandle) CurrentPeriod(ctx context.Context) (CurrentPeriod, error) {
	return getUnder[CurrentPeriod](ctx, m, nil, "currentPeriod", "currentPeriod")
}

// SetCurrentPeriod sets the current period to the one holding date
// (YYYY-MM-DD); "" resets it. Workspace Administrator.
func (m *ModelHandle) SetCurrentPeriod(ctx context.Context, date string) (CurrentPeriod, error) {
	return putUnder[CurrentPeriod](ctx, m, struct {
		Date string `json:"date"`
	}{date}, "currentPeriod", "currentPeriod")
}

// FiscalYear is a model calendar's fiscal year.
type FiscalYear struct {
	Year      string `json:"year"`
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// ModelCalendar is a model's calendar settings. Fields Anaplan adds for
// some calendar types only are omitted when absent.
type ModelCalendar struct {
	CalendarType     string         `json:"calendarType,omitempty"`
	FiscalYear       FiscalYear     `json:"fiscalYear"`
	CurrentPeriod    *CurrentPeriod `json:"currentPeriod,omitempty"`
	StartDate        string         `json:"startDate,omitempty"`
	PastYearsCount   int            `json:"pastYearsCount,omitempty"`
	FutureYearsCount int            `json:"futureYearsCount,omitempty"`
	ExtraWeekMonth   int            `json:"extraWeekMonth,omitempty"`
	WeekFormat       string         `json:"weekFormat,omitempty"`
}

// Calendar reads the model's calendar.
func (m *ModelHandle) Calendar(ctx context.Context) (ModelCalendar, error) {
	return getUnder[ModelCalendar](ctx, m, nil, "modelCalendar", "modelCalendar")
}

// SetFiscalYear sets the model's current fiscal year (e.g. "FY21").
func (m *ModelHandle) SetFiscalYear(ctx context.Context, year string) (ModelCalendar, error) {
	return putUnder[ModelCalendar](ctx, m, struct {
		Year string `json:"year"`
	}{year}, "modelCalendar", "modelCalendar", "fiscalYear")
}

// Period is a named date on a model's timescale.
type Period struct {
	PeriodText string `json:"periodText"`
	Date       string `json:"date"`
}

// Version is one version of a model (Actual, Forecast, …).
type Version struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Code       string  `json:"code,omitempty"`
	IsCurrent  bool    `json:"isCurrent"`
	IsActual   bool    `json:"isActual"`
	EditFrom   *Period `json:"editFrom,omitempty"`
	EditTo     *Period `json:"editTo,omitempty"`
	Switchover *Period `json:"switchover,omitempty"`
	Formula    string  `json:"formula,omitempty"`
	Notes      string  `json:"notes,omitempty"`
}

// Switchover is a version's switchover date as set.
type Switchover struct {
	PeriodText   string `json:"periodText"`
	Date         string `json:"date"`
	CalendarType string `json:"calendarType,omitempty"`
}

// ListVersions yields the model's versions (GET …/versions), with their
// edit ranges and switchover dates.
func (m *ModelHandle) ListVersions(ctx context.Context) iter.Seq2[Version, error] {
	return listUnder[Version](ctx, m, nil, "versionMetadata", "versions")
}

// SetSwitchover sets a version's switchover date (YYYY-MM-DD; "" resets).
func (m *ModelHandle) SetSwitchover(ctx context.Context, versionID, date string) (Switchover, error) {
	if err := requireID("version", versionID); err != nil {
		return Switchover{}, err
	}
	return putUnder[Switchover](ctx, m, struct {
		Date string `json:"date"`
	}{date}, "versionSwitchover", "versions", versionID, "switchover")
}

// putUnder PUTs body as JSON at segments under the model and decodes the
// object under key. A PUT sets a value: retried like any idempotent call.
func putUnder[T any](ctx context.Context, m *ModelHandle, body any, key string, segments ...string) (T, error) {
	var zero T
	p, err := m.path(segments...)
	if err != nil {
		return zero, err
	}
	b, err := jsonBody(body)
	if err != nil {
		return zero, err
	}
	var out map[string]json.RawMessage
	if err := m.c.do(ctx, request{method: http.MethodPut, path: p, body: b}, &out); err != nil {
		return zero, err
	}
	raw, ok := out[key]
	if !ok || string(raw) == "null" {
		return zero, fmt.Errorf("anaplan: PUT %s: the answer has no %q", p, key)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return zero, wrapf(err, "PUT %s: decoding %q", p, key)
	}
	return v, nil
}

// ListModelUsers yields the users of a model (GET /models/{modelId}/users:
// Anaplan serves it only outside the workspace path), who can be given
// access or items of the Users list.
func (m *ModelHandle) ListModelUsers(ctx context.Context) iter.Seq2[User, error] {
	if err := requireID("model", m.modelID); err != nil {
		return failed[User](err)
	}
	return list[User](m.c, ctx, apiPath("models", m.modelID, "users"), nil, "users", ListOptions{})
}

// WorkspaceMember is a workspace administrator or visitor.
type WorkspaceMember struct {
	Email           string   `json:"email,omitempty"`
	FirstName       string   `json:"firstName"`
	LastName        string   `json:"lastName"`
	Active          bool     `json:"active"`
	OtherWorkspaces []string `json:"otherWorkspaces,omitempty"`
}

// ListWorkspaceUsers yields the users of a workspace (GET
// /workspaces/{workspaceId}/users).
func (c *Client) ListWorkspaceUsers(ctx context.Context, workspaceID string) iter.Seq2[User, error] {
	return workspaceList[User](c, ctx, workspaceID, "users", "users")
}

// ListWorkspaceAdmins yields a workspace's administrators (GET
// /workspaces/{workspaceId}/admins).
func (c *Client) ListWorkspaceAdmins(ctx context.Context, workspaceID string) iter.Seq2[WorkspaceMember, error] {
	return workspaceList[WorkspaceMember](c, ctx, workspaceID, "admins", "admins")
}

// ListWorkspaceVisitors yields a workspace's visitors (GET
// /workspaces/{workspaceId}/visitors).
func (c *Client) ListWorkspaceVisitors(ctx context.Context, workspaceID string) iter.Seq2[WorkspaceMember, error] {
	return workspaceList[WorkspaceMember](c, ctx, workspaceID, "visitors", "visitors")
}

func workspaceList[T any](c *Client, ctx context.Context, workspaceID, segment, key string) iter.Seq2[T, error] {
	if err := requireID("workspace", workspaceID); err != nil {
		return failed[T](err)
	}
	return list[T](c, ctx, apiPath("workspaces", workspaceID, segment), nil, key, ListOptions{})
}

// ListUserWorkspaces yields the workspaces a user belongs to (GET
// /users/{userId}/workspaces).
func (c *Client) ListUserWorkspaces(ctx context.Context, userID string) iter.Seq2[Workspace, error] {
	if err := requireID("user", userID); err != nil {
		return failed[Workspace](err)
	}
	return list[Workspace](c, ctx, apiPath("users", userID, "workspaces"), nil, "workspaces", ListOptions{})
}

// ListUserModels yields the models a user can see (GET
// /users/{userId}/models).
func (c *Client) ListUserModels(ctx context.Context, userID string) iter.Seq2[Model, error] {
	if err := requireID("user", userID); err != nil {
		return failed[Model](err)
	}
	return list[Model](c, ctx, apiPath("users", userID, "models"), nil, "models", ListOptions{})
}

// BulkDeleteResult is the answer of a bulk delete of models.
type BulkDeleteResult struct {
	ModelsDeleted int                 `json:"modelsDeleted"`
	Failures      []BulkDeleteFailure `json:"bulkDeleteModelsFailures,omitempty"`
}

// BulkDeleteFailure is a model Anaplan did not delete, and why.
type BulkDeleteFailure struct {
	ModelID string `json:"modelId"`
	Message string `json:"message"`
}

// BulkDeleteModels deletes models of a workspace (closed ones only;
// Anaplan reports open or unknown models as failures). Deleting is not
// repeated after a lost answer: a second try would report the models
// deleted by the first as "does not exist".
func (c *Client) BulkDeleteModels(ctx context.Context, workspaceID string, modelIDs []string) (BulkDeleteResult, error) {
	if err := requireID("workspace", workspaceID); err != nil {
		return BulkDeleteResult{}, err
	}
	if len(modelIDs) == 0 {
		return BulkDeleteResult{}, fmt.Errorf("anaplan: bulk delete of models in workspace %s: no model IDs given", workspaceID)
	}
	b, err := jsonBody(struct {
		IDs []string `json:"modelIdsToDelete"`
	}{modelIDs})
	if err != nil {
		return BulkDeleteResult{}, err
	}
	var out BulkDeleteResult
	err = c.do(ctx, request{method: http.MethodPost, path: apiPath("workspaces", workspaceID, "bulkDeleteModels"), body: b}, &out)
	return out, err
}
