package emulator_test

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// patchBulkSpec corrects the integration document's bulk API (anaplan-api.md
// §5) where the reference shows it wrong or incomplete. Called from
// patchIntegrationSpec.
func patchBulkSpec(doc *openapi3.T) {
	schemas := doc.Components.Schemas
	errRef := &openapi3.SchemaRef{Ref: "#/components/schemas/ErrorResponse", Value: schemas["ErrorResponse"].Value}
	taskRef := &openapi3.SchemaRef{Ref: "#/components/schemas/Task", Value: schemas["Task"].Value}
	chunkRef := &openapi3.SchemaRef{Ref: "#/components/schemas/Chunk", Value: schemas["Chunk"].Value}
	envelope := func(key string, schema *openapi3.SchemaRef) *openapi3.Schema {
		return openapi3.NewObjectSchema().
			WithPropertyRef("meta", &openapi3.SchemaRef{Ref: "#/components/schemas/Meta", Value: schemas["Meta"].Value}).
			WithPropertyRef("status", &openapi3.SchemaRef{Ref: "#/components/schemas/Status", Value: schemas["Status"].Value}).
			WithPropertyRef(key, schema)
	}
	jsonResponse := func(description string, schema *openapi3.Schema) *openapi3.ResponseRef {
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(description).
			WithContent(openapi3.NewContentWithJSONSchema(schema))}
	}
	taskResponse := jsonResponse("The task", envelope("task", taskRef))
	const ws = "/workspaces/{workspaceId}/models/{modelId}"

	for path, item := range doc.Paths.Map() {
		bulk := strings.Contains(path, "/files") || strings.Contains(path, "/imports") || strings.Contains(path, "/exports") ||
			strings.Contains(path, "/processes") || strings.Contains(path, "/actions")
		if !bulk || strings.Contains(path, "optimizeActions") {
			continue
		}
		for method, op := range item.Operations() {
			// §3: a missing or dead token is 401 with the error envelope
			// everywhere; so are bad offset/limit (400) on lists, and 404
			// bodies (the document gives some 404s no body at all).
			op.Responses.Set("401", errorResponse("Missing, expired or revoked token", errRef))
			if hasParam(op, "offset") {
				op.Responses.Set("400", errorResponse("Invalid offset or limit", errRef))
			}
			if r := op.Responses.Status(404); r != nil && r.Value != nil && len(r.Value.Content) == 0 {
				op.Responses.Set("404", errorResponse(*r.Value.Description, errRef))
			}
			// §5.2, §8: uploads beyond the limits (50 MB chunks, 1000
			// chunks, chunk IDs in range, gzip) and malformed upload bodies
			// are refused with 400.
			if method != "GET" && strings.Contains(path, "/files/") {
				op.Responses.Set("400", errorResponse("Upload refused: limits, chunk ID, body", errRef))
			}
			// §5.4, §7: starting a task needs {"localeName":…} (400) and
			// fails with 409 while another task runs on the model. The 200
			// body is {"meta","status","task":{taskId,taskState,creationTime}}
			// (H:import), not the bare {"taskId"} of the document's
			// examples, which the reference calls wrong.
			if method == "POST" && strings.HasSuffix(path, "/tasks") {
				op.Responses.Set("400", errorResponse("Missing localeName or malformed mappingParameters", errRef))
				op.Responses.Set("409", errorResponse("Model busy: another task is running", errRef))
				op.Responses.Set("200", taskResponse)
			}
		}
	}

	// §5.4: task lists are {"meta","status","tasks":[…]} (AC
	// TasksResponse); the document's import list shows a single "task".
	list := doc.Paths.Find(ws + "/imports/{importId}/tasks").Get
	list.Responses.Set("200", jsonResponse("Tasks of the import", envelope("tasks", openapi3.NewArraySchema().WithItems(taskRef.Value).NewRef())))

	// §5.4: DELETE on a task URL cancels it (H:monitor, H:deltask,
	// Anaplan Connect's cancel*Task) and answers with the task status; the
	// document lacks the operation.
	for _, kind := range []string{"imports/{importId}", "exports/{exportId}", "processes/{processId}", "actions/{actionId}"} {
		item := doc.Paths.Find(ws + "/" + kind + "/tasks/{taskId}")
		del := openapi3.NewOperation()
		del.Responses = openapi3.NewResponses()
		del.Responses.Set("200", taskResponse)
		del.Responses.Set("401", errorResponse("Missing, expired or revoked token", errRef))
		del.Responses.Set("404", errorResponse("Unknown task, or a model the caller cannot see", errRef))
		item.Delete = del
	}

	// §5.5: process dumps live at …/processes/{processId}/tasks/{taskId}/
	// dumps/{objectId}[/chunks[/{chunkId}]] (H:pdump, Anaplan Connect);
	// the document has only the import dump paths.
	text := &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("Dump CSV").
		WithContent(openapi3.Content{"text/plain": openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())})}
	chunks := jsonResponse("Dump chunks", envelope("chunks", openapi3.NewArraySchema().WithItems(chunkRef.Value).NewRef()))
	dumps := ws + "/processes/{processId}/tasks/{taskId}/dumps/{objectId}"
	for path, ok := range map[string]*openapi3.ResponseRef{dumps: text, dumps + "/chunks": chunks, dumps + "/chunks/{chunkId}": text} {
		get := openapi3.NewOperation()
		get.Responses = openapi3.NewResponses()
		get.Responses.Set("200", ok)
		get.Responses.Set("401", errorResponse("Missing, expired or revoked token", errRef))
		get.Responses.Set("404", errorResponse("No dump: unknown task, clean run, replaced or expired", errRef))
		doc.Paths.Set(path, &openapi3.PathItem{Get: get})
	}
}

func hasParam(op *openapi3.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.Name == name {
			return true
		}
	}
	return false
}
