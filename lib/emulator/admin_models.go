package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Model administration (anaplan-api.md §4, §6 "Calendar", "Versions"):
// status, open and close, the calendar, current period and fiscal year,
// versions and their switchover, dashboards, bulk delete of models.

const calendarType = "Calendar Months/Quarters/Years"

// modelAdmin is a model's calendar and versions. The timescale runs from
// the year before the fiscal year to the year after it.
type modelAdmin struct {
	fiscalYear    int
	currentPeriod time.Time // zero: not set
	switchover    map[string]time.Time
}

func defaultModelAdmin() *modelAdmin {
	return &modelAdmin{fiscalYear: 2026, switchover: map[string]time.Time{}}
}

func (a *modelAdmin) timescale() (time.Time, time.Time) {
	return time.Date(a.fiscalYear-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(a.fiscalYear+1, 12, 31, 0, 0, 0, 0, time.UTC)
}

// versions are the model's versions: Actual and Forecast.
var versions = []struct{ id, name string }{{"107000000001", "Actual"}, {"107000000002", "Forecast"}}

// modelStatusJSON is "requestStatus": Anaplan sends the unset fields as null.
type modelStatusJSON struct {
	Tooltip                 *string `json:"tooltip"`
	Progress                float64 `json:"progress"`
	CurrentStep             string  `json:"currentStep"`
	ExportTaskType          *string `json:"exportTaskType"`
	CreationTime            int64   `json:"creationTime"`
	TaskID                  *string `json:"taskId"`
	PeakMemoryUsageEstimate *int64  `json:"peakMemoryUsageEstimate"`
	PeakMemoryUsageTime     *int64  `json:"peakMemoryUsageTime"`
}

// getModelStatus serves GET …/status: bare {"requestStatus":…}, no
// envelope (OAS ModelStatus). It does not wake a closed model.
func (e *Emulator) getModelStatus(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	st := modelStatusJSON{Progress: -1, CurrentStep: "Open", CreationTime: e.now().UnixMilli()}
	if e.txn.isClosed(m.ID) {
		st.CurrentStep = "Closed"
	}
	if bm := e.bulk.model(m.ID); bm != nil && bm.engine.Busy() {
		tip := "Processing an import, export or process"
		st.CurrentStep, st.Tooltip, st.Progress = "Processing ...", &tip, 0
	}
	writeJSON(w, http.StatusOK, struct {
		RequestStatus modelStatusJSON `json:"requestStatus"`
	}{st})
}

// openModel serves POST …/open: 202, no body; 422 for an archived model
// (H:wake-up). The emulator opens at once.
func (e *Emulator) openModel(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	if strings.EqualFold(m.ActiveState, "ARCHIVED") {
		e.writeAPIError(w, r, http.StatusUnprocessableEntity, "The model is archived: unarchive it before opening it.")
		return
	}
	e.txn.setClosed(m.ID, false)
	w.WriteHeader(http.StatusAccepted)
}

// closeModel serves POST …/close: 204, no body.
func (e *Emulator) closeModel(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	e.txn.setClosed(m.ID, true)
	w.WriteHeader(http.StatusNoContent)
}

type currentPeriodJSON struct {
	PeriodText   string `json:"periodText"`
	LastDay      string `json:"lastDay"`
	CalendarType string `json:"calendarType"`
}

func (a *modelAdmin) currentPeriodJSON() currentPeriodJSON {
	if a.currentPeriod.IsZero() {
		return currentPeriodJSON{}
	}
	last := time.Date(a.currentPeriod.Year(), a.currentPeriod.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	return currentPeriodJSON{PeriodText: a.currentPeriod.Format("Jan 06"), LastDay: last.Format(time.DateOnly), CalendarType: calendarType}
}

// getCurrentPeriod serves GET …/currentPeriod (empty strings when unset).
func (e *Emulator) getCurrentPeriod(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	e.txn.mu.Lock()
	cp := e.txn.modelAdminLocked(m.ID).currentPeriodJSON()
	e.txn.mu.Unlock()
	e.writeCurrentPeriod(w, r, cp)
}

func (e *Emulator) writeCurrentPeriod(w http.ResponseWriter, r *http.Request, cp currentPeriodJSON) {
	writeJSON(w, http.StatusOK, struct {
		envelope
		CurrentPeriod currentPeriodJSON `json:"currentPeriod"`
	}{success(r, "currentPeriod", nil), cp})
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// readDate reads a date from ?date= or the body {"date":…}, not both;
// ok false means an error was written. An empty date resets.
func (e *Emulator) readDate(w http.ResponseWriter, r *http.Request, allowQuery bool) (time.Time, bool) {
	var body struct {
		Date *string `json:"date"`
	}
	present, err := decodeBody(w, r, &body)
	if err != nil {
		e.writeBulkError(w, r, err)
		return time.Time{}, false
	}
	q, inQuery := r.URL.Query()["date"]
	if inQuery && !allowQuery {
		inQuery = false
	}
	if inQuery && present && body.Date != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, "use query parameter or body to set date, not both")
		return time.Time{}, false
	}
	d := ""
	switch {
	case inQuery:
		d = q[0]
	case body.Date != nil:
		d = *body.Date
	}
	if d == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, d)
	if !isoDate.MatchString(d) || err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf("Invalid ISO date format '%s'. Date should match format YYYY-MM-DD", d))
		return time.Time{}, false
	}
	return t, true
}

// putCurrentPeriod serves PUT …/currentPeriod[?date=…] or {"date":…}.
func (e *Emulator) putCurrentPeriod(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	d, ok := e.readDate(w, r, true)
	if !ok {
		return
	}
	e.txn.mu.Lock()
	a := e.txn.modelAdminLocked(m.ID)
	start, end := a.timescale()
	if !d.IsZero() && (d.Before(start) || d.After(end)) {
		e.txn.mu.Unlock()
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf("Specified date '%s' is out of timescale range %s - %s",
			d.Format(time.DateOnly), start.Format(time.DateOnly), end.Format(time.DateOnly)))
		return
	}
	a.currentPeriod = d
	cp := a.currentPeriodJSON()
	e.txn.mu.Unlock()
	e.writeCurrentPeriod(w, r, cp)
}

type fiscalYearJSON struct {
	Year      string `json:"year"`
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
}

type modelCalendarJSON struct {
	CalendarType  string             `json:"calendarType,omitempty"`
	FiscalYear    fiscalYearJSON     `json:"fiscalYear"`
	CurrentPeriod *currentPeriodJSON `json:"currentPeriod,omitempty"`
}

func (a *modelAdmin) calendarJSON(full bool) modelCalendarJSON {
	fy := fiscalYearJSON{Year: fmt.Sprintf("FY%02d", a.fiscalYear%100),
		StartDate: fmt.Sprintf("%d-01-01", a.fiscalYear), EndDate: fmt.Sprintf("%d-12-31", a.fiscalYear)}
	c := modelCalendarJSON{FiscalYear: fy}
	if full {
		cp := a.currentPeriodJSON()
		c.CalendarType, c.CurrentPeriod = calendarType, &cp
	}
	return c
}

func (e *Emulator) writeCalendar(w http.ResponseWriter, r *http.Request, c modelCalendarJSON) {
	writeJSON(w, http.StatusOK, struct {
		envelope
		ModelCalendar modelCalendarJSON `json:"modelCalendar"`
	}{success(r, "modelCalendar", nil), c})
}

// getModelCalendar serves GET …/modelCalendar.
func (e *Emulator) getModelCalendar(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	e.txn.mu.Lock()
	c := e.txn.modelAdminLocked(m.ID).calendarJSON(true)
	e.txn.mu.Unlock()
	e.writeCalendar(w, r, c)
}

var fiscalYearLabel = regexp.MustCompile(`^FY(\d{2}|\d{4})$`)

// putFiscalYear serves PUT …/modelCalendar/fiscalYear {"year":"FY21"}.
func (e *Emulator) putFiscalYear(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	var body struct {
		Year string `json:"year"`
	}
	if _, err := decodeBody(w, r, &body); err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	match := fiscalYearLabel.FindStringSubmatch(strings.ToUpper(body.Year))
	if match == nil {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf("Invalid fiscal year '%s': use the model's calendar format, for example FY21.", body.Year))
		return
	}
	year, _ := strconv.Atoi(match[1])
	if year < 100 {
		year += 2000
	}
	e.txn.mu.Lock()
	a := e.txn.modelAdminLocked(m.ID)
	a.fiscalYear = year
	c := a.calendarJSON(false)
	e.txn.mu.Unlock()
	e.writeCalendar(w, r, c)
}

type periodJSON struct {
	PeriodText string `json:"periodText"`
	Date       string `json:"date"`
}

type versionJSON struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	IsCurrent  bool        `json:"isCurrent"`
	IsActual   bool        `json:"isActual"`
	EditFrom   periodJSON  `json:"editFrom"`
	EditTo     periodJSON  `json:"editTo"`
	Switchover *periodJSON `json:"switchover,omitempty"`
}

// listVersions serves GET …/versions: "versionMetadata".
func (e *Emulator) listVersions(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	e.txn.mu.Lock()
	a := e.txn.modelAdminLocked(m.ID)
	out := make([]versionJSON, 0, len(versions))
	for i, v := range versions {
		j := versionJSON{ID: v.id, Name: v.name, IsActual: i == 0, IsCurrent: i == 1,
			EditFrom: periodJSON{"Start of Timescale", "1900-01-01"}, EditTo: periodJSON{"End of Timescale", "2399-12-31"}}
		if t, ok := a.switchover[v.id]; ok {
			j.Switchover = &periodJSON{t.Format("Jan 06"), t.Format(time.DateOnly)}
		}
		out = append(out, j)
	}
	e.txn.mu.Unlock()
	out = pageOf(page, out)
	writeEnvelopeWith(w, success(r, "version", nil), "versionMetadata", out, len(out) > 0)
}

type switchoverJSON struct {
	PeriodText   string `json:"periodText"`
	Date         string `json:"date"`
	CalendarType string `json:"calendarType"`
}

// putSwitchover serves PUT …/versions/{versionId}/switchover {"date":…}:
// the switchover moves to the first day of the date's month; an empty
// date resets it. The Actual version has none (400).
func (e *Emulator) putSwitchover(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	id := r.PathValue("versionId")
	known := false
	for _, v := range versions {
		known = known || v.id == id
	}
	if !known {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	d, ok := e.readDate(w, r, false)
	if !ok {
		return
	}
	if id == versions[0].id {
		e.writeAPIError(w, r, http.StatusBadRequest, "The Actual version has no switchover: set it on a forecast version.")
		return
	}
	e.txn.mu.Lock()
	a := e.txn.modelAdminLocked(m.ID)
	out := switchoverJSON{CalendarType: calendarType}
	if d.IsZero() {
		delete(a.switchover, id)
	} else {
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		a.switchover[id] = first
		out.PeriodText, out.Date = first.Format("Jan 06"), first.Format(time.DateOnly)
	}
	e.txn.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		envelope
		VersionSwitchover switchoverJSON `json:"versionSwitchover"`
	}{success(r, "switchover", nil), out})
}

// listDashboards serves GET …/dashboards: the engine has none, so the
// list is empty and its key omitted.
func (e *Emulator) listDashboards(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, modelSuccess(r, m.ID, "dashboard", page.paging(r, 0, 0)))
}

// getSolutionLogs serves the optimizer's solution logs: the engine has
// no optimizer actions, so there is never a log (404).
func (e *Emulator) getSolutionLogs(w http.ResponseWriter, r *http.Request) {
	if _, ok := e.scopedModel(w, r); ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
	}
}

type bulkDeleteFailureJSON struct {
	ModelID string `json:"modelId"`
	Message string `json:"message"`
}

// bulkDeleteModels serves POST /workspaces/{workspaceId}/bulkDeleteModels
// {"modelIdsToDelete":[…]}: closed models of the workspace are deleted;
// open ones and unknown ids are failures (anaplan-api.md §4, §13).
func (e *Emulator) bulkDeleteModels(w http.ResponseWriter, r *http.Request) {
	ws, ok := e.pathWorkspace(w, r)
	if !ok {
		return
	}
	var body map[string]json.RawMessage
	if _, err := decodeBody(w, r, &body); err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	for k := range body {
		if k != "modelIdsToDelete" {
			e.writeAPIError(w, r, http.StatusBadRequest, "Identified an unrecognized '"+k+"'. Amend the content so it only contains applicable fields.")
			return
		}
	}
	var ids []string
	if raw, ok := body["modelIdsToDelete"]; ok {
		if err := json.Unmarshal(raw, &ids); err != nil {
			e.writeAPIError(w, r, http.StatusBadRequest, "'modelIdsToDelete' must be an array of model IDs.")
			return
		}
	}
	if len(ids) == 0 {
		e.writeAPIError(w, r, http.StatusBadRequest, "Expected mandatory field 'modelIdsToDelete' to be present and not empty.")
		return
	}
	var failures []bulkDeleteFailureJSON
	deleted := 0
	for _, id := range ids {
		m, ok := e.store.model(id)
		switch {
		case !ok || m.WorkspaceID != ws.ID || !e.store.canAccess(id, requestUser(r).ID):
			failures = append(failures, bulkDeleteFailureJSON{id, "Model ID does not exist."})
		case !e.txn.isClosed(id):
			failures = append(failures, bulkDeleteFailureJSON{id, "Model is open. Please close the model before trying again."})
		default:
			e.store.deleteModel(id)
			deleted++
		}
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		ModelsDeleted            int                     `json:"modelsDeleted"`
		BulkDeleteModelsFailures []bulkDeleteFailureJSON `json:"bulkDeleteModelsFailures,omitempty"`
	}{success(r, "bulkDeleteModels", nil), deleted, failures})
}
