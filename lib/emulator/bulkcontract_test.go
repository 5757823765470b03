package emulator_test

import (
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// bulkContractCases exercise every bulk route (anaplan-api.md §5). They
// run in order on one emulator: uploads come before the tasks that read
// them, and task IDs are known in advance because the emulator numbers
// tasks deterministically (the n-th task started is TaskIDFor(model, n)).
func bulkContractCases() []contractCase {
	const (
		wsP = "/2/0/workspaces/{workspaceId}/models/{modelId}"
		mdP = "/2/0/models/{modelId}"

		files       = "GET " + wsP + "/files"
		filesMD     = "GET " + mdP + "/files"
		postFile    = "POST " + wsP + "/files/{fileId}"
		putFile     = "PUT " + wsP + "/files/{fileId}"
		getFile     = "GET " + wsP + "/files/{fileId}"
		deleteFile  = "DELETE " + wsP + "/files/{fileId}"
		chunks      = "GET " + wsP + "/files/{fileId}/chunks"
		chunksMD    = "GET " + mdP + "/files/{fileId}/chunks"
		putChunk    = "PUT " + wsP + "/files/{fileId}/chunks/{chunkId}"
		getChunk    = "GET " + wsP + "/files/{fileId}/chunks/{chunkId}"
		complete    = "POST " + wsP + "/files/{fileId}/complete"
		imports     = "GET " + wsP + "/imports"
		importsMD   = "GET " + mdP + "/imports"
		importMeta  = "GET " + wsP + "/imports/{importId}"
		importMD    = "GET " + mdP + "/imports/{importId}"
		exports     = "GET " + wsP + "/exports"
		exportsMD   = "GET " + mdP + "/exports"
		exportMeta  = "GET " + wsP + "/exports/{exportId}"
		exportMD    = "GET " + mdP + "/exports/{exportId}"
		processes   = "GET " + wsP + "/processes"
		processesMD = "GET " + mdP + "/processes"
		processMeta = "GET " + wsP + "/processes/{processId}"
		processMD   = "GET " + mdP + "/processes/{processId}"
		actions     = "GET " + wsP + "/actions"
		actionsMD   = "GET " + mdP + "/actions"
		dump        = "GET " + wsP + "/imports/{importId}/tasks/{taskId}/dump"
		dumpChunks  = dump + "/chunks"
		dumpChunk   = dump + "/chunks/{chunkId}"
		pdump       = "GET " + wsP + "/processes/{processId}/tasks/{taskId}/dumps/{objectId}"
		pdumpChunks = pdump + "/chunks"
		pdumpChunk  = pdump + "/chunks/{chunkId}"
	)
	tasks := func(method, kind, param, rest string) string {
		return method + " " + wsP + "/" + kind + "/{" + param + "}/tasks" + rest
	}
	ws, model := emulator.RegistryWorkspaceID, emulator.RegistryModelID
	w := "/2/0/workspaces/" + ws + "/models/" + model
	m := "/2/0/models/" + model
	var noAccessWS, plainModel string
	for _, mm := range emulator.Demo().Models {
		if mm.ID == emulator.DemoNoAccessModelID {
			noAccessWS = mm.WorkspaceID
		}
		if mm.ID != model && mm.ID != emulator.DemoNoAccessModelID && plainModel == "" {
			plainModel = mm.ID
		}
	}
	noAccess := "/2/0/workspaces/" + noAccessWS + "/models/" + emulator.DemoNoAccessModelID
	task := func(n int64) string { return emulator.TaskIDFor(model, n) }
	text := func(s string) func(*contractEnv) string { return func(*contractEnv) string { return s } }
	locale := text(`{"localeName":"en_US"}`)
	finish := func(c *contractEnv) { c.h.finish() }

	return append([]contractCase{
		{route: files, name: "before uploads", method: "GET", path: w + "/files", status: 200},
		{route: files, name: "paged and sorted", method: "GET", path: w + "/files?limit=2&offset=1&sort=-name", status: 200},
		{route: files, name: "bad limit", method: "GET", path: w + "/files?limit=0", status: 400},
		{route: files, name: "no-access model", method: "GET", path: noAccess + "/files", status: 404},
		{route: files, name: "no token", method: "GET", path: w + "/files", auth: noAuth, status: 401},
		{route: filesMD, name: "model form", method: "GET", path: m + "/files", status: 200},
		{route: filesMD, name: "model without a definition", method: "GET", path: "/2/0/models/" + plainModel + "/files", status: 200},

		{route: postFile, name: "chunk count -1", method: "POST", path: w + "/files/" + workspacesFile, body: text(`{"chunkCount":-1}`), status: 200},
		{route: putChunk, name: "chunk 0", method: "PUT", path: w + "/files/" + workspacesFile + "/chunks/0", body: text(workspacesCSV), status: 204},
		{route: putChunk, name: "chunk 1000", method: "PUT", path: w + "/files/" + workspacesFile + "/chunks/1000", body: text("x"), status: 400},
		{route: putChunk, name: "unknown file", method: "PUT", path: w + "/files/113999999999/chunks/0", body: text("x"), status: 404},
		{route: complete, name: "ok", method: "POST", path: w + "/files/" + workspacesFile + "/complete", body: text(`{"id":"` + workspacesFile + `"}`), status: 200},
		{route: complete, name: "nothing uploaded", method: "POST", path: w + "/files/" + modelsFile + "/complete", status: 400},
		{route: postFile, name: "no chunkCount", method: "POST", path: w + "/files/" + modelsFile, body: text(`{}`), status: 400},
		{route: postFile, name: "unknown ID creates a file", method: "POST", path: w + "/files/extra.csv", body: text(`{"chunkCount":1}`), status: 200},
		{route: putFile, name: "single shot", method: "PUT", path: w + "/files/" + modelsFile, body: text(modelsBadCSV), status: 204},
		{route: getFile, name: "whole file", method: "GET", path: w + "/files/" + modelsFile, status: 200},
		{route: getFile, name: "no content", method: "GET", path: w + "/files/" + exportModels, status: 404},
		{route: chunks, name: "ok", method: "GET", path: w + "/files/" + modelsFile + "/chunks", status: 200},
		{route: chunks, name: "no content", method: "GET", path: w + "/files/" + exportModels + "/chunks", status: 200},
		{route: chunks, name: "unknown file", method: "GET", path: w + "/files/113999999999/chunks", status: 404},
		{route: chunksMD, name: "model form", method: "GET", path: m + "/files/" + workspacesFile + "/chunks", status: 200},
		{route: getChunk, name: "chunk 0", method: "GET", path: w + "/files/" + workspacesFile + "/chunks/0", status: 200},
		{route: getChunk, name: "out of range", method: "GET", path: w + "/files/" + workspacesFile + "/chunks/1", status: 404},
		{route: deleteFile, name: "created file", method: "DELETE", path: w + "/files/113000000002", status: 204},
		{route: deleteFile, name: "unknown file", method: "DELETE", path: w + "/files/113999999999", status: 404},

		{route: imports, name: "trailing slash", method: "GET", path: w + "/imports/", status: 200},
		{route: importsMD, name: "model form", method: "GET", path: m + "/imports?sort=%2Bname", status: 200},
		{route: importMeta, name: "ok", method: "GET", path: w + "/imports/" + importModels, status: 200},
		{route: importMeta, name: "unknown", method: "GET", path: w + "/imports/112999999999", status: 404},
		{route: importMD, name: "model form", method: "GET", path: m + "/imports/" + importWorkspaces, status: 200},
		{route: exports, name: "ok", method: "GET", path: w + "/exports", status: 200},
		{route: exportsMD, name: "model form", method: "GET", path: m + "/exports", status: 200},
		{route: exportMeta, name: "ok", method: "GET", path: w + "/exports/" + exportModels, status: 200},
		{route: exportMeta, name: "unknown", method: "GET", path: w + "/exports/116999999999", status: 404},
		{route: exportMD, name: "model form", method: "GET", path: m + "/exports/" + exportWorkspaces, status: 200},
		{route: processes, name: "ok", method: "GET", path: w + "/processes", status: 200},
		{route: processesMD, name: "model form", method: "GET", path: m + "/processes", status: 200},
		{route: processMeta, name: "showImportDataSource", method: "GET", path: w + "/processes/" + processLoad + "?showImportDataSource=true", status: 200},
		{route: processMeta, name: "unknown", method: "GET", path: w + "/processes/118999999999", status: 404},
		{route: processMD, name: "model form", method: "GET", path: m + "/processes/" + processLoad, status: 200},
		{route: actions, name: "none", method: "GET", path: w + "/actions", status: 200},
		{route: actionsMD, name: "model form", method: "GET", path: m + "/actions", status: 200},

		// Task 1: import workspaces.csv.
		{route: tasks("POST", "imports", "importId", ""), name: "start", method: "POST", path: w + "/imports/" + importWorkspaces + "/tasks", body: locale, status: 200},
		{route: tasks("POST", "imports", "importId", ""), name: "model busy", method: "POST", path: w + "/imports/" + importModels + "/tasks", body: locale, status: 409},
		{route: tasks("GET", "imports", "importId", "/{taskId}"), name: "not started", method: "GET", path: w + "/imports/" + importWorkspaces + "/tasks/" + task(1), status: 200},
		{route: tasks("GET", "imports", "importId", "/{taskId}"), name: "complete", method: "GET", path: w + "/imports/" + importWorkspaces + "/tasks/" + task(1), setup: finish, status: 200},
		{route: tasks("GET", "imports", "importId", "/{taskId}"), name: "under another import", method: "GET", path: w + "/imports/" + importModels + "/tasks/" + task(1), status: 404},
		{route: tasks("GET", "imports", "importId", ""), name: "list", method: "GET", path: w + "/imports/" + importWorkspaces + "/tasks?sort=-creationDate", status: 200},
		{route: tasks("GET", "imports", "importId", ""), name: "unknown import", method: "GET", path: w + "/imports/112999999999/tasks", status: 200},
		{route: tasks("GET", "imports", "importId", ""), name: "no-access model", method: "GET", path: noAccess + "/imports/" + importWorkspaces + "/tasks", status: 200},
		{route: tasks("POST", "imports", "importId", ""), name: "no localeName", method: "POST", path: w + "/imports/" + importModels + "/tasks", body: text(`{}`), status: 400},
		{route: tasks("POST", "imports", "importId", ""), name: "unknown import", method: "POST", path: w + "/imports/112999999999/tasks", body: locale, status: 404},
		// Task 2: import models.csv, whose bad row makes a dump.
		{route: tasks("POST", "imports", "importId", ""), name: "with mapping parameters", method: "POST", path: w + "/imports/" + importModels + "/tasks",
			body: text(`{"localeName":"en_US","mappingParameters":[{"entityType":"Version","entityName":"Actual"}]}`), status: 200},
		{route: dump, name: "ok", method: "GET", path: w + "/imports/" + importModels + "/tasks/" + task(2) + "/dump", setup: finish, status: 200},
		{route: dump, name: "clean run", method: "GET", path: w + "/imports/" + importWorkspaces + "/tasks/" + task(1) + "/dump", status: 404},
		{route: dumpChunks, name: "ok", method: "GET", path: w + "/imports/" + importModels + "/tasks/" + task(2) + "/dump/chunks", status: 200},
		{route: dumpChunk, name: "ok", method: "GET", path: w + "/imports/" + importModels + "/tasks/" + task(2) + "/dump/chunks/0", status: 200},
		{route: dumpChunk, name: "out of range", method: "GET", path: w + "/imports/" + importModels + "/tasks/" + task(2) + "/dump/chunks/1", status: 404},
		// Task 3: the process.
		{route: tasks("POST", "processes", "processId", ""), name: "start", method: "POST", path: w + "/processes/" + processLoad + "/tasks", body: locale, status: 200},
		{route: tasks("GET", "processes", "processId", "/{taskId}"), name: "complete", method: "GET", path: w + "/processes/" + processLoad + "/tasks/" + task(3), setup: finish, status: 200},
		{route: tasks("GET", "processes", "processId", ""), name: "list", method: "GET", path: w + "/processes/" + processLoad + "/tasks", status: 200},
		{route: pdump, name: "ok", method: "GET", path: w + "/processes/" + processLoad + "/tasks/" + task(3) + "/dumps/" + importModels, status: 200},
		{route: pdump, name: "action without failures", method: "GET", path: w + "/processes/" + processLoad + "/tasks/" + task(3) + "/dumps/" + importWorkspaces, status: 404},
		{route: pdumpChunks, name: "ok", method: "GET", path: w + "/processes/" + processLoad + "/tasks/" + task(3) + "/dumps/" + importModels + "/chunks", status: 200},
		{route: pdumpChunk, name: "ok", method: "GET", path: w + "/processes/" + processLoad + "/tasks/" + task(3) + "/dumps/" + importModels + "/chunks/0", status: 200},
		{route: tasks("DELETE", "processes", "processId", "/{taskId}"), name: "finished task", method: "DELETE", path: w + "/processes/" + processLoad + "/tasks/" + task(3), status: 200},
		// Task 4: the export, and its output file.
		{route: tasks("POST", "exports", "exportId", ""), name: "start", method: "POST", path: w + "/exports/" + exportModels + "/tasks", body: locale, status: 200},
		{route: tasks("GET", "exports", "exportId", "/{taskId}"), name: "complete", method: "GET", path: w + "/exports/" + exportModels + "/tasks/" + task(4), setup: finish, status: 200},
		{route: tasks("GET", "exports", "exportId", ""), name: "list", method: "GET", path: w + "/exports/" + exportModels + "/tasks", status: 200},
		{route: getFile, name: "export output", method: "GET", path: w + "/files/" + exportModels, status: 200},
		{route: tasks("DELETE", "exports", "exportId", "/{taskId}"), name: "unknown task", method: "DELETE", path: w + "/exports/" + exportModels + "/tasks/" + task(99), status: 404},
		// Task 5: cancelled.
		{route: tasks("POST", "imports", "importId", ""), name: "start again", method: "POST", path: w + "/imports/" + importWorkspaces + "/tasks", body: locale, status: 200},
		{route: tasks("DELETE", "imports", "importId", "/{taskId}"), name: "cancel", method: "DELETE", path: w + "/imports/" + importWorkspaces + "/tasks/" + task(5), status: 200},
		{route: tasks("GET", "imports", "importId", "/{taskId}"), name: "cancelled", method: "GET", path: w + "/imports/" + importWorkspaces + "/tasks/" + task(5), setup: finish, status: 200},
		// The engine has no "other actions".
		{route: tasks("POST", "actions", "actionId", ""), name: "unknown action", method: "POST", path: w + "/actions/117000000000/tasks", body: locale, status: 404},
		{route: tasks("GET", "actions", "actionId", ""), name: "empty list", method: "GET", path: w + "/actions/117000000000/tasks", status: 200},
		{route: tasks("GET", "actions", "actionId", "/{taskId}"), name: "unknown task", method: "GET", path: w + "/actions/117000000000/tasks/" + task(1), status: 404},
		{route: tasks("DELETE", "actions", "actionId", "/{taskId}"), name: "unknown task", method: "DELETE", path: w + "/actions/117000000000/tasks/" + task(1), status: 404},
	}, modelFormCases()...)
}

// modelOnlyRoutes are the bulk routes' /2/0/models/{modelId} forms the
// OpenAPI document does not list (anaplan-api.md §13: live clients call
// them; every model-scoped route answers both forms). Their success
// responses are the workspace form's, checked by bulk_modelform_test.go;
// here each gets an error case checked against ErrorResponse.
var modelOnlyRoutes = []string{
	"POST /files/{fileId}", "PUT /files/{fileId}", "GET /files/{fileId}", "DELETE /files/{fileId}",
	"PUT /files/{fileId}/chunks/{chunkId}", "GET /files/{fileId}/chunks/{chunkId}", "POST /files/{fileId}/complete",
	"GET /imports/{importId}/tasks/{taskId}/dump", "GET /imports/{importId}/tasks/{taskId}/dump/chunks",
	"GET /imports/{importId}/tasks/{taskId}/dump/chunks/{chunkId}",
	"GET /processes/{processId}/tasks/{taskId}/dumps/{objectId}",
	"GET /processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks",
	"GET /processes/{processId}/tasks/{taskId}/dumps/{objectId}/chunks/{chunkId}",
	"POST /imports/{importId}/tasks", "GET /imports/{importId}/tasks/{taskId}", "DELETE /imports/{importId}/tasks/{taskId}",
	"POST /exports/{exportId}/tasks", "GET /exports/{exportId}/tasks/{taskId}", "DELETE /exports/{exportId}/tasks/{taskId}",
	"POST /processes/{processId}/tasks", "GET /processes/{processId}/tasks/{taskId}", "DELETE /processes/{processId}/tasks/{taskId}",
	"POST /actions/{actionId}/tasks", "GET /actions/{actionId}/tasks/{taskId}", "DELETE /actions/{actionId}/tasks/{taskId}",
	// Task lists answer 200 with an empty list even for an unknown
	// model, so their case needs no token to stay an error.
	"GET /imports/{importId}/tasks", "GET /exports/{exportId}/tasks", "GET /processes/{processId}/tasks", "GET /actions/{actionId}/tasks",
}

func init() {
	for _, r := range modelOnlyRoutes {
		method, suffix, _ := strings.Cut(r, " ")
		notInSpec[method+" /2/0/models/{modelId}"+suffix] = "anaplan-api.md §13: the model-only form, not in the document"
	}
}

// modelFormCases are the error cases of modelOnlyRoutes: an unknown model
// answers 404, a task list without a token 401.
func modelFormCases() []contractCase {
	var cases []contractCase
	for _, r := range modelOnlyRoutes {
		method, suffix, _ := strings.Cut(r, " ")
		c := contractCase{route: method + " /2/0/models/{modelId}" + suffix, name: "unknown model", method: method,
			path: samplePath("/2/0/models/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF" + suffix), status: 404,
			body: func(*contractEnv) string { return `{"localeName":"en_US","chunkCount":1}` }}
		if method == "GET" && strings.HasSuffix(suffix, "/tasks") {
			c.name, c.auth, c.status = "no token", noAuth, 401
		}
		cases = append(cases, c)
	}
	return cases
}
