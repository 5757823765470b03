package emulator

import "slices"

// readRoutes is the Integration API's tenant reads: users, workspaces,
// models (anaplan-api.md §3, §4).
func (e *Emulator) readRoutes() []route {
	return []route{
		{"GET", "/2/0/users/me", e.getMe},
		{"GET", "/2/0/workspaces", e.listWorkspaces},
		{"GET", "/2/0/workspaces/{workspaceId}", e.getWorkspace},
		{"GET", "/2/0/workspaces/{workspaceId}/models", e.listWorkspaceModels},
		{"GET", "/2/0/models", e.listModels},
		{"GET", "/2/0/models/{modelId}", e.getModel},
		// Anaplan answers 405 to every method here (§3): model metadata is
		// read with GET /2/0/models/{modelId}, model objects live below.
		{"", workspaceModelPrefix, nil},
	}
}

// userRoutes is users and memberships (anaplan-api.md §4, §13); the
// handlers are in reads_members.go.
func (e *Emulator) userRoutes() []route {
	return slices.Concat(
		[]route{{"GET", "/2/0/users", e.listUsers}},
		[]route{{"GET", "/2/0/users/{userId}", e.getUser}},
		[]route{{"GET", "/2/0/users/{userId}/workspaces", e.listUserWorkspaces}},
		[]route{{"GET", "/2/0/users/{userId}/models", e.listUserModels}},
		[]route{{"GET", "/2/0/workspaces/{workspaceId}/users", e.listWorkspaceUsers}},
		[]route{{"GET", "/2/0/workspaces/{workspaceId}/admins", e.listWorkspaceAdmins}},
		[]route{{"GET", "/2/0/workspaces/{workspaceId}/visitors", e.listWorkspaceVisitors}},
		modelRoutes("GET", "/users", e.listModelUsers),
	)
}
