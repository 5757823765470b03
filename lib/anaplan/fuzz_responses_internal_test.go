package anaplan

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzAPIError feeds arbitrary error answers (status, Content-Type, body)
// with a secret planted in the body to newAPIError: no panic; Error() is
// one line of bounded length, whatever the body (so a hostile body cannot
// forge log lines or flood them); Body is bounded; and the secret appears
// in none of Error(), Body and Message.
func FuzzAPIError(f *testing.F) {
	f.Add(401, "application/json", `{"status":"FAILURE_BAD_CREDENTIAL","statusMessage":"Invalid credentials."}`, 10)
	f.Add(404, "application/json", `{"status":{"code":404,"message":"Not Found"},"path":"/2/0/x"}`, 0)
	f.Add(502, "text/html; charset=utf-8", `<html><head><title>502 Bad Gateway</title></head></html>`, 30)
	forged := `{"status":"FAILURE\nlevel=ERROR msg=forged","statusMessage":"x"}`
	f.Add(400, "", forged, len(forged)-3) // the secret goes inside "x"
	f.Add(429, "application/problem+json", `{"message":"slow down`, 3)
	f.Add(500, "text/plain", strings.Repeat("stack frame\n", 300), 2000)
	f.Fuzz(func(t *testing.T, status int, contentType, body string, at int) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		const secret = "S3cret-Fuzz-Value"
		at = min(max(at, 0), len(body))
		planted := body[:at] + secret + body[at:]
		u, _ := url.Parse("https://api.anaplan.com/2/0/models?limit=5000")
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Request: &http.Request{Method: "GET", URL: u}}
		resp.Header.Set("Content-Type", contentType)
		resp.Header.Set("Retry-After", "7")
		e := newAPIError(resp, []byte(planted), time.Unix(0, 0), secret)
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("Error() spans lines: %q", msg)
		}
		if n := utf8.RuneCountInString(msg); n > 600 {
			t.Fatalf("Error() is %d runes long: %q", n, msg)
		}
		if len(e.Body) > maxErrorBody+len("[REDACTED]")*8 {
			t.Fatalf("Body is %d bytes", len(e.Body))
		}
		for _, s := range []string{msg, e.Body, e.Message, e.Code} {
			if strings.Contains(s, secret) {
				t.Fatalf("the secret survives: %q", s)
			}
		}
	})
}

// FuzzDecodeAuthResponse feeds arbitrary JSON to the auth answer decoding:
// no panic, and the error of a FAILURE status is one line.
func FuzzDecodeAuthResponse(f *testing.F) {
	f.Add(`{"meta":{"validationUrl":"x"},"status":"SUCCESS","statusMessage":"Login successful","tokenInfo":{"tokenId":"a","tokenValue":"v","expiresAt":1571088565713,"refreshTokenId":"b"}}`)
	f.Add(`{"status":"FAILURE_BAD_HEADER\nforged line","statusMessage":"Invalid header.\nVerify."}`)
	f.Add(`{"tokenInfo":{"expiresAt":1.5E12}}`)
	f.Add(`{"tokenInfo":{"expiresAt":"soon"}}`)
	f.Add(`{"tokenInfo":{"expiresAt":-1e300}}`)
	f.Fuzz(func(t *testing.T, data string) {
		var ar authResponse
		if json.Unmarshal([]byte(data), &ar) != nil {
			return
		}
		if err := ar.failed(); err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("failed() spans lines: %q", err)
		}
		if _, err := ar.expiresAt(); err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("expiresAt() error spans lines: %q", err)
		}
	})
}
