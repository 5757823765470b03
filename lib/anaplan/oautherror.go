package anaplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Sentinels of the device login, for errors.Is.
var (
	// ErrAccessDenied: the user denied the request on the verification page.
	ErrAccessDenied = errors.New("anaplan: the device login was denied")
	// ErrDeviceCodeExpired: nobody approved the code before it expired.
	ErrDeviceCodeExpired = errors.New("anaplan: the device code expired")
)

// OAuthError is an error answer of the OAuth service,
// {"error":"…","error_description":"…"} (RFC 6749 §5.2, RFC 8628 §3.5).
type OAuthError struct {
	StatusCode  int    // 0 when the client decided (a code that outlived its lifetime)
	URL         string // the OAuth endpoint
	Code        string // e.g. "access_denied", "expired_token", "invalid_grant"
	Description string // the service's error_description
}

// Error explains the error and what to do about it.
func (e *OAuthError) Error() string {
	var b strings.Builder
	b.WriteString("anaplan: ")
	switch e.Code {
	case "access_denied":
		b.WriteString("the device login was denied on the verification page (access_denied): run the login again and choose Approve")
	case "expired_token":
		b.WriteString("the device code expired before it was approved (expired_token): run the login again and approve it within the time shown")
	case "invalid_grant":
		b.WriteString("the OAuth service refused the grant (invalid_grant): the refresh token is expired, revoked or already rotated; log in again")
	case "unauthorized_client":
		b.WriteString("the OAuth service does not know this client or its grant (unauthorized_client): check the OAuth client ID and that it is a device-grant client of this region")
	default:
		fmt.Fprintf(&b, "OAuth error %s", oneLine(e.Code, 60))
	}
	if e.URL != "" {
		fmt.Fprintf(&b, " [POST %s", e.URL)
		if e.StatusCode != 0 {
			fmt.Fprintf(&b, ": %d", e.StatusCode)
		}
		b.WriteString("]")
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Description, 300))
	}
	return b.String()
}

// Is matches ErrAccessDenied, ErrDeviceCodeExpired, and ErrUnauthorized for
// a refused grant or client.
func (e *OAuthError) Is(target error) bool {
	switch target {
	case ErrAccessDenied:
		return e.Code == "access_denied"
	case ErrDeviceCodeExpired:
		return e.Code == "expired_token"
	case ErrUnauthorized:
		return e.Code == "invalid_grant" || e.StatusCode == http.StatusUnauthorized
	}
	return false
}

// oauthErrorFrom reads an error answer of the OAuth service: an
// *OAuthError when the body has an "error" code, else an *APIError.
func (c *Client) oauthErrorFrom(resp *http.Response, secrets ...string) error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var eb struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &eb) == nil && eb.Error != "" {
		return &OAuthError{
			StatusCode:  resp.StatusCode,
			URL:         resp.Request.URL.Redacted(),
			Code:        oneLine(scrub(eb.Error, secrets...), 60),
			Description: scrub(eb.Description, secrets...),
		}
	}
	return newAPIError(resp, body, c.now(), secrets...)
}

// jsonBytes encodes an OAuth request body.
func jsonBytes(v map[string]string) ([]byte, error) { return json.Marshal(v) }
