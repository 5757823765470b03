package emulator

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
