package emulator

import "net/http"

// workspaceJSON is the Integration API's workspace object. The sizes are
// present only with tenantDetails=true (anaplan-api.md §4).
type workspaceJSON struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Active        bool   `json:"active"`
	SizeAllowance *int64 `json:"sizeAllowance,omitempty"`
	CurrentSize   *int64 `json:"currentSize,omitempty"`
}

func workspaceToJSON(w Workspace, details bool) workspaceJSON {
	j := workspaceJSON{ID: w.ID, Name: w.Name, Active: w.Active}
	if details {
		j.SizeAllowance, j.CurrentSize = &w.SizeAllowance, &w.CurrentSize
	}
	return j
}

// listWorkspaces serves GET /2/0/workspaces[?tenantDetails=true]: paged,
// sortable by name and sizeAllowance, searchable with s=.
func (e *Emulator) listWorkspaces(w http.ResponseWriter, r *http.Request) {
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	keys, err := parseSort(r, "name", "sizeAllowance")
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	rows, total := e.store.listWorkspaces(searchFilter(r), keys, page)
	details := queryFlag(r, "tenantDetails")
	out := rendered(rows, func(ws Workspace) workspaceJSON { return workspaceToJSON(ws, details) })
	writePage(w, r, page, success(r, "workspace", nil), "workspaces", out, total)
}

// getWorkspace serves GET /2/0/workspaces/{workspaceId}[?tenantDetails=true].
func (e *Emulator) getWorkspace(w http.ResponseWriter, r *http.Request) {
	ws, ok := e.pathWorkspace(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Workspace workspaceJSON `json:"workspace"`
	}{success(r, "workspace", nil), workspaceToJSON(ws, queryFlag(r, "tenantDetails"))})
}

// pathWorkspace resolves the route's {workspaceId}, answering 404 for an
// unknown workspace.
func (e *Emulator) pathWorkspace(w http.ResponseWriter, r *http.Request) (Workspace, bool) {
	ws, ok := e.store.workspace(r.PathValue("workspaceId"))
	if !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
	}
	return ws, ok
}
