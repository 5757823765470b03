package anaplan

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Credentials authenticate a Client against POST {auth}/token/authenticate.
// Make them with BasicAuth or CertificateAuth; the interface is sealed.
// Every implementation masks its secrets in fmt and slog output.
type Credentials interface {
	// kind names the method for messages: "basic" or "certificate".
	kind() string
	// check reports unusable credentials before any network call.
	check() error
	// prepare fills in the authenticate request; it runs for every attempt,
	// so signatures and nonces are fresh.
	prepare(req *http.Request, now time.Time) error
	// rejected explains a 400/401 answer to the authenticate request.
	rejected(e *APIError, now time.Time) string
	// secrets are scrubbed from error bodies, should a server or a proxy
	// echo them.
	secrets() []string
	// identity names who logs in (not how), to key the on-disk token
	// cache: the username, or the certificate's fingerprint.
	identity() string
}

// BasicAuth authenticates with an Anaplan username (email) and password.
// Users of SSO-enforced tenants must be exception users to use it.
func BasicAuth(username, password string) Credentials {
	return basicCredentials{username: username, password: secret(password)}
}

type basicCredentials struct {
	username string
	password secret
}

func (b basicCredentials) kind() string     { return "basic" }
func (b basicCredentials) identity() string { return "user:" + strings.ToLower(b.username) }

// secrets are the password and the Authorization header's credentials,
// base64(username:password): a proxy that quotes the header it rejected
// would otherwise print the password in a decodable form.
func (b basicCredentials) secrets() []string {
	return []string{b.password.reveal(), base64.StdEncoding.EncodeToString([]byte(b.username + ":" + b.password.reveal()))}
}

func (b basicCredentials) check() error {
	switch {
	case b.username == "" || b.password == "":
		return errors.New("anaplan: basic authentication needs both a username and a password (ANAPLAN_USERNAME, ANAPLAN_PASSWORD)")
	case strings.Contains(b.username, ":"):
		return errors.New("anaplan: the username must not contain ':' (HTTP basic authentication cannot carry it)")
	}
	return nil
}

func (b basicCredentials) prepare(req *http.Request, _ time.Time) error {
	// Anaplan takes no body here; SetBasicAuth is exactly base64(user:password).
	req.SetBasicAuth(b.username, b.password.reveal())
	return nil
}

func (b basicCredentials) rejected(e *APIError, _ time.Time) string {
	if e.StatusCode == http.StatusBadRequest {
		return "anaplan: basic authentication failed: the auth service called the Authorization header malformed (is the username an email address without unusual characters?)"
	}
	return "anaplan: basic authentication failed: Anaplan rejected the username or password (check ANAPLAN_USERNAME and ANAPLAN_PASSWORD; in an SSO tenant the user must be an exception user)"
}

// String shows the username only.
func (b basicCredentials) String() string {
	return fmt.Sprintf("anaplan.BasicAuth{username=%q password=%s}", b.username, b.password)
}

// Format keeps every fmt verb to String.
func (b basicCredentials) Format(f fmt.State, verb rune) { formatMasked(f, verb, b.String()) }

// LogValue keeps the password out of structured logs.
func (b basicCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", "basic"), slog.String("username", b.username), slog.Any("password", b.password))
}

// authResponse is the answer of /token/authenticate, /token/refresh and
// /token/validate. Unknown fields (e.g. the announced refreshToken) are
// ignored.
type authResponse struct {
	Status        string `json:"status"`
	StatusMessage string `json:"statusMessage"`
	TokenInfo     struct {
		TokenID        string      `json:"tokenId"`
		TokenValue     string      `json:"tokenValue"`
		ExpiresAt      json.Number `json:"expiresAt"`
		RefreshTokenID string      `json:"refreshTokenId"`
	} `json:"tokenInfo"`
	UserInfo struct {
		UserGUID     string `json:"userGuid"`
		UserID       string `json:"userId"`
		CustomerGUID string `json:"customerGuid"`
	} `json:"userInfo"`
}

// failed reports a 2xx answer whose status says otherwise (JW treats any
// FAILURE_… status as a failure).
func (r *authResponse) failed() error {
	if strings.HasPrefix(r.Status, "FAILURE") {
		return fmt.Errorf("anaplan: the auth service answered %s: %s", oneLine(r.Status, 60), oneLine(r.StatusMessage, 200))
	}
	return nil
}

// expiresAt reads epoch milliseconds (integer or float). Zero when absent.
func (r *authResponse) expiresAt() (time.Time, error) {
	n := r.TokenInfo.ExpiresAt
	if n == "" {
		return time.Time{}, nil
	}
	if ms, err := n.Int64(); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1e15 {
		return time.Time{}, fmt.Errorf("anaplan: tokenInfo.expiresAt %q is not epoch milliseconds", string(n))
	}
	return time.UnixMilli(int64(f)).UTC(), nil
}
