package emulator

import "slices"

// bulkRoutes is the bulk API (anaplan-api.md §5). Every route answers
// under /2/0/workspaces/{workspaceId}/models/{modelId} and under
// /2/0/models/{modelId} (§13): modelRoutes registers both.
func (e *Emulator) bulkRoutes() []route {
	routes := slices.Concat(
		// Files: list, chunk count (or create), single shot, download,
		// delete; chunks; complete (§5.1-5.3).
		modelRoutes("GET", "/files", e.listFiles),
		modelRoutes("POST", "/files/{fileId}", e.postFile),
		modelRoutes("PUT", "/files/{fileId}", e.putFile),
		modelRoutes("GET", "/files/{fileId}", e.getFile),
		modelRoutes("DELETE", "/files/{fileId}", e.deleteFile),
		modelRoutes("GET", "/files/{fileId}/chunks", e.listChunks),
		modelRoutes("PUT", "/files/{fileId}/chunks/{chunkId}", e.putChunk),
		modelRoutes("GET", "/files/{fileId}/chunks/{chunkId}", e.getChunk),
		modelRoutes("POST", "/files/{fileId}/complete", e.completeFile),

		// Metadata (§5.1).
		modelRoutes("GET", "/imports", e.listImports),
		modelRoutes("GET", "/imports/{importId}", e.getImport),
		modelRoutes("GET", "/exports", e.listExports),
		modelRoutes("GET", "/exports/{exportId}", e.getExport),
		modelRoutes("GET", "/processes", e.listProcesses),
		modelRoutes("GET", "/processes/{processId}", e.getProcess),
		modelRoutes("GET", "/actions", e.listActions),

		// Failure dumps (§5.5).
		modelRoutes("GET", "/imports/{importId}/tasks/{taskId}/dump", e.getImportDump),
		modelRoutes("GET", "/imports/{importId}/tasks/{taskId}/dump/chunks", e.listImportDumpChunks),
		modelRoutes("GET", "/imports/{importId}/tasks/{taskId}/dump/chunks/{chunkId}", e.getImportDumpChunk),
		modelRoutes("GET", "/processes/{processId}/tasks/{taskId}/dumps/{objectId}", e.getProcessDump),
		modelRoutes("GET", "/processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks", e.listProcessDumpChunks),
		modelRoutes("GET", "/processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks/{chunkId}", e.getProcessDumpChunk),
	)
	// Tasks (§5.4): start, list, status, cancel.
	for _, k := range []struct{ kind, param string }{
		{kindImport, "importId"}, {kindExport, "exportId"}, {kindProcess, "processId"}, {kindAction, "actionId"},
	} {
		base := "/" + k.kind + "/{" + k.param + "}/tasks"
		routes = slices.Concat(routes,
			modelRoutes("POST", base, e.startTask(k.kind, k.param)),
			modelRoutes("GET", base, e.listTasks(k.kind, k.param)),
			modelRoutes("GET", base+"/{taskId}", e.getTask(k.kind, k.param)),
			modelRoutes("DELETE", base+"/{taskId}", e.cancelTask(k.kind, k.param)),
		)
	}
	return routes
}
