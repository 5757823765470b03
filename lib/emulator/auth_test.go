package emulator_test

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestBasicLoginReturns201WithTokenInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	r := h.do("POST", "/token/authenticate", basic(emulator.DemoUser, emulator.DemoPassword), "")
	wantStatus(t, r, http.StatusCreated)
	body := r.json(t)
	if body["status"] != "SUCCESS" || body["statusMessage"] != "Login successful" {
		t.Errorf("status/statusMessage = %v/%v", body["status"], body["statusMessage"])
	}
	meta := body["meta"].(map[string]any)
	if meta["validationUrl"] != h.srv.URL+"/token/validate" {
		t.Errorf("validationUrl = %v, want this server's /token/validate", meta["validationUrl"])
	}
	info := body["tokenInfo"].(map[string]any)
	for _, k := range []string{"tokenId", "refreshTokenId"} {
		if s, _ := info[k].(string); !uuidPattern.MatchString(s) {
			t.Errorf("%s = %v, want a hyphenated UUID", k, info[k])
		}
	}
	if v, _ := info["tokenValue"].(string); len(v) < 32 {
		t.Errorf("tokenValue %q looks guessable", v)
	}
	if want := float64(testStart.Add(35 * time.Minute).UnixMilli()); info["expiresAt"] != want {
		t.Errorf("expiresAt = %v, want %v (now + 35 min, epoch ms)", info["expiresAt"], want)
	}
}

func TestBasicLoginIsCaseInsensitiveOnEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	h.loginAs("Demo.Admin@EXAMPLE.com", emulator.DemoPassword)
}

func TestBasicLoginRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	b64 := base64.StdEncoding.EncodeToString
	tests := []struct {
		name, header string
		status       int
		code         string
	}{
		{"wrong password", basic(emulator.DemoUser, "nope"), 401, "FAILURE_BAD_CREDENTIAL"},
		{"unknown user", basic("who@example.com", emulator.DemoPassword), 401, "FAILURE_BAD_CREDENTIAL"},
		{"user without a password", basic("priya.shah@example.com", ""), 401, "FAILURE_BAD_CREDENTIAL"},
		{"empty password", basic(emulator.DemoUser, ""), 401, "FAILURE_BAD_CREDENTIAL"},
		{"no header", "", 400, "FAILURE_BAD_HEADER"},
		{"not base64", "Basic !!!not-base64", 400, "FAILURE_BAD_HEADER"},
		{"no colon", "Basic " + b64([]byte("demo.admin@example.com")), 400, "FAILURE_BAD_HEADER"},
		{"empty user", "Basic " + b64([]byte(":pw")), 400, "FAILURE_BAD_HEADER"},
		{"unknown scheme", "Bearer abc", 400, "FAILURE_BAD_HEADER"},
		{"token scheme", "AnaplanAuthToken abc", 400, "FAILURE_BAD_HEADER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do("POST", "/token/authenticate", tt.header, "")
			wantAuthError(t, r, tt.status, tt.code)
		})
	}
}

func TestInactiveUserCannotLogIn(t *testing.T) {
	t.Parallel()
	tenant := emulator.Demo()
	for i := range tenant.Users {
		if tenant.Users[i].Email == "sofia.ramirez@example.com" {
			tenant.Users[i].PasswordHash = emulator.HashPassword("pw")
		}
	}
	h := newHarness(t, emulator.Options{Tenant: tenant})
	wantAuthError(t, h.do("POST", "/token/authenticate", basic("sofia.ramirez@example.com", "pw"), ""), 401, "FAILURE_BAD_CREDENTIAL")
}

func TestRefreshKeepsValueAndExtendsExpiry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	login := h.do("POST", "/token/authenticate", basic(emulator.DemoUser, emulator.DemoPassword), "").json(t)
	before := login["tokenInfo"].(map[string]any)
	token := before["tokenValue"].(string)

	h.clock.Advance(20 * time.Minute)
	r := h.do("POST", "/token/refresh", "AnaplanAuthToken "+token, "")
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	if body["status"] != "SUCCESS" || body["statusMessage"] != "Token refreshed" {
		t.Errorf("status/statusMessage = %v/%v", body["status"], body["statusMessage"])
	}
	after := body["tokenInfo"].(map[string]any)
	if after["tokenValue"] != token {
		t.Errorf("tokenValue changed on refresh")
	}
	if after["refreshTokenId"] != before["refreshTokenId"] || after["tokenId"] != before["tokenId"] {
		t.Errorf("ids changed: before %v after %v", before, after)
	}
	if want := float64(h.clock.Now().Add(emulator.DefaultTokenTTL).UnixMilli()); after["expiresAt"] != want {
		t.Errorf("expiresAt = %v, want %v", after["expiresAt"], want)
	}
	// The old expiry has passed, the refreshed one has not.
	h.clock.Advance(30 * time.Minute)
	wantStatus(t, h.get("/2/0/users/me", token), http.StatusOK)
}

func TestValidateReturnsTokenAndUserInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	r := h.do("GET", "/token/validate", "AnaplanAuthToken "+token, "")
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	if body["status"] != "SUCCESS" || body["statusMessage"] != "Token validated" {
		t.Errorf("status/statusMessage = %v/%v", body["status"], body["statusMessage"])
	}
	info := body["tokenInfo"].(map[string]any)
	if _, leaks := info["tokenValue"]; leaks {
		t.Errorf("validate echoes the token value")
	}
	if s, _ := info["tokenId"].(string); !uuidPattern.MatchString(s) {
		t.Errorf("tokenId = %v", info["tokenId"])
	}
	user := body["userInfo"].(map[string]any)
	want := map[string]any{"userGuid": emulator.DemoUserID, "userId": emulator.DemoUser, "customerGuid": emulator.DemoCustomerID}
	for k, v := range want {
		if user[k] != v {
			t.Errorf("userInfo.%s = %v, want %v", k, user[k], v)
		}
	}
}

func TestLogoutKillsToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	r := h.do("POST", "/token/logout", "AnaplanAuthToken "+token, "")
	wantStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("logout body = %q, want none", r.body)
	}
	wantAuthError(t, h.do("GET", "/token/validate", "AnaplanAuthToken "+token, ""), 401, "FAILURE_BAD_CREDENTIAL")
	wantAuthError(t, h.do("POST", "/token/refresh", "AnaplanAuthToken "+token, ""), 401, "FAILURE_BAD_CREDENTIAL")
	wantAuthError(t, h.do("POST", "/token/logout", "AnaplanAuthToken "+token, ""), 401, "FAILURE_BAD_CREDENTIAL")
	wantAPIError(t, h.get("/2/0/users/me", token), 401, "/2/0/users/me", "Unauthorized")
}

func TestTokenExpiresAfterTTL(t *testing.T) {
	t.Parallel()
	for _, ttl := range []time.Duration{0, 2 * time.Minute} {
		effective := ttl
		if effective == 0 {
			effective = 35 * time.Minute
		}
		t.Run(effective.String(), func(t *testing.T) {
			h := newHarness(t, emulator.Options{TokenTTL: ttl})
			token := h.login()
			h.clock.Advance(effective - time.Millisecond)
			wantStatus(t, h.get("/2/0/users/me", token), http.StatusOK)
			h.clock.Advance(time.Millisecond)
			wantAPIError(t, h.get("/2/0/users/me", token), 401, "/2/0/users/me", "")
			wantAuthError(t, h.do("GET", "/token/validate", "AnaplanAuthToken "+token, ""), 401, "FAILURE_BAD_CREDENTIAL")
			wantAuthError(t, h.do("POST", "/token/refresh", "AnaplanAuthToken "+token, ""), 401, "FAILURE_BAD_CREDENTIAL")
		})
	}
}

func TestBearerRejectedOnTokenRoutesButAcceptedOnAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	wantAuthError(t, h.do("GET", "/token/validate", "Bearer "+token, ""), 400, "FAILURE_BAD_HEADER")
	wantAuthError(t, h.do("POST", "/token/refresh", "Bearer "+token, ""), 400, "FAILURE_BAD_HEADER")
	wantAuthError(t, h.do("POST", "/token/logout", "Bearer "+token, ""), 401, "FAILURE_BAD_CREDENTIAL")
	wantStatus(t, h.do("GET", "/2/0/users/me", "Bearer "+token, ""), http.StatusOK)
	// The rejected logout left the token alive.
	wantStatus(t, h.do("GET", "/token/validate", "AnaplanAuthToken "+token, ""), http.StatusOK)
}

func TestMalformedTokenHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	for _, header := range []string{"", "AnaplanAuthToken", "AnaplanAuthToken:" + token, "Basic " + token} {
		wantAuthError(t, h.do("GET", "/token/validate", header, ""), 400, "FAILURE_BAD_HEADER")
		wantAuthError(t, h.do("POST", "/token/refresh", header, ""), 400, "FAILURE_BAD_HEADER")
		wantAuthError(t, h.do("POST", "/token/logout", header, ""), 401, "FAILURE_BAD_CREDENTIAL")
	}
	wantAuthError(t, h.do("GET", "/token/validate", "AnaplanAuthToken not-a-token", ""), 401, "FAILURE_BAD_CREDENTIAL")
}

func TestTokensAreUnique(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	seen := map[string]bool{}
	for range 20 {
		tok := h.login()
		if seen[tok] {
			t.Fatalf("token %q issued twice", tok)
		}
		seen[tok] = true
	}
}
