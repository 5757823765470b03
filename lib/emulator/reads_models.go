package emulator

import (
	"net/http"
	"strconv"
)

// modelJSON is the Integration API's model object (anaplan-api.md §4). The
// fields after CategoryValues appear only with modelDetails=true;
// ModelTransactionRunning only on the single-model GET.
type modelJSON struct {
	ID                   string              `json:"id"`
	ActiveState          string              `json:"activeState"`
	Name                 string              `json:"name"`
	CurrentWorkspaceID   string              `json:"currentWorkspaceId"`
	CurrentWorkspaceName string              `json:"currentWorkspaceName"`
	ModelURL             string              `json:"modelUrl"`
	CategoryValues       []categoryValueJSON `json:"categoryValues"`

	// lastSavedSerialNumber is a string: the OpenAPI schema, checked against
	// a live tenant, says so (help pages and one SDK say int).
	LastSavedSerialNumber   string `json:"lastSavedSerialNumber,omitempty"`
	LastModifiedByUserGUID  string `json:"lastModifiedByUserGuid,omitempty"`
	MemoryUsage             *int64 `json:"memoryUsage,omitempty"`
	ISOCreationDate         string `json:"isoCreationDate,omitempty"`
	LastModified            string `json:"lastModified,omitempty"`
	ModelTransactionRunning *bool  `json:"modelTransactionRunning,omitempty"`
}

type categoryValueJSON struct {
	ID           string `json:"id"`
	Attribute    string `json:"attribute"`
	CategoryID   string `json:"categoryId"`
	CategoryName string `json:"categoryName"`
	CustomerID   string `json:"customerId"`
}

// modelToJSON renders a model.
func (e *Emulator) modelToJSON(m modelRow, details bool) modelJSON {
	j := modelJSON{
		ID:                   m.ID,
		ActiveState:          m.ActiveState,
		Name:                 m.Name,
		CurrentWorkspaceID:   m.WorkspaceID,
		CurrentWorkspaceName: m.WorkspaceName,
		ModelURL:             modelURL(m.WorkspaceID, m.ID),
		CategoryValues:       make([]categoryValueJSON, len(m.CategoryValues)),
	}
	for i, c := range m.CategoryValues {
		j.CategoryValues[i] = categoryValueJSON{
			ID:           c.ID,
			Attribute:    c.Attribute,
			CategoryID:   c.CategoryID,
			CategoryName: c.CategoryName,
			CustomerID:   e.store.customerID,
		}
	}
	if details {
		j.LastSavedSerialNumber = strconv.FormatInt(m.LastSavedSerialNumber, 10)
		j.LastModifiedByUserGUID = m.LastModifiedByUserID
		j.MemoryUsage = &m.MemoryUsage
		j.ISOCreationDate = formatAnaplanTime(m.Created)
		j.LastModified = formatAnaplanTime(m.LastModified)
	}
	return j
}

// UIBaseURL is the host of the modelUrl links the emulator hands out. Real
// Anaplan points modelUrl at its UI host, not at the API host the request
// went to; the emulator has no UI, so it uses a fixed host in the reserved
// .invalid domain. Being fixed, it keeps registry files and notebook outputs
// identical whatever port the emulator listens on.
const UIBaseURL = "https://app.emulator.invalid"

// modelURL is the link that opens the model in Anaplan's UI (the
// reference's example is
// https://api.anaplan.com/anaplan/framework.jsp?selectedWorkspaceId=…&selectedModelId=…).
// IDs are hex, so nothing needs escaping.
func modelURL(workspaceID, modelID string) string {
	return UIBaseURL + "/anaplan/framework.jsp?selectedWorkspaceId=" + workspaceID + "&selectedModelId=" + modelID
}

// listModels serves GET /2/0/models[?modelDetails=true].
func (e *Emulator) listModels(w http.ResponseWriter, r *http.Request) {
	e.writeModelList(w, r, "")
}

// listWorkspaceModels serves GET /2/0/workspaces/{workspaceId}/models: the
// same list, restricted to one workspace; 404 for an unknown workspace.
func (e *Emulator) listWorkspaceModels(w http.ResponseWriter, r *http.Request) {
	if ws, ok := e.pathWorkspace(w, r); ok {
		e.writeModelList(w, r, ws.ID)
	}
}

// writeModelList writes one page of models. Models the caller holds NO
// ACCESS on are listed like any other: the reference says they appear in
// the workspace list and "varies" for the tenant list, and listing them in
// both keeps the two lists consistent (only model-scoped calls are masked).
// The s= search is honoured for tenant admins only, as in Anaplan.
func (e *Emulator) writeModelList(w http.ResponseWriter, r *http.Request, workspaceID string) {
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	keys, err := parseSort(r, "name", "activeState")
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	filter := searchFilter(r)
	if !requestUser(r).TenantAdmin {
		filter = nil
	}
	e.alm.settleAt(e.now()) // completed ALM syncs have saved their models
	rows, total := e.store.listModels(workspaceID, filter, keys, page)
	details := queryFlag(r, "modelDetails")
	out := rendered(rows, func(m modelRow) modelJSON { return e.modelToJSON(m, details) })
	writePage(w, r, page, success(r, "model", nil), "models", out, total)
}

// getModel serves GET /2/0/models/{modelId}[?modelDetails=true]. A model
// the caller holds NO ACCESS on still answers 200 with full metadata
// (anaplan-api.md §3); only model-scoped calls answer 404.
func (e *Emulator) getModel(w http.ResponseWriter, r *http.Request) {
	e.alm.settleAt(e.now()) // completed ALM syncs have saved their models
	m, ok := e.store.model(r.PathValue("modelId"))
	if !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	details := queryFlag(r, "modelDetails")
	j := e.modelToJSON(m, details)
	if details {
		j.ModelTransactionRunning = &m.TransactionRunning
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Model modelJSON `json:"model"`
	}{success(r, "model", nil), j})
}

// scopedModel resolves the model of a model-scoped route
// (/models/{modelId}/... or /workspaces/{workspaceId}/models/{modelId}/...)
// for the caller, writing 404 when the model does not exist, is not in the
// named workspace, or the caller holds NO ACCESS on it: Anaplan never
// answers 403 there, so existence is not confirmed (anaplan-api.md §3).
// Model-scoped handlers (bulk API, transactional API) start with it.
func (e *Emulator) scopedModel(w http.ResponseWriter, r *http.Request) (modelRow, bool) {
	m, ok := e.store.model(r.PathValue("modelId"))
	if ok {
		if ws := r.PathValue("workspaceId"); ws != "" && ws != m.WorkspaceID {
			ok = false
		}
	}
	if !ok || !e.store.canAccess(m.ID, requestUser(r).ID) {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return modelRow{}, false
	}
	return m, true
}
