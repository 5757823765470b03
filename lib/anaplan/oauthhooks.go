package anaplan

import (
	"context"
	"errors"
	"time"
)

// schemeBearer is the Authorization scheme of OAuth access tokens.
const schemeBearer = "Bearer"

// tokenIssuer is implemented by credentials that get tokens themselves
// (the OAuth device grant) instead of from POST /token/authenticate. The
// client's token lifecycle (cache, proactive refresh, one
// re-authentication on 401, singleflight) calls issue where it would
// authenticate and renew where it would refresh.
type tokenIssuer interface {
	// issue gets a new token; prev is the cached one (maybe expired,
	// maybe with a refresh token).
	issue(ctx context.Context, c *Client, prev Token) (Token, error)
	// renew refreshes cur. An error that matches ErrUnauthorized makes the
	// client call issue.
	renew(ctx context.Context, c *Client, cur Token) (Token, error)
	// flightTimeout bounds one shared issue or renew (a device login
	// waits for a person).
	flightTimeout() time.Duration
}

// flightTimeout bounds a shared authentication or refresh.
func (c *Client) flightTimeout() time.Duration {
	if ti, ok := c.creds.(tokenIssuer); ok {
		return ti.flightTimeout()
	}
	return authFlightTimeout
}

// authorization is the Authorization header value for the token.
func (t Token) authorization() string {
	if t.scheme == schemeBearer {
		return schemeBearer + " " + t.value.reveal()
	}
	return "AnaplanAuthToken " + t.value.reveal()
}

// errOAuthValidate answers Validate for OAuth credentials: Anaplan's
// /token/validate refuses Bearer tokens.
var errOAuthValidate = errors.New("anaplan: /token/validate does not take OAuth access tokens (Anaplan answers 400): use Me to see who the token belongs to")
