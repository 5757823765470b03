package emulator_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// postOAuth sends an OAuth request with a JSON or form body.
func (h *harness) postOAuth(path, contentType, body string) response {
	h.t.Helper()
	req, err := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	buf, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: buf}
}

func jsonBody(kv ...string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(sprintf("%q:%q", kv[i], kv[i+1]))
	}
	b.WriteString("}")
	return b.String()
}

// startDevice asks for a device code for the client and returns the answer.
func (h *harness) startDevice(clientID string) map[string]any {
	h.t.Helper()
	r := h.postOAuth("/oauth/device/code", "application/json",
		jsonBody("client_id", clientID, "scope", "openid profile email offline_access"))
	wantStatus(h.t, r, http.StatusOK)
	return r.json(h.t)
}

func (h *harness) pollDevice(clientID, deviceCode string) response {
	h.t.Helper()
	return h.postOAuth("/oauth/token", "application/json",
		jsonBody("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", deviceCode, "client_id", clientID))
}

func wantOAuthError(t *testing.T, r response, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	body := r.json(t)
	if body["error"] != code {
		t.Fatalf("error = %v, want %q; body %s", body["error"], code, r.body)
	}
	if d, _ := body["error_description"].(string); d == "" {
		t.Errorf("error_description missing: %s", r.body)
	}
}

var userCodeShape = regexp.MustCompile(`^[A-Z2-9]{4}-[A-Z2-9]{4}$`)

func TestDeviceCodeAnswer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	d := h.startDevice(emulator.DemoOAuthClientID)
	code, _ := d["user_code"].(string)
	if !userCodeShape.MatchString(code) {
		t.Errorf("user_code %q is not XXXX-XXXX", code)
	}
	if d["verification_uri"] != h.srv.URL+"/activate" {
		t.Errorf("verification_uri = %v", d["verification_uri"])
	}
	if d["verification_uri_complete"] != h.srv.URL+"/activate?user_code="+url.QueryEscape(code) {
		t.Errorf("verification_uri_complete = %v", d["verification_uri_complete"])
	}
	if d["expires_in"] != 900.0 || d["interval"] != 5.0 {
		t.Errorf("expires_in, interval = %v, %v; want 900, 5", d["expires_in"], d["interval"])
	}
	if dc, _ := d["device_code"].(string); len(dc) < 40 {
		t.Errorf("device_code %q is too short to be unguessable", dc)
	}
	other := h.startDevice(emulator.DemoOAuthClientID)
	if other["device_code"] == d["device_code"] || other["user_code"] == d["user_code"] {
		t.Error("two device requests got the same codes")
	}
}

func TestDeviceCodeRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	wantOAuthError(t, h.postOAuth("/oauth/device/code", "application/json", `{}`), 400, "invalid_request")
	wantOAuthError(t, h.postOAuth("/oauth/device/code", "application/json", jsonBody("client_id", strings.Repeat("ab", 16))), 400, "unauthorized_client")
	wantOAuthError(t, h.postOAuth("/oauth/device/code", "application/json", `[1]`), 400, "invalid_request")
	wantOAuthError(t, h.postOAuth("/oauth/device/code", "text/plain", "client_id=x"), 400, "invalid_request")
}

// TestDeviceGrantFlow walks RFC 8628 on the injected clock: pending,
// slow_down when polled faster than the interval (which then grows by 5 s),
// approval, the token answer's exact fields, the token on the API as
// Bearer and AnaplanAuthToken, and a device code that works only once.
func TestDeviceGrantFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	client := emulator.DemoOAuthClientID
	d := h.startDevice(client)
	dc := d["device_code"].(string)

	wantOAuthError(t, h.pollDevice(client, dc), 400, "authorization_pending")
	h.clock.Advance(4 * time.Second)
	wantOAuthError(t, h.pollDevice(client, dc), 400, "slow_down")
	h.clock.Advance(9 * time.Second) // the interval is now 10 s
	wantOAuthError(t, h.pollDevice(client, dc), 400, "slow_down")
	h.clock.Advance(15 * time.Second) // now 15 s
	wantOAuthError(t, h.pollDevice(client, dc), 400, "authorization_pending")
	wantOAuthError(t, h.pollDevice(emulator.DemoOAuthStaticClientID, dc), 400, "invalid_grant") // another client's code

	if err := h.e.ApproveDevice(strings.ToLower(strings.ReplaceAll(d["user_code"].(string), "-", "")), emulator.DemoUser); err != nil {
		t.Fatalf("ApproveDevice: %v", err)
	}
	if err := h.e.ApproveDevice(d["user_code"].(string), emulator.DemoUser); err == nil {
		t.Error("approving a decided code twice succeeded")
	}
	h.clock.Advance(20 * time.Second)
	r := h.pollDevice(client, dc)
	wantStatus(t, r, http.StatusOK)
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	tok := r.json(t)
	for k := range tok {
		switch k {
		case "access_token", "id_token", "refresh_token", "scope", "expires_in", "token_type":
		default:
			t.Errorf("unexpected field %q in the token answer", k)
		}
	}
	if tok["token_type"] != "Bearer" || tok["expires_in"] != 2100.0 || tok["scope"] != "openid email offline_access" {
		t.Errorf("token answer = %s", r.body)
	}
	if idt, _ := tok["id_token"].(string); strings.Count(idt, ".") != 2 {
		t.Errorf("id_token %q is not a JWT", idt)
	}
	access := tok["access_token"].(string)
	if rt, _ := tok["refresh_token"].(string); rt == "" || rt == access {
		t.Errorf("refresh_token = %q", rt)
	}
	wantOAuthError(t, h.pollDevice(client, dc), 400, "invalid_grant") // used up

	for _, scheme := range []string{"Bearer ", "AnaplanAuthToken "} {
		me := h.do("GET", "/2/0/users/me", scheme+access, "")
		wantStatus(t, me, http.StatusOK)
		if u := me.json(t)["user"].(map[string]any); u["email"] != emulator.DemoUser {
			t.Errorf("%susers/me = %s", scheme, me.body)
		}
	}
	// The auth service refuses OAuth access tokens (§2.3).
	wantAuthError(t, h.do("GET", "/token/validate", "Bearer "+access, ""), 400, "FAILURE_BAD_HEADER")
	wantAuthError(t, h.do("POST", "/token/refresh", "Bearer "+access, ""), 400, "FAILURE_BAD_HEADER")
	wantAuthError(t, h.do("POST", "/token/logout", "Bearer "+access, ""), 401, "FAILURE_BAD_CREDENTIAL")
	for _, path := range []string{"/token/validate", "/token/refresh", "/token/logout"} {
		method := "POST"
		if path == "/token/validate" {
			method = "GET"
		}
		wantAuthError(t, h.do(method, path, "AnaplanAuthToken "+access, ""), 401, "FAILURE_BAD_CREDENTIAL")
	}
	wantStatus(t, h.do("GET", "/2/0/users/me", "Bearer "+access, ""), http.StatusOK) // logout did not end it

	h.clock.Advance(2100 * time.Second)
	wantStatus(t, h.do("GET", "/2/0/users/me", "Bearer "+access, ""), http.StatusUnauthorized)
}

func TestDeviceGrantDeniedAndExpired(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	client := emulator.DemoOAuthClientID

	denied := h.startDevice(client)
	if err := h.e.DenyDevice(denied["user_code"].(string)); err != nil {
		t.Fatal(err)
	}
	wantOAuthError(t, h.pollDevice(client, denied["device_code"].(string)), 400, "access_denied")
	wantOAuthError(t, h.pollDevice(client, denied["device_code"].(string)), 400, "invalid_grant")

	late := h.startDevice(client)
	h.clock.Advance(899 * time.Second)
	wantOAuthError(t, h.pollDevice(client, late["device_code"].(string)), 400, "authorization_pending")
	h.clock.Advance(time.Second)
	wantOAuthError(t, h.pollDevice(client, late["device_code"].(string)), 400, "expired_token")
	if err := h.e.ApproveDevice(late["user_code"].(string), emulator.DemoUser); err == nil {
		t.Error("an expired code was approved")
	}
	wantOAuthError(t, h.pollDevice(client, "not-a-device-code"), 400, "invalid_grant")
}

// approvedTokens runs a device grant to its token answer.
func (h *harness) approvedTokens(clientID string) map[string]any {
	h.t.Helper()
	d := h.startDevice(clientID)
	if err := h.e.ApproveDevice(d["user_code"].(string), emulator.DemoUser); err != nil {
		h.t.Fatal(err)
	}
	r := h.pollDevice(clientID, d["device_code"].(string))
	wantStatus(h.t, r, http.StatusOK)
	return r.json(h.t)
}

func (h *harness) refreshWith(clientID, refreshToken, contentType string) response {
	h.t.Helper()
	if contentType == "application/x-www-form-urlencoded" {
		return h.postOAuth("/oauth/token", contentType, url.Values{
			"grant_type": {"refresh_token"}, "client_id": {clientID}, "refresh_token": {refreshToken},
		}.Encode())
	}
	return h.postOAuth("/oauth/token", contentType, jsonBody("grant_type", "refresh_token", "client_id", clientID, "refresh_token", refreshToken))
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	client := emulator.DemoOAuthClientID
	first := h.approvedTokens(client)["refresh_token"].(string)

	r := h.refreshWith(client, first, "application/x-www-form-urlencoded") // oauthlib's encoding
	wantStatus(t, r, http.StatusOK)
	second, _ := r.json(t)["refresh_token"].(string)
	if second == "" || second == first {
		t.Fatalf("a rotating client got refresh_token %q after using %q", second, first)
	}
	wantStatus(t, h.do("GET", "/2/0/users/me", "Bearer "+r.json(t)["access_token"].(string), ""), http.StatusOK)
	wantOAuthError(t, h.refreshWith(client, first, "application/json"), 400, "invalid_grant") // rotated out
	wantOAuthError(t, h.refreshWith(emulator.DemoOAuthStaticClientID, second, "application/json"), 400, "invalid_grant")
	wantStatus(t, h.refreshWith(client, second, ""), http.StatusOK) // JSON without a Content-Type

	old := h.approvedTokens(client)["refresh_token"].(string)
	h.clock.Advance(30 * 24 * time.Hour)
	wantOAuthError(t, h.refreshWith(client, old, "application/json"), 400, "invalid_grant") // expired
}

func TestRefreshNonRotating(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	client := emulator.DemoOAuthStaticClientID
	rt := h.approvedTokens(client)["refresh_token"].(string)
	for i := range 3 {
		r := h.refreshWith(client, rt, "application/json")
		wantStatus(t, r, http.StatusOK)
		body := r.json(t)
		if _, has := body["refresh_token"]; has {
			t.Errorf("refresh %d of a non-rotating client answered a refresh_token", i)
		}
		wantStatus(t, h.do("GET", "/2/0/users/me", "Bearer "+body["access_token"].(string), ""), http.StatusOK)
	}
}

func TestOAuthTokenRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	c := emulator.DemoOAuthClientID
	wantOAuthError(t, h.postOAuth("/oauth/token", "application/json", jsonBody("grant_type", "refresh_token")), 400, "invalid_request")
	wantOAuthError(t, h.postOAuth("/oauth/token", "application/json", jsonBody("grant_type", "refresh_token", "client_id", strings.Repeat("0", 32), "refresh_token", "x")), 401, "unauthorized_client")
	wantOAuthError(t, h.postOAuth("/oauth/token", "application/json", jsonBody("client_id", c)), 400, "invalid_request")
	wantOAuthError(t, h.postOAuth("/oauth/token", "application/json", jsonBody("grant_type", "authorization_code", "client_id", c, "code", "x")), 400, "unauthorized_client")
	wantOAuthError(t, h.postOAuth("/oauth/token", "application/json", jsonBody("grant_type", "refresh_token", "client_id", c)), 400, "invalid_request")
	wantOAuthError(t, h.postOAuth("/oauth/token", "application/json", jsonBody("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "client_id", c)), 400, "invalid_request")
	wantStatus(t, h.do("GET", "/oauth/token", "", ""), http.StatusMethodNotAllowed)
}

func TestOAuthOptionsValidated(t *testing.T) {
	t.Parallel()
	for _, o := range []emulator.OAuthOptions{
		{Clients: []emulator.OAuthClient{{ID: "NOT-HEX"}}},
		{PollInterval: 1500 * time.Millisecond},
		{DeviceCodeTTL: -time.Second},
	} {
		if _, err := emulator.New(emulator.Options{OAuth: o}); err == nil {
			t.Errorf("New accepted %+v", o)
		}
	}
}

func TestApproveAsApprovesEveryCode(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{OAuth: emulator.OAuthOptions{ApproveAs: emulator.DemoUser}})
	d := h.startDevice(emulator.DemoOAuthClientID)
	r := h.pollDevice(emulator.DemoOAuthClientID, d["device_code"].(string))
	wantStatus(t, r, http.StatusOK)
	me := h.do("GET", "/2/0/users/me", "Bearer "+r.json(t)["access_token"].(string), "")
	if u := me.json(t)["user"].(map[string]any); u["email"] != emulator.DemoUser {
		t.Errorf("users/me = %s", me.body)
	}

	nobody := newHarness(t, emulator.Options{OAuth: emulator.OAuthOptions{ApproveAs: "nobody@example.com"}})
	wantOAuthError(t, nobody.postOAuth("/oauth/device/code", "application/json", jsonBody("client_id", emulator.DemoOAuthClientID)), 400, "access_denied")
}
