package emulator

// routeTable lists every route the emulator serves. Add new routes here
// (the contract test fails until each has a contract case). Paths under
// /2/0/ need a token; the router checks it before any handler runs.
func (e *Emulator) routeTable() []route {
	routes := []route{
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
	routes = append(routes, e.oauthRoutes()...) // OAuth service and verification page
	routes = append(routes, e.almRoutes()...)   // ALM API (§13), alm.go
	routes = append(routes, e.bulkRoutes()...)
	routes = append(routes, e.transactionalRoutes()...)
	routes = append(routes, e.modelAdminRoutes()...)
	routes = append(routes, e.userRoutes()...)
	return bothForms(routes)
}

// bulkRoutes is the bulk API (anaplan-api.md §5) under
// /2/0/workspaces/{workspaceId}/models/{modelId}, with the /2/0/models/{modelId}
// forms the OpenAPI document lists for the metadata reads.
func (e *Emulator) bulkRoutes() []route {
	const (
		ws = "/2/0/workspaces/{workspaceId}/models/{modelId}"
		md = "/2/0/models/{modelId}"
	)
	routes := []route{
		// Files: list, chunk count (or create), single shot, download,
		// delete; chunks; complete (§5.1-5.3).
		{"GET", ws + "/files", e.listFiles},
		{"GET", md + "/files", e.listFiles},
		{"POST", ws + "/files/{fileId}", e.postFile},
		{"PUT", ws + "/files/{fileId}", e.putFile},
		{"GET", ws + "/files/{fileId}", e.getFile},
		{"DELETE", ws + "/files/{fileId}", e.deleteFile},
		{"GET", ws + "/files/{fileId}/chunks", e.listChunks},
		{"GET", md + "/files/{fileId}/chunks", e.listChunks},
		{"PUT", ws + "/files/{fileId}/chunks/{chunkId}", e.putChunk},
		{"GET", ws + "/files/{fileId}/chunks/{chunkId}", e.getChunk},
		{"POST", ws + "/files/{fileId}/complete", e.completeFile},

		// Metadata (§5.1). "/imports" also answers "/imports/".
		{"GET", ws + "/imports", e.listImports},
		{"GET", md + "/imports", e.listImports},
		{"GET", ws + "/imports/{importId}", e.getImport},
		{"GET", md + "/imports/{importId}", e.getImport},
		{"GET", ws + "/exports", e.listExports},
		{"GET", md + "/exports", e.listExports},
		{"GET", ws + "/exports/{exportId}", e.getExport},
		{"GET", md + "/exports/{exportId}", e.getExport},
		{"GET", ws + "/processes", e.listProcesses},
		{"GET", md + "/processes", e.listProcesses},
		{"GET", ws + "/processes/{processId}", e.getProcess},
		{"GET", md + "/processes/{processId}", e.getProcess},
		{"GET", ws + "/actions", e.listActions},
		{"GET", md + "/actions", e.listActions},

		// Failure dumps (§5.5).
		{"GET", ws + "/imports/{importId}/tasks/{taskId}/dump", e.getImportDump},
		{"GET", ws + "/imports/{importId}/tasks/{taskId}/dump/chunks", e.listImportDumpChunks},
		{"GET", ws + "/imports/{importId}/tasks/{taskId}/dump/chunks/{chunkId}", e.getImportDumpChunk},
		{"GET", ws + "/processes/{processId}/tasks/{taskId}/dumps/{objectId}", e.getProcessDump},
		{"GET", ws + "/processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks", e.listProcessDumpChunks},
		{"GET", ws + "/processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks/{chunkId}", e.getProcessDumpChunk},
	}
	// Tasks (§5.4): start, list, status, cancel.
	for _, k := range []struct{ kind, param string }{
		{kindImport, "importId"}, {kindExport, "exportId"}, {kindProcess, "processId"}, {kindAction, "actionId"},
	} {
		base := ws + "/" + k.kind + "/{" + k.param + "}/tasks"
		routes = append(routes,
			route{"POST", base, e.startTask(k.kind, k.param)},
			route{"GET", base, e.listTasks(k.kind, k.param)},
			route{"GET", base + "/{taskId}", e.getTask(k.kind, k.param)},
			route{"DELETE", base + "/{taskId}", e.cancelTask(k.kind, k.param)},
		)
	}
	return routes
}
