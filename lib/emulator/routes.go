package emulator

// routeTable lists every route the emulator serves. Add new routes here
// (the contract test fails until each has a contract case). Paths under
// /2/0/ need a token; the router checks it before any handler runs.
func (e *Emulator) routeTable() []route {
	return []route{
		// Authentication service (anaplan-api.md §2).
		{"POST", "/token/authenticate", e.authenticate},
		{"POST", "/token/refresh", e.refresh},
		{"GET", "/token/validate", e.validate},
		{"POST", "/token/logout", e.logout},

		// Integration API v2: users, workspaces, models (§3, §4).
		{"GET", "/2/0/users/me", e.getMe},
		{"GET", "/2/0/workspaces", e.listWorkspaces},
		{"GET", "/2/0/workspaces/{workspaceId}", e.getWorkspace},
		{"GET", "/2/0/workspaces/{workspaceId}/models", e.listWorkspaceModels},
		{"GET", "/2/0/models", e.listModels},
		{"GET", "/2/0/models/{modelId}", e.getModel},
		// Anaplan answers 405 to every method here (§3): model metadata is
		// read with GET /2/0/models/{modelId}, model objects live below.
		{"", "/2/0/workspaces/{workspaceId}/models/{modelId}", nil},
	}
}
