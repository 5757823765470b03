package emulator

import (
	"net/http"
	"slices"
)

// User and membership routes (anaplan-api.md §4, §13). The tenant has no
// membership data, so every user is a member of every workspace, a
// model's users are those without NO ACCESS on it, and tenant admins are
// every workspace's administrators; there are no visitors.

// writeUsers answers a paged, sorted, searchable user list.
func (e *Emulator) writeUsers(w http.ResponseWriter, r *http.Request, users []User) {
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	keys, err := parseSort(r, "firstName", "lastName", "email", "active", "lastLoginDate")
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if f := searchFilter(r); f != nil && requestUser(r).TenantAdmin {
		users = slices.DeleteFunc(users, func(u User) bool {
			return !f.MatchString(u.FirstName + " " + u.LastName + " " + u.Email)
		})
	}
	users = sortUsers(users, keys)
	lo, hi := page.window(len(users))
	out := make([]userJSON, 0, hi-lo)
	for _, u := range users[lo:hi] {
		out = append(out, e.userJSON(u))
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Users []userJSON `json:"users,omitempty"`
	}{success(r, "user", page.paging(r, len(out), len(users))), out})
}

// listUsers serves GET /2/0/users.
func (e *Emulator) listUsers(w http.ResponseWriter, r *http.Request) {
	e.writeUsers(w, r, e.store.allUsers())
}

// getUser serves GET /2/0/users/{userId}.
func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request) {
	u, ok := e.store.user(r.PathValue("userId"))
	if !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		User userJSON `json:"user"`
	}{success(r, "user", nil), e.userJSON(u)})
}

// listWorkspaceUsers serves GET /2/0/workspaces/{workspaceId}/users.
func (e *Emulator) listWorkspaceUsers(w http.ResponseWriter, r *http.Request) {
	if _, ok := e.store.workspace(r.PathValue("workspaceId")); !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	e.writeUsers(w, r, e.store.allUsers())
}

// listModelUsers serves GET …/models/{modelId}/users: users with a role
// on the model.
func (e *Emulator) listModelUsers(w http.ResponseWriter, r *http.Request) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return
	}
	users := slices.DeleteFunc(e.store.allUsers(), func(u User) bool { return !e.store.canAccess(m.ID, u.ID) })
	e.writeUsers(w, r, users)
}

// listUserWorkspaces serves GET /2/0/users/{userId}/workspaces.
func (e *Emulator) listUserWorkspaces(w http.ResponseWriter, r *http.Request) {
	if _, ok := e.store.user(r.PathValue("userId")); !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	all := e.store.allWorkspaces()
	lo, hi := page.window(len(all))
	out := make([]workspaceJSON, 0, hi-lo)
	for _, ws := range all[lo:hi] {
		out = append(out, workspaceToJSON(ws, queryFlag(r, "tenantDetails")))
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Workspaces []workspaceJSON `json:"workspaces,omitempty"`
	}{success(r, "workspace", page.paging(r, len(out), len(all))), out})
}

// listUserModels serves GET /2/0/users/{userId}/models.
func (e *Emulator) listUserModels(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("userId")
	if _, ok := e.store.user(id); !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	all := e.store.modelsAccessibleBy(id)
	lo, hi := page.window(len(all))
	out := make([]modelJSON, 0, hi-lo)
	for _, m := range all[lo:hi] {
		out = append(out, e.modelToJSON(m, queryFlag(r, "modelDetails")))
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Models []modelJSON `json:"models,omitempty"`
	}{success(r, "model", page.paging(r, len(out), len(all))), out})
}

// memberJSON is an admin or visitor: a user seen from a workspace.
type memberJSON struct {
	FirstName       string   `json:"firstName"`
	LastName        string   `json:"lastName"`
	Email           string   `json:"email"`
	Active          bool     `json:"active"`
	OtherWorkspaces []string `json:"otherWorkspaces,omitempty"`
}

// listWorkspaceAdmins serves GET /2/0/workspaces/{workspaceId}/admins:
// the tenant admins, with the names of the other workspaces they administer.
func (e *Emulator) listWorkspaceAdmins(w http.ResponseWriter, r *http.Request) {
	wsID := r.PathValue("workspaceId")
	if _, ok := e.store.workspace(wsID); !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	var others []string
	for _, ws := range e.store.allWorkspaces() {
		if ws.ID != wsID {
			others = append(others, ws.Name)
		}
	}
	var admins []memberJSON
	for _, u := range e.store.allUsers() {
		if u.TenantAdmin {
			admins = append(admins, memberJSON{u.FirstName, u.LastName, u.Email, u.Active, others})
		}
	}
	lo, hi := page.window(len(admins))
	out := admins[lo:hi]
	writeJSON(w, http.StatusOK, struct {
		envelope
		Admins []memberJSON `json:"admins,omitempty"`
	}{success(r, "admin", page.paging(r, len(out), len(admins))), out})
}

// listWorkspaceVisitors serves GET /2/0/workspaces/{workspaceId}/visitors:
// always empty (key omitted).
func (e *Emulator) listWorkspaceVisitors(w http.ResponseWriter, r *http.Request) {
	if _, ok := e.store.workspace(r.PathValue("workspaceId")); !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, success(r, "visitor", page.paging(r, 0, 0)))
}
