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
	page, ok := e.readPage(w, r)
	if !ok {
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
	writePage(w, r, page, success(r, "user", nil), "users", rendered(pageOf(page, users), e.userJSON), len(users))
}

// listUsers serves GET /2/0/users.
func (e *Emulator) listUsers(w http.ResponseWriter, r *http.Request) {
	e.writeUsers(w, r, e.store.allUsers())
}

// getUser serves GET /2/0/users/{userId}.
func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request) {
	u, ok := e.pathUser(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		User userJSON `json:"user"`
	}{success(r, "user", nil), e.userJSON(u)})
}

// listWorkspaceUsers serves GET /2/0/workspaces/{workspaceId}/users.
func (e *Emulator) listWorkspaceUsers(w http.ResponseWriter, r *http.Request) {
	if _, ok := e.pathWorkspace(w, r); ok {
		e.writeUsers(w, r, e.store.allUsers())
	}
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
	if _, ok := e.pathUser(w, r); !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	all := e.store.allWorkspaces()
	details := queryFlag(r, "tenantDetails")
	out := rendered(pageOf(page, all), func(ws Workspace) workspaceJSON { return workspaceToJSON(ws, details) })
	writePage(w, r, page, success(r, "workspace", nil), "workspaces", out, len(all))
}

// listUserModels serves GET /2/0/users/{userId}/models.
func (e *Emulator) listUserModels(w http.ResponseWriter, r *http.Request) {
	u, ok := e.pathUser(w, r)
	if !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	all := e.store.modelsAccessibleBy(u.ID)
	details := queryFlag(r, "modelDetails")
	out := rendered(pageOf(page, all), func(m modelRow) modelJSON { return e.modelToJSON(m, details) })
	writePage(w, r, page, success(r, "model", nil), "models", out, len(all))
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
	target, ok := e.pathWorkspace(w, r)
	if !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	var others []string
	for _, ws := range e.store.allWorkspaces() {
		if ws.ID != target.ID {
			others = append(others, ws.Name)
		}
	}
	var admins []memberJSON
	for _, u := range e.store.allUsers() {
		if u.TenantAdmin {
			admins = append(admins, memberJSON{u.FirstName, u.LastName, u.Email, u.Active, others})
		}
	}
	writePage(w, r, page, success(r, "admin", nil), "admins", pageOf(page, admins), len(admins))
}

// listWorkspaceVisitors serves GET /2/0/workspaces/{workspaceId}/visitors:
// always empty (key omitted).
func (e *Emulator) listWorkspaceVisitors(w http.ResponseWriter, r *http.Request) {
	if _, ok := e.pathWorkspace(w, r); !ok {
		return
	}
	if page, ok := e.readPage(w, r); ok {
		writePage[memberJSON](w, r, page, success(r, "visitor", nil), "visitors", nil, 0)
	}
}
