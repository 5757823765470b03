package emulator_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// FuzzOAuthBodies: whatever a client posts to the OAuth service, the
// answer is a 2xx token/code answer or a 4xx OAuth error body, never a
// 5xx or a panic.
func FuzzOAuthBodies(f *testing.F) {
	for _, seed := range []struct{ ct, body string }{
		{"application/json", `{"client_id":"` + emulator.DemoOAuthClientID + `","scope":"openid"}`},
		{"application/json", `{"grant_type":"refresh_token","client_id":"` + emulator.DemoOAuthClientID + `","refresh_token":"x"}`},
		{"application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=x&client_id=" + emulator.DemoOAuthClientID},
		{"", `{"client_id":1}`},
		{"text/plain", "%zz"},
		{"application/json; charset=utf-8", `[]`},
	} {
		f.Add("/oauth/token", seed.ct, seed.body)
		f.Add("/oauth/device/code", seed.ct, seed.body)
	}
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { e.Close() })
	h := e.Handler()
	f.Fuzz(func(t *testing.T, path, contentType, body string) {
		if path != "/oauth/token" {
			path = "/oauth/device/code"
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d, body %q is not a JSON object", rec.Code, rec.Body)
		}
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q", rec.Code, body)
		case rec.Code >= 400 && answer["error"] == nil:
			t.Fatalf("status %d without an OAuth error code: %s", rec.Code, rec.Body)
		}
	})
}
