package emulator_test

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// Contract cases for the transactional API, model administration and
// user routes. Each route is exercised in the form the OpenAPI document
// lists (TestEveryModelRouteAnswersInBothForms covers the other form).
// They run after the bulk cases on the same emulator, so they use their
// own item codes and read request numbers.

const (
	wsForm    = "/2/0/workspaces/{workspaceId}/models/{modelId}"
	shortForm = "/2/0/models/{modelId}"
)

// otherFormKey maps "METHOD pattern" of a model-scoped route to its other form.
func otherFormKey(key string) string {
	method, pattern, _ := strings.Cut(key, " ")
	if rest, ok := strings.CutPrefix(pattern, wsForm+"/"); ok {
		return method + " " + shortForm + "/" + rest
	}
	if rest, ok := strings.CutPrefix(pattern, shortForm+"/"); ok {
		return method + " " + wsForm + "/" + rest
	}
	return ""
}

var (
	wsModelPath    = regexp.MustCompile(`^/2/0/workspaces/[^/]+/models/([^/]+)/(.*)$`)
	shortModelPath = regexp.MustCompile(`^/2/0/models/([^/]+)/(.*)$`)
	// standIns map routes the document lacks onto the documented route
	// with the same response shape.
	standIns = []struct {
		re   *regexp.Regexp
		repl string
	}{
		{regexp.MustCompile(`/lists/(\d+)/readRequests/`), "/views/$1/readRequests/"},
		{regexp.MustCompile(`^/2/0/(workspaces|models)/[^/]+/users(\?.*)?$`), "/2/0/users$2"},
		{regexp.MustCompile(`^/2/0/users/[^/]+/(workspaces|models)(\?.*)?$`), "/2/0/$1$2"},
	}
)

// specPathFor returns path, or the path of the documented route standing
// in for it: the other model form, then a stand-in of the same shape.
func specPathFor(router routers.Router, serverURL, method, path string) string {
	candidates := []string{path}
	if m := wsModelPath.FindStringSubmatch(path); m != nil {
		candidates = append(candidates, "/2/0/models/"+m[1]+"/"+m[2])
	} else if m := shortModelPath.FindStringSubmatch(path); m != nil {
		candidates = append(candidates, "/2/0/workspaces/"+emulator.RegistryWorkspaceID+"/models/"+m[1]+"/"+m[2])
	}
	for _, c := range append([]string(nil), candidates...) {
		for _, s := range standIns {
			if s.re.MatchString(c) {
				candidates = append(candidates, s.re.ReplaceAllString(c, s.repl))
			}
		}
	}
	for _, c := range candidates {
		if foundAt(router, serverURL, method, c) {
			return c
		}
	}
	return path
}

func foundAt(router routers.Router, serverURL, method, path string) bool {
	req, err := http.NewRequest(method, serverURL+path, nil)
	if err != nil {
		return false
	}
	_, _, err = router.FindRoute(req)
	return err == nil
}

func txnContractCases() []contractCase {
	ws, model := emulator.RegistryWorkspaceID, emulator.RegistryModelID
	m := "/2/0/models/" + model
	w := "/2/0/workspaces/" + ws + "/models/" + model
	unknown := "/2/0/models/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
	user := emulator.Demo().Users[0].ID
	k := func(method, suffix string) string { return method + " " + shortForm + suffix }
	advance := func(c *contractEnv) { c.h.clock.Advance(2 * time.Second) }
	return []contractCase{
		{route: k("GET", "/lists"), name: "ok", method: "GET", path: m + "/lists", status: 200},
		{route: k("GET", "/lists"), name: "unknown model", method: "GET", path: unknown + "/lists", status: 404},
		{route: k("GET", "/lists/{listId}"), name: "ok", method: "GET", path: m + "/lists/" + listW2, status: 200},
		{route: k("GET", "/lists/{listId}"), name: "unknown", method: "GET", path: m + "/lists/101000000099", status: 404},
		{route: k("POST", "/lists/{listId}/items"), name: "add workspaces", method: "POST", path: w + "/lists/" + listW1 + "/items?action=add",
			body: func(*contractEnv) string {
				return `{"items":[{"code":"CW1","name":"Contract WS","properties":{"Workspace Name":"Contract WS"}},{"code":"CW1"}]}`
			}, status: 200},
		{route: k("POST", "/lists/{listId}/items"), name: "add models", method: "POST", path: w + "/lists/" + listW2 + "/items?action=add",
			body: func(*contractEnv) string {
				return `{"items":[{"code":"CM1","name":"Contract A","parent":"CW1"},{"code":"CM2","name":"Contract B","parent":"CW1"},{"code":"CM3"}]}`
			}, status: 200},
		{route: k("PUT", "/lists/{listId}/items"), name: "update", method: "PUT", path: w + "/lists/" + listW2 + "/items",
			body: func(*contractEnv) string { return `{"items":[{"code":"CM2","name":"Contract B2"},{"code":"NOPE"}]}` }, status: 200},
		{route: k("POST", "/lists/{listId}/items"), name: "delete", method: "POST", path: w + "/lists/" + listW2 + "/items?action=delete",
			body: func(*contractEnv) string { return `{"items":[{"code":"CM3"}]}` }, status: 200},
		{route: k("GET", "/lists/{listId}/items"), name: "includeAll", method: "GET", path: w + "/lists/" + listW2 + "/items?includeAll=true", status: 200},
		{route: k("GET", "/lists/{listId}/items"), name: "unknown list", method: "GET", path: w + "/lists/101000000099/items", status: 404},
		{route: k("POST", "/lists/{listId}/resetIndex"), name: "list has items", method: "POST", path: w + "/lists/" + listW2 + "/resetIndex", status: 400},

		{route: k("GET", "/modules"), name: "ok", method: "GET", path: m + "/modules", status: 200},
		{route: k("GET", "/lineItems"), name: "ok", method: "GET", path: m + "/lineItems", status: 200},
		{route: k("GET", "/modules/{moduleId}/lineItems"), name: "includeAll", method: "GET", path: m + "/modules/" + moduleW2 + "/lineItems?includeAll=true", status: 200},
		{route: k("GET", "/lineItems/{lineItemId}/dimensions"), name: "ok", method: "GET", path: m + "/lineItems/" + liW2Name + "/dimensions", status: 200},
		{route: k("GET", "/lineItems/{lineItemId}/dimensions/{dimensionId}/items"), name: "ok", method: "GET",
			path: m + "/lineItems/" + liW2Name + "/dimensions/" + listW2 + "/items", status: 200},
		{route: k("GET", "/views"), name: "ok", method: "GET", path: m + "/views", status: 200},
		{route: k("GET", "/modules/{moduleId}/views"), name: "ok", method: "GET", path: m + "/modules/" + moduleW2 + "/views", status: 200},
		{route: k("GET", "/views/{viewId}"), name: "ok", method: "GET", path: m + "/views/" + moduleW2, status: 200},
		{route: k("GET", "/views/{viewId}"), name: "unknown", method: "GET", path: m + "/views/102000000099", status: 404},
		{route: k("POST", "/modules/{moduleId}/data"), name: "by id and name", method: "POST", path: m + "/modules/" + moduleW2 + "/data",
			body: func(*contractEnv) string {
				return `[{"lineItemName":"Current Size","dimensions":[{"dimensionName":"W2 Models","itemCode":"CM1"}],"value":7},
				{"lineItemId":"` + liW2Space + `","dimensions":[{"dimensionId":"` + listW2 + `","itemCode":"CM1"}],"value":"x"}]`
			}, status: 200},
		{route: k("GET", "/views/{viewId}/data"), name: "CSV", method: "GET", path: m + "/views/" + moduleW2 + "/data", status: 200},
		{route: k("GET", "/views/{viewId}/dimensions/{dimensionId}/items"), name: "ok", method: "GET",
			path: m + "/views/" + moduleW2 + "/dimensions/" + listW2 + "/items", status: 200},
		{route: k("GET", "/dimensions/{dimensionId}/items"), name: "ok", method: "GET", path: m + "/dimensions/" + listW2 + "/items", status: 200},
		{route: k("GET", "/dimensions/{dimensionId}/items"), name: "unknown", method: "GET", path: m + "/dimensions/101000000099/items", status: 404},
		{route: k("POST", "/dimensions/{dimensionId}/items"), name: "lookup", method: "POST", path: m + "/dimensions/" + listW2 + "/items",
			body: func(*contractEnv) string { return `{"names":["contract a"],"codes":["cm2"]}` }, status: 200},
		{route: k("POST", "/dimensions/{dimensionId}/items"), name: "empty", method: "POST", path: m + "/dimensions/" + listW2 + "/items",
			body: func(*contractEnv) string { return `{}` }, status: 400},

		{route: k("POST", "/lists/{listId}/readRequests"), name: "start", method: "POST", path: w + "/lists/" + listW2 + "/readRequests",
			body: func(*contractEnv) string { return `{}` }, status: 200},
		{route: k("GET", "/lists/{listId}/readRequests/{requestId}"), name: "complete", method: "GET", setup: advance,
			path: w + "/lists/" + listW2 + "/readRequests/" + emulator.ReadRequestIDFor(1), status: 200},
		{route: k("GET", "/lists/{listId}/readRequests/{requestId}/pages/{pageNo}"), name: "page 0", method: "GET",
			path: w + "/lists/" + listW2 + "/readRequests/" + emulator.ReadRequestIDFor(1) + "/pages/0", status: 200},
		{route: k("DELETE", "/lists/{listId}/readRequests/{requestId}"), name: "delete", method: "DELETE",
			path: w + "/lists/" + listW2 + "/readRequests/" + emulator.ReadRequestIDFor(1), status: 200},
		{route: k("GET", "/lists/{listId}/readRequests/{requestId}"), name: "deleted", method: "GET",
			path: w + "/lists/" + listW2 + "/readRequests/" + emulator.ReadRequestIDFor(1), status: 404},
		{route: k("POST", "/views/{viewId}/readRequests"), name: "start", method: "POST", path: w + "/views/" + moduleW2 + "/readRequests",
			body: func(*contractEnv) string { return `{"exportType":"TABULAR_MULTI_COLUMN"}` }, status: 200},
		{route: k("GET", "/views/{viewId}/readRequests/{requestId}"), name: "in progress", method: "GET",
			path: w + "/views/" + moduleW2 + "/readRequests/" + emulator.ReadRequestIDFor(2), status: 200},
		{route: k("GET", "/views/{viewId}/readRequests/{requestId}/pages/{pageNo}"), name: "page 0", method: "GET", setup: advance,
			path: w + "/views/" + moduleW2 + "/readRequests/" + emulator.ReadRequestIDFor(2) + "/pages/0", status: 200},
		{route: k("GET", "/views/{viewId}/readRequests/{requestId}/pages/{pageNo}"), name: "past the end", method: "GET",
			path: w + "/views/" + moduleW2 + "/readRequests/" + emulator.ReadRequestIDFor(2) + "/pages/9", status: 404},
		{route: k("DELETE", "/views/{viewId}/readRequests/{requestId}"), name: "delete", method: "DELETE",
			path: w + "/views/" + moduleW2 + "/readRequests/" + emulator.ReadRequestIDFor(2), status: 200},

		{route: k("GET", "/status"), name: "ok", method: "GET", path: m + "/status", status: 200},
		{route: k("POST", "/close"), name: "ok", method: "POST", path: m + "/close", status: 204},
		{route: k("POST", "/open"), name: "ok", method: "POST", path: m + "/open", status: 202},
		{route: k("GET", "/currentPeriod"), name: "unset", method: "GET", path: m + "/currentPeriod", status: 200},
		{route: k("PUT", "/currentPeriod"), name: "query", method: "PUT", path: m + "/currentPeriod?date=2026-05-20", status: 200},
		{route: k("PUT", "/currentPeriod"), name: "both", method: "PUT", path: m + "/currentPeriod?date=2026-05-20",
			body: func(*contractEnv) string { return `{"date":"2026-05-20"}` }, status: 400},
		{route: k("PUT", "/currentPeriod"), name: "out of range", method: "PUT", path: m + "/currentPeriod?date=1999-05-20", status: 400},
		{route: k("GET", "/modelCalendar"), name: "ok", method: "GET", path: m + "/modelCalendar", status: 200},
		{route: k("PUT", "/modelCalendar/fiscalYear"), name: "ok", method: "PUT", path: m + "/modelCalendar/fiscalYear",
			body: func(*contractEnv) string { return `{"year":"FY27"}` }, status: 200},
		{route: k("GET", "/versions"), name: "ok", method: "GET", path: m + "/versions", status: 200},
		{route: k("PUT", "/versions/{versionId}/switchover"), name: "ok", method: "PUT", path: m + "/versions/107000000002/switchover",
			body: func(*contractEnv) string { return `{"date":"2026-06-03"}` }, status: 200},
		{route: k("GET", "/dashboards"), name: "none", method: "GET", path: w + "/dashboards", status: 200},
		{route: k("GET", "/optimizeActions/{actionId}/tasks/{correlationId}/solutionLogs"), name: "no log", method: "GET",
			path: w + "/optimizeActions/117000000000/tasks/A1B2C3D4E5F6A1B2C3D4E5F6A1B2C3D4/solutionLogs", status: 404},
		{route: "POST /2/0/workspaces/{workspaceId}/bulkDeleteModels", name: "open and unknown", method: "POST",
			path: "/2/0/workspaces/" + ws + "/bulkDeleteModels",
			body: func(*contractEnv) string {
				return `{"modelIdsToDelete":["` + model + `","FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"]}`
			}, status: 200},

		{route: "GET /2/0/users", name: "sorted", method: "GET", path: "/2/0/users?sort=-lastName&limit=2", status: 200},
		{route: "GET /2/0/users/{userId}", name: "ok", method: "GET", path: "/2/0/users/" + user, status: 200},
		{route: "GET /2/0/users/{userId}/workspaces", name: "ok", method: "GET", path: "/2/0/users/" + user + "/workspaces", status: 200},
		{route: "GET /2/0/users/{userId}/models", name: "ok", method: "GET", path: "/2/0/users/" + user + "/models", status: 200},
		{route: "GET /2/0/workspaces/{workspaceId}/users", name: "ok", method: "GET", path: "/2/0/workspaces/" + ws + "/users", status: 200},
		{route: "GET /2/0/workspaces/{workspaceId}/admins", name: "ok", method: "GET", path: "/2/0/workspaces/" + ws + "/admins", status: 200},
		{route: "GET /2/0/workspaces/{workspaceId}/visitors", name: "none", method: "GET", path: "/2/0/workspaces/" + ws + "/visitors", status: 200},
		{route: "GET " + shortForm + "/users", name: "ok", method: "GET", path: m + "/users", status: 200},
	}
}

// patchTxnSpec corrects the schemas of the transactional and
// administration routes where the document is wrong the same way as
// elsewhere: Admin and Visitor carry User's doubly escaped email pattern.
// §3: errors carry the error envelope; the document gives several 400s
// without a body, so they get it.
func patchTxnSpec(doc *openapi3.T) {
	schemas := doc.Components.Schemas
	for _, name := range []string{"Admin", "Visitor"} {
		email := schemas[name].Value.Properties["email"].Value
		email.Pattern = strings.ReplaceAll(email.Pattern, `\\`, `\`)
	}
	errRef := &openapi3.SchemaRef{Ref: "#/components/schemas/ErrorResponse", Value: schemas["ErrorResponse"].Value}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if r := op.Responses.Status(400); r != nil && r.Value != nil && len(r.Value.Content) == 0 {
				op.Responses.Set("400", errorResponse(*r.Value.Description, errRef))
			}
		}
	}
}
