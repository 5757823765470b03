package notebooks_test

import (
	"strings"
	"testing"
)

func TestAuthenticateNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "01-authenticate.ipynb")
	for _, tc := range []struct{ code, want string }{
		// Basic authentication, as sent and as answered.
		{"s := session.Open(rec.ClientOption(), anaplan.WithTokenCache(\"\"))", "POST /token/authenticate\nAuthorization: Basic ‹hidden: base64 of username:password›\n"},
		{"s := session.Open(rec.ClientOption(), anaplan.WithTokenCache(\"\"))", "201 Created\n"},
		{"s := session.Open(rec.ClientOption(), anaplan.WithTokenCache(\"\"))", `"tokenValue": ‹hidden: 43 characters›`},
		{"s := session.Open(rec.ClientOption(), anaplan.WithTokenCache(\"\"))", `"expiresAt": ‹epoch ms: now + 35m›`},
		// The token, masked and stable, and whose it is.
		{"session.TokenTable", "<td>user</td><td>demo.admin@example.com</td>"},
		{"session.TokenTable", "<td>tokenValue</td><td>‹hidden: 43 characters›</td>"},
		{"session.TokenTable", "<td>expires</td><td>in 35m</td>"},
		// Certificate authentication: the PEM in base64 and a signed body.
		{"anaplan.CertificateAuth", "Authorization: CACertificate LS0tLS1CRUdJTi"},
		{"anaplan.CertificateAuth", `"encodedDataFormat": "v2"`},
		{"anaplan.CertificateAuth", "201 Created\n"},
		// OAuth: the device grant, masked, approved by the emulator.
		{"o.Auth = session.AuthOAuth", `<code>http://127.0.0.1:‹port›/activate?user_code=‹varies: xxxx-xxxx›</code>`},
		{"o.Auth = session.AuthOAuth", "The built-in emulator approves the code at once"},
		{"o.Auth = session.AuthOAuth", "POST /oauth/device/code"},
		{"o.Auth = session.AuthOAuth", "&#34;device_code&#34;: ‹hidden: 43 characters›"},
		{"o.Auth = session.AuthOAuth", "&#34;refresh_token&#34;: ‹hidden: 43 characters›"},
		{"o.Auth = session.AuthOAuth", "Authorization: Bearer ‹hidden: the OAuth access_token›"},
		{"o.Auth = session.AuthOAuth", "Logged in with OAuth as <strong>demo.admin@example.com</strong>"},
		// A failed login.
		{"not-the-password", "401 Unauthorized\n"},
		{"not-the-password", `"status": "FAILURE_BAD_CREDENTIAL"`},
		{"not-the-password", "errors.Is(err, anaplan.ErrUnauthorized): true\n"},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}
}

// assertShows fails t unless the first code cell containing code shows want.
func assertShows(t *testing.T, nb *executedNotebook, code, want string) {
	t.Helper()
	if got := nb.cell(t, code).text(); !strings.Contains(got, want) {
		t.Errorf("%s: the cell with %q shows\n%s\nwant it to contain %q", nb.name, code, got, want)
	}
}
