package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// contractCase is one request whose response must match the OpenAPI
// documents. route names the route-table entry it exercises
// ("METHOD pattern"); "" marks router-level errors (unknown path, wrong
// method) that no operation documents.
type contractCase struct {
	route  string
	name   string
	method string
	path   string
	// auth returns the Authorization header; nil means a valid
	// "AnaplanAuthToken <token>" of the demo user.
	auth   func(c *contractEnv) string
	body   func(c *contractEnv) string
	status int
	// setup, if set, runs first (e.g. lets running tasks finish).
	setup func(c *contractEnv)
}

// notInSpec lists route-table entries the OpenAPI documents do not
// describe, with the reason. Their responses are checked against the
// documents' ErrorResponse schema instead.
var notInSpec = map[string]string{
	" /2/0/workspaces/{workspaceId}/models/{modelId}": "anaplan-api.md §3: Anaplan answers 405 here; the document has no such path",
}

// contractEnv is what case builders need: the server, a token, helpers.
type contractEnv struct {
	t     *testing.T
	h     *harness
	token string
}

func (c *contractEnv) certLogin(format string) string {
	data := randomData(150)
	if format == "v2" {
		data = v2Data(uint64(testStart.Unix()), 150)
	}
	return certBody(c.t, demoUserKey(c.t), format, data)
}

var (
	noAuth      = func(*contractEnv) string { return "" }
	bearerToken = func(c *contractEnv) string { return "Bearer " + c.token }
	deadToken   = func(*contractEnv) string { return "AnaplanAuthToken no-such-token" }
	demoBasic   = func(*contractEnv) string { return basic(emulator.DemoUser, emulator.DemoPassword) }
	demoCert    = func(c *contractEnv) string { return certHeader(c.t, emulator.DemoCertificatePEM(), false) }
	demoCertDER = func(c *contractEnv) string { return certHeader(c.t, emulator.DemoCertificatePEM(), true) }
)

func contractCases() []contractCase {
	ws, model := emulator.RegistryWorkspaceID, emulator.RegistryModelID
	unknownWS, unknownModel := "ffffffffffffffffffffffffffffffff", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
	const (
		authenticate = "POST /token/authenticate"
		refresh      = "POST /token/refresh"
		validate     = "GET /token/validate"
		logout       = "POST /token/logout"
		me           = "GET /2/0/users/me"
		workspaces   = "GET /2/0/workspaces"
		workspace    = "GET /2/0/workspaces/{workspaceId}"
		wsModels     = "GET /2/0/workspaces/{workspaceId}/models"
		models       = "GET /2/0/models"
		getModel     = "GET /2/0/models/{modelId}"
		wsModel      = " /2/0/workspaces/{workspaceId}/models/{modelId}"
	)
	return append([]contractCase{
		{route: authenticate, name: "basic", method: "POST", path: "/token/authenticate", auth: demoBasic, status: 201},
		{route: authenticate, name: "certificate v1, PEM header", method: "POST", path: "/token/authenticate", auth: demoCert,
			body: func(c *contractEnv) string { return c.certLogin("") }, status: 201},
		{route: authenticate, name: "certificate v2, DER header", method: "POST", path: "/token/authenticate", auth: demoCertDER,
			body: func(c *contractEnv) string { return c.certLogin("v2") }, status: 201},
		{route: authenticate, name: "bad password", method: "POST", path: "/token/authenticate",
			auth: func(*contractEnv) string { return basic(emulator.DemoUser, "wrong") }, status: 401},
		{route: authenticate, name: "malformed header", method: "POST", path: "/token/authenticate",
			auth: func(*contractEnv) string { return "Basic ???" }, status: 400},
		{route: refresh, name: "ok", method: "POST", path: "/token/refresh", status: 200},
		{route: refresh, name: "bearer", method: "POST", path: "/token/refresh", auth: bearerToken, status: 400},
		{route: refresh, name: "dead token", method: "POST", path: "/token/refresh", auth: deadToken, status: 401},
		{route: validate, name: "ok", method: "GET", path: "/token/validate", status: 200},
		{route: validate, name: "bearer", method: "GET", path: "/token/validate", auth: bearerToken, status: 400},
		{route: validate, name: "dead token", method: "GET", path: "/token/validate", auth: deadToken, status: 401},
		{route: logout, name: "bearer", method: "POST", path: "/token/logout", auth: bearerToken, status: 401},
		{route: logout, name: "dead token", method: "POST", path: "/token/logout", auth: deadToken, status: 401},
		{route: logout, name: "ok", method: "POST", path: "/token/logout", status: 204},

		{route: me, name: "ok", method: "GET", path: "/2/0/users/me", status: 200},
		{route: me, name: "bearer", method: "GET", path: "/2/0/users/me", auth: bearerToken, status: 200},
		{route: me, name: "no token", method: "GET", path: "/2/0/users/me", auth: noAuth, status: 401},

		{route: workspaces, name: "plain", method: "GET", path: "/2/0/workspaces", status: 200},
		{route: workspaces, name: "tenantDetails, middle page", method: "GET", path: "/2/0/workspaces?tenantDetails=true&limit=2&offset=2&sort=-sizeAllowance", status: 200},
		{route: workspaces, name: "bad sort", method: "GET", path: "/2/0/workspaces?sort=name", status: 400},
		{route: workspaces, name: "bad limit", method: "GET", path: "/2/0/workspaces?limit=0", status: 400},
		{route: workspaces, name: "dead token", method: "GET", path: "/2/0/workspaces", auth: deadToken, status: 401},
		{route: workspace, name: "plain", method: "GET", path: "/2/0/workspaces/" + ws, status: 200},
		{route: workspace, name: "tenantDetails", method: "GET", path: "/2/0/workspaces/" + ws + "?tenantDetails=true", status: 200},
		{route: workspace, name: "unknown", method: "GET", path: "/2/0/workspaces/" + unknownWS, status: 404},
		{route: wsModels, name: "modelDetails", method: "GET", path: "/2/0/workspaces/" + ws + "/models?modelDetails=true", status: 200},
		{route: wsModels, name: "empty page", method: "GET", path: "/2/0/workspaces/" + ws + "/models?offset=100", status: 200},
		{route: wsModels, name: "unknown workspace", method: "GET", path: "/2/0/workspaces/" + unknownWS + "/models", status: 404},
		{route: wsModels, name: "bad offset", method: "GET", path: "/2/0/workspaces/" + ws + "/models?offset=-1", status: 400},
		{route: models, name: "plain", method: "GET", path: "/2/0/models", status: 200},
		{route: models, name: "modelDetails, every state and nasty name", method: "GET", path: "/2/0/models?modelDetails=true", status: 200},
		{route: models, name: "paged and sorted", method: "GET", path: "/2/0/models?limit=5&offset=5&sort=%2BactiveState,-name", status: 200},
		{route: models, name: "unknown sort field", method: "GET", path: "/2/0/models?sort=%2BmemoryUsage", status: 400},
		{route: models, name: "no token", method: "GET", path: "/2/0/models", auth: noAuth, status: 401},
		{route: getModel, name: "plain", method: "GET", path: "/2/0/models/" + model, status: 200},
		{route: getModel, name: "modelDetails", method: "GET", path: "/2/0/models/" + model + "?modelDetails=true", status: 200},
		{route: getModel, name: "no-access model", method: "GET", path: "/2/0/models/" + emulator.DemoNoAccessModelID + "?modelDetails=true", status: 200},
		{route: getModel, name: "busy model", method: "GET", path: "/2/0/models/" + busyModelID() + "?modelDetails=true", status: 200},
		{route: getModel, name: "unknown", method: "GET", path: "/2/0/models/" + unknownModel, status: 404},
		{route: wsModel, name: "GET", method: "GET", path: "/2/0/workspaces/" + ws + "/models/" + model, status: 405},
		{route: wsModel, name: "DELETE", method: "DELETE", path: "/2/0/workspaces/" + ws + "/models/" + model, status: 405},

		{name: "unknown API path", method: "GET", path: "/2/0/no/such/thing", status: 404},
		{name: "wrong method on a spec path", method: "DELETE", path: "/2/0/models/" + model, status: 405},
		{name: "unknown path without token", method: "GET", path: "/2/0/no/such/thing", auth: noAuth, status: 401},
	}, slices.Concat(bulkContractCases(), txnContractCases(), almContractCases())...)
}

// busyModelID is a demo model with a transaction running.
func busyModelID() string {
	for _, m := range emulator.Demo().Models {
		if m.TransactionRunning {
			return m.ID
		}
	}
	return ""
}

func TestContractEveryRouteHasACase(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range contractCases() {
		covered[c.route] = true
	}
	for _, c := range oauthContractCases() { // oauth_contract_test.go
		covered[c.route] = true
	}
	for _, r := range emulator.RoutesOf(e) {
		key := r.Method + " " + r.Pattern
		if !covered[key] && !covered[otherFormKey(key)] {
			t.Errorf("route %q has no contract case: add one to contractCases (or to notInSpec with a reason)", key)
		}
	}
	for key := range notInSpec {
		if !covered[key] {
			t.Errorf("notInSpec route %q has no case", key)
		}
	}
}

func TestContractResponsesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	authDoc, apiDoc := specs(t)
	h := newHarness(t, emulator.Options{})
	authRouter := specRouter(t, authDoc, h.srv.URL)
	apiRouter := specRouter(t, apiDoc, h.srv.URL+"/2/0")
	almRouter := specRouter(t, almSpec(t), h.srv.URL+"/2/0")
	env := &contractEnv{t: t, h: h}

	for _, c := range contractCases() {
		t.Run(c.route+" "+c.name, func(t *testing.T) {
			env.t = t
			env.token = h.login() // fresh per case: the logout case kills its token
			authHeader := "AnaplanAuthToken " + env.token
			if c.auth != nil {
				authHeader = c.auth(env)
			}
			if c.setup != nil {
				c.setup(env)
			}
			body := ""
			if c.body != nil {
				body = c.body(env)
			}
			resp := h.do(c.method, c.path, authHeader, body)
			wantStatus(t, resp, c.status)

			if _, listed := notInSpec[c.route]; listed || c.route == "" {
				validateErrorEnvelope(t, apiDoc, resp)
				return
			}
			router := apiRouter
			if strings.HasPrefix(c.path, "/token/") {
				router = authRouter
			} else if isALMPath(c.path) {
				router = almRouter
			}
			validateAgainstSpec(t, router, h.srv.URL, c, authHeader, body, resp)
		})
	}
}

// specRouter routes requests to the document's operations, with the
// document's servers replaced by the test server.
func specRouter(t *testing.T, doc *openapi3.T, serverURL string) routers.Router {
	t.Helper()
	clone := *doc
	clone.Servers = openapi3.Servers{{URL: serverURL}}
	r, err := gorillamux.NewRouter(&clone)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return r
}

// validateAgainstSpec checks status, headers and body against the
// operation the request resolves to. Undocumented statuses fail, and so
// does a body where the document promises none.
func validateAgainstSpec(t *testing.T, router routers.Router, serverURL string, c contractCase, authHeader, body string, resp response) {
	t.Helper()
	req, err := http.NewRequest(c.method, serverURL+specPathFor(router, serverURL, c.method, c.path), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", authHeader)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s is not in the OpenAPI document: %v", c.method, c.path, err)
	}
	ref := route.Operation.Responses.Status(resp.status)
	if ref == nil || ref.Value == nil {
		t.Fatalf("status %d is not documented for %s %s", resp.status, c.method, route.Path)
	}
	if len(ref.Value.Content) == 0 && len(resp.body) > 0 {
		t.Fatalf("status %d of %s %s documents no body, got %s", resp.status, c.method, route.Path, resp.body)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.status,
		Header:                 resp.header,
		Body:                   io.NopCloser(bytes.NewReader(resp.body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122)),
			},
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Errorf("response does not match %s %s (status %d):\n%v\nbody: %.600s", c.method, route.Path, resp.status, err, resp.body)
	}
}

// validateErrorEnvelope checks a response no operation documents against
// the integration document's ErrorResponse schema, and that the status
// object repeats the HTTP status.
func validateErrorEnvelope(t *testing.T, doc *openapi3.T, resp response) {
	t.Helper()
	if resp.status < 400 {
		t.Fatalf("status %d for a route outside the document: only errors are expected there", resp.status)
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var v any
	if err := json.Unmarshal(resp.body, &v); err != nil {
		t.Fatalf("body %q: %v", resp.body, err)
	}
	schema := doc.Components.Schemas["ErrorResponse"].Value
	if err := schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableFormatValidation()); err != nil {
		t.Errorf("error body does not match ErrorResponse: %v\nbody: %s", err, resp.body)
	}
	if code := v.(map[string]any)["status"].(map[string]any)["code"]; code != float64(resp.status) {
		t.Errorf("status.code = %v, want %s", code, strconv.Itoa(resp.status))
	}
}
