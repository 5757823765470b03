package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// oauthContractCase is one request to the OAuth service (checked against
// oauth-openapi.json) or to the verification page (no document describes
// a web page: checked for an HTML answer with the given status).
type oauthContractCase struct {
	route, name  string
	method, path string
	contentType  string
	body         func(h *harness) string
	status       int
	page         bool
}

func oauthContractCases() []oauthContractCase {
	const (
		deviceCode = "POST /oauth/device/code"
		token      = "POST /oauth/token"
		activate   = "GET /activate"
		login      = "POST /activate/login"
		decision   = "POST /activate/decision"
		json       = "application/json"
	)
	c := emulator.DemoOAuthClientID
	fixed := func(s string) func(*harness) string { return func(*harness) string { return s } }
	return []oauthContractCase{
		{route: deviceCode, name: "ok", method: "POST", path: "/oauth/device/code", contentType: json,
			body: fixed(jsonBody("client_id", c, "scope", "openid profile email offline_access")), status: 200},
		{route: deviceCode, name: "form body, default scope", method: "POST", path: "/oauth/device/code",
			contentType: "application/x-www-form-urlencoded", body: fixed("client_id=" + c), status: 200},
		{route: deviceCode, name: "unknown client", method: "POST", path: "/oauth/device/code", contentType: json,
			body: fixed(jsonBody("client_id", strings.Repeat("ab", 16))), status: 400},
		{route: token, name: "pending", method: "POST", path: "/oauth/token", contentType: json, status: 400,
			body: func(h *harness) string {
				return jsonBody("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "client_id", c,
					"device_code", h.startDevice(c)["device_code"].(string))
			}},
		{route: token, name: "device grant approved", method: "POST", path: "/oauth/token", contentType: json, status: 200,
			body: func(h *harness) string {
				d := h.startDevice(c)
				if err := h.e.ApproveDevice(d["user_code"].(string), emulator.DemoUser); err != nil {
					h.t.Fatal(err)
				}
				return jsonBody("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "client_id", c, "device_code", d["device_code"].(string))
			}},
		{route: token, name: "refresh", method: "POST", path: "/oauth/token", contentType: json, status: 200,
			body: func(h *harness) string {
				return jsonBody("grant_type", "refresh_token", "client_id", c, "refresh_token", h.approvedTokens(c)["refresh_token"].(string))
			}},
		{route: token, name: "bad refresh token", method: "POST", path: "/oauth/token", contentType: json, status: 400,
			body: fixed(jsonBody("grant_type", "refresh_token", "client_id", c, "refresh_token", "nope"))},
		{route: token, name: "unknown client", method: "POST", path: "/oauth/token", contentType: json, status: 401,
			body: fixed(jsonBody("grant_type", "refresh_token", "client_id", strings.Repeat("0", 32), "refresh_token", "nope"))},

		{route: activate, name: "login form", method: "GET", path: "/activate?user_code=ABCD-EFGH", status: 200, page: true},
		{route: login, name: "no session", method: "POST", path: "/activate/login", contentType: "application/x-www-form-urlencoded",
			body: fixed("email=x&password=y&csrf_token=z"), status: 403, page: true},
		{route: decision, name: "no session", method: "POST", path: "/activate/decision", contentType: "application/x-www-form-urlencoded",
			body: fixed("user_code=ABCD-EFGH&action=approve&csrf_token=z"), status: 403, page: true},
	}
}

func TestOAuthContract(t *testing.T) {
	t.Parallel()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join(specsDir(t), "oauth-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, emulator.Options{})
	router := specRouter(t, doc, h.srv.URL)
	for _, c := range oauthContractCases() {
		t.Run(c.route+" "+c.name, func(t *testing.T) {
			h.t = t
			body := ""
			if c.body != nil {
				body = c.body(h)
			}
			var resp response
			if c.method == "GET" {
				resp = h.do(c.method, c.path, "", "")
			} else {
				resp = h.postOAuth(c.path, c.contentType, body)
			}
			wantStatus(t, resp, c.status)
			if c.page {
				if ct := resp.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q", ct)
				}
				return
			}
			req, _ := http.NewRequest(c.method, h.srv.URL+c.path, strings.NewReader(body))
			req.Header.Set("Content-Type", c.contentType)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("%s %s is not in oauth-openapi.json: %v", c.method, c.path, err)
			}
			input := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 resp.status,
				Header:                 resp.header,
				Body:                   io.NopCloser(bytes.NewReader(resp.body)),
				Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			}
			if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
				t.Errorf("response does not match oauth-openapi.json (status %d): %v\nbody: %s", resp.status, err, resp.body)
			}
		})
	}
}
