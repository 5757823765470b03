package anaplan_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// TestEchoedCredentialsAreScrubbed: a gateway that rejects the login and
// quotes the Authorization header it got must not make the client print
// base64(username:password), whole or in part. The header used to come
// out verbatim, and once scrubbing covered it, the one-line summary of
// the body still cut it before scrubbing, leaving its first part (the
// user and the start of the password) in the error.
func TestEchoedCredentialsAreScrubbed(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	header := base64.StdEncoding.EncodeToString([]byte(f.user + ":" + f.password))
	for _, body := range []string{
		"Rejected header: Authorization: Basic " + header + "\n",
		// The header straddles the 120-character summary of the body...
		"Bad request from gateway gw-eu-01. Rejected header: Authorization: Basic " + header + "\n",
		// ...and the 2 KiB kept in APIError.Body.
		strings.Repeat("x", 2048-20) + "Basic " + header,
	} {
		f.answer("POST /token/authenticate", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, body)
		})
		c, _ := f.client(t, noRetries())
		_, err := c.Token(t.Context())
		var apiErr *anaplan.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("Token = %v, want an *APIError", err)
		}
		for _, s := range []string{err.Error(), apiErr.Body, apiErr.Message} {
			for _, secret := range []string{f.password, header, header[:24]} {
				if strings.Contains(s, secret) {
					t.Errorf("the error shows the credentials (%.10s…): %q", secret, s)
				}
			}
		}
	}
}
