package anaplan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Token is an Anaplan auth token. Its value is a secret: fmt and slog show
// only its ID and expiry; Value returns it for callers that must pass it on.
type Token struct {
	ID        string    // tokenId
	RefreshID string    // refreshTokenId
	ExpiresAt time.Time // as the auth service reported it
	value     secret
	refresh   secret // OAuth refresh token; "" for auth-service tokens
	scheme    string // "" means AnaplanAuthToken; schemeBearer for OAuth
}

// Value is the raw token, as sent in "Authorization: AnaplanAuthToken <value>".
// It is a secret: do not log or display it (see Masked).
func (t Token) Value() string { return t.value.reveal() }

// Masked is a display form that identifies a token without revealing it,
// e.g. "Xk9f…(88 chars)".
func (t Token) Masked() string {
	switch n := len(t.value); {
	case n == 0:
		return "(none)"
	case n < 16:
		return fmt.Sprintf("…(%d chars)", n)
	default:
		return fmt.Sprintf("%s…(%d chars)", t.value.reveal()[:4], n)
	}
}

// String is e.g. "Token{id=ce81e2ed…, expires=2019-10-14T21:29:25Z}".
func (t Token) String() string {
	if t.ID == "" && t.value == "" {
		return "Token{}"
	}
	return fmt.Sprintf("Token{id=%s, expires=%s}", shortID(t.ID), t.ExpiresAt.UTC().Format(time.RFC3339))
}

// GoString keeps %#v from printing the value.
func (t Token) GoString() string {
	return fmt.Sprintf("anaplan.Token{ID:%q, RefreshID:%q, ExpiresAt:%s, value:%s}", t.ID, t.RefreshID, t.ExpiresAt.UTC().Format(time.RFC3339), t.value)
}

// Format keeps every fmt verb to String (or GoString for %#v).
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		formatMasked(f, verb, t.GoString())
		return
	}
	formatMasked(f, verb, t.String())
}

// LogValue shows the token's ID and expiry in structured logs.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", t.ID), slog.Time("expiresAt", t.ExpiresAt), slog.String("value", t.Masked()))
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

// TokenValidation is what GET {auth}/token/validate says about a token.
type TokenValidation struct {
	TokenID      string
	ExpiresAt    time.Time
	UserGUID     string // 32 lowercase hex
	UserID       string // the user's email
	CustomerGUID string // 32 lowercase hex
}

// tokenLifetime is Anaplan's documented token lifetime, assumed when an
// answer carries no expiresAt.
const tokenLifetime = 35 * time.Minute

// authFlightTimeout bounds one shared authentication or refresh: it runs
// detached from the caller who started it, so that caller's cancellation
// does not fail everyone else waiting on it.
const authFlightTimeout = 2 * time.Minute

// tokenCache holds the current token. Authentications and refreshes run in
// singleflight groups so that concurrent callers share one.
type tokenCache struct {
	mu       sync.Mutex
	tok      Token
	obtained time.Time // local clock when tok was stored
	flights  singleflight.Group

	// Flights run detached from their callers; Close cancels closing,
	// which ends the ones still running, and waits for them (see begin).
	// New sets closing.
	flightMu     sync.Mutex
	closing      context.Context
	closeFlights context.CancelFunc
	inFlight     sync.WaitGroup
}

// begin registers a detached flight; ok is false once the client is
// closed. The lock orders every Add before Close's Wait.
func (tc *tokenCache) begin() (ok bool) {
	tc.flightMu.Lock()
	defer tc.flightMu.Unlock()
	if tc.closing.Err() != nil {
		return false
	}
	tc.inFlight.Add(1)
	return true
}

// Close ends the client's background work: an authentication or refresh
// that its callers stopped waiting for (it runs on so that other callers
// can share it) is cancelled, and Close waits for it to return, so that
// nothing the client started is still logging or sending once Close does.
// It does not log out (see Logout). A closed client cannot authenticate
// again; closing it twice is harmless.
func (c *Client) Close() error {
	tc := &c.tokens
	tc.flightMu.Lock()
	tc.closeFlights()
	tc.flightMu.Unlock()
	tc.inFlight.Wait()
	return nil
}

// ErrClosed answers a call that needs to authenticate on a client that
// Close has closed.
var ErrClosed = errors.New("anaplan: the client is closed: create a new one to authenticate again")

func (tc *tokenCache) get() (Token, time.Time) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return tc.tok, tc.obtained
}

func (tc *tokenCache) set(t Token, obtained time.Time) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.tok, tc.obtained = t, obtained
}

// needsRefresh says whether a token is within the refresh margin of its
// expiry. Tokens that live shorter than twice the margin refresh at half
// their lifetime, so a short-TTL server does not cause a refresh per call.
func (c *Client) needsRefresh(t Token, obtained, now time.Time) bool {
	margin := c.refreshMargin
	if half := t.ExpiresAt.Sub(obtained) / 2; half < margin {
		margin = max(half, 0)
	}
	return !now.Before(t.ExpiresAt.Add(-margin))
}

// Token returns a valid token: the cached one, a refreshed one when it is
// close to expiry, or a new one.
func (c *Client) Token(ctx context.Context) (Token, error) {
	tok, obtained := c.tokens.get()
	now := c.now()
	switch {
	case tok.value == "" || !now.Before(tok.ExpiresAt):
		return c.shared(ctx, "authenticate", func(ctx context.Context) (Token, error) {
			if cur, _ := c.tokens.get(); cur.value != "" && c.now().Before(cur.ExpiresAt) {
				return cur, nil // someone authenticated while we queued
			}
			return c.authenticate(ctx)
		})
	case c.needsRefresh(tok, obtained, now):
		return c.shared(ctx, "refresh", func(ctx context.Context) (Token, error) {
			if cur, ob := c.tokens.get(); cur.value != "" && !c.needsRefresh(cur, ob, c.now()) {
				return cur, nil // someone refreshed while we queued
			}
			return c.refreshOrAuthenticate(ctx, false)
		})
	}
	return tok, nil
}

// Refresh extends the current token now (authenticating if there is none,
// or if the auth service no longer accepts it) and returns it.
func (c *Client) Refresh(ctx context.Context) (Token, error) {
	return c.shared(ctx, "refresh", func(ctx context.Context) (Token, error) {
		return c.refreshOrAuthenticate(ctx, true)
	})
}

// reauthenticate replaces a token the API rejected. Concurrent callers that
// saw the same rejected token share one authentication; a caller whose
// rejected token was already replaced just takes the new one.
func (c *Client) reauthenticate(ctx context.Context, rejected Token) (Token, error) {
	return c.shared(ctx, "authenticate", func(ctx context.Context) (Token, error) {
		if cur, _ := c.tokens.get(); cur.value != "" && cur.value != rejected.value && c.now().Before(cur.ExpiresAt) {
			return cur, nil
		}
		return c.authenticate(ctx)
	})
}

// shared runs fn once for all concurrent callers of the same key. fn runs
// detached from ctx (bounded by authFlightTimeout and by Close); each
// caller still stops waiting when its own ctx ends.
func (c *Client) shared(ctx context.Context, key string, fn func(context.Context) (Token, error)) (Token, error) {
	ch := c.tokens.flights.DoChan(key, func() (any, error) {
		if !c.tokens.begin() {
			return nil, ErrClosed
		}
		defer c.tokens.inFlight.Done()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.flightTimeout())
		defer cancel()
		defer context.AfterFunc(c.tokens.closing, cancel)()
		return fn(fctx)
	})
	select {
	case <-ctx.Done():
		return Token{}, wrapf(ctx.Err(), "waiting for authentication")
	case r := <-ch:
		if r.Err != nil {
			return Token{}, r.Err
		}
		return r.Val.(Token), nil
	}
}

// refreshOrAuthenticate refreshes the cached token. A token the auth service
// rejects (401) is replaced by a new authentication. If a proactive refresh
// fails otherwise while the token is still valid, the token is kept and the
// next call tries again; force reports the failure instead.
func (c *Client) refreshOrAuthenticate(ctx context.Context, force bool) (Token, error) {
	cur, _ := c.tokens.get()
	if cur.value == "" {
		return c.authenticate(ctx)
	}
	tok, err := c.refresh(ctx, cur)
	switch {
	case err == nil:
		return tok, nil
	case errors.Is(err, ErrUnauthorized):
		c.logger.InfoContext(ctx, "anaplan: token refresh rejected, authenticating", "token", cur)
		return c.authenticate(ctx)
	case !force && c.now().Before(cur.ExpiresAt):
		c.logger.WarnContext(ctx, "anaplan: token refresh failed; keeping the current token until it expires", "token", cur, "error", err)
		return cur, nil
	}
	return Token{}, err
}

// authenticate gets a new token with the client's credentials.
func (c *Client) authenticate(ctx context.Context) (Token, error) {
	if ti, ok := c.creds.(tokenIssuer); ok { // OAuth: oauthhooks.go
		prev, _ := c.tokens.get()
		return ti.issue(ctx, c, prev)
	}
	if err := c.creds.check(); err != nil {
		return Token{}, err
	}
	var ar authResponse
	err := c.authCall(ctx, http.MethodPost, "/token/authenticate", func(req *http.Request) error {
		return c.creds.prepare(req, c.now())
	}, &ar, c.creds.secrets()...)
	var ae *APIError
	if errors.As(err, &ae) && (ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusBadRequest) {
		return Token{}, &wrapError{msg: c.creds.rejected(ae, c.now()), err: ae}
	}
	if err != nil {
		return Token{}, err
	}
	tok, err := c.storeToken(ar, Token{})
	if err != nil {
		return Token{}, err
	}
	c.logger.InfoContext(ctx, "anaplan: authenticated", "credentials", c.creds.kind(), "token", tok)
	return tok, nil
}

// refresh extends cur with POST /token/refresh. Anaplan keeps the token
// value and moves expiresAt; a new value, if one comes, is taken.
func (c *Client) refresh(ctx context.Context, cur Token) (Token, error) {
	if ti, ok := c.creds.(tokenIssuer); ok {
		return ti.renew(ctx, c, cur)
	}
	var ar authResponse
	err := c.authCall(ctx, http.MethodPost, "/token/refresh", func(req *http.Request) error {
		req.Header.Set("Authorization", "AnaplanAuthToken "+cur.value.reveal())
		return nil
	}, &ar, cur.value.reveal())
	if err != nil {
		return Token{}, err
	}
	tok, err := c.storeToken(ar, cur)
	if err != nil {
		return Token{}, err
	}
	c.logger.DebugContext(ctx, "anaplan: token refreshed", "token", tok)
	return tok, nil
}

// storeToken turns an auth answer into the cached token; fields the answer
// lacks are kept from prev.
func (c *Client) storeToken(ar authResponse, prev Token) (Token, error) {
	now := c.now()
	if err := ar.failed(); err != nil {
		return Token{}, err
	}
	exp, err := ar.expiresAt()
	if err != nil {
		return Token{}, err
	}
	if exp.IsZero() {
		exp = now.Add(tokenLifetime)
	}
	tok := Token{ID: ar.TokenInfo.TokenID, RefreshID: ar.TokenInfo.RefreshTokenID, ExpiresAt: exp, value: secret(ar.TokenInfo.TokenValue)}
	if tok.value == "" {
		tok.value = prev.value
	}
	if tok.ID == "" {
		tok.ID = prev.ID
	}
	if tok.RefreshID == "" {
		tok.RefreshID = prev.RefreshID
	}
	if tok.value == "" {
		return Token{}, errors.New("anaplan: the auth service answered without a tokenValue")
	}
	if !now.Before(exp) {
		c.logger.Warn("anaplan: the new token has already expired by this machine's clock; check the clock (or use WithClock against an emulator on a fake clock)",
			"token", tok, "now", now)
	}
	c.tokens.set(tok, now)
	if err := c.stored.save(tok, now); err != nil {
		c.logger.Warn("anaplan: could not cache the token on disk; the next run will log in again", "error", err)
	}
	return tok, nil
}

// Validate asks the auth service about the current token (authenticating
// first if there is none). It does not re-authenticate on a 401: it reports
// what the service thinks of the token the client holds.
func (c *Client) Validate(ctx context.Context) (TokenValidation, error) {
	if _, ok := c.creds.(tokenIssuer); ok {
		return TokenValidation{}, errOAuthValidate
	}
	tok, err := c.Token(ctx)
	if err != nil {
		return TokenValidation{}, err
	}
	var ar authResponse
	err = c.authCall(ctx, http.MethodGet, "/token/validate", func(req *http.Request) error {
		req.Header.Set("Authorization", "AnaplanAuthToken "+tok.value.reveal())
		return nil
	}, &ar, tok.value.reveal())
	if err != nil {
		return TokenValidation{}, err
	}
	if err := ar.failed(); err != nil {
		return TokenValidation{}, err
	}
	exp, err := ar.expiresAt()
	if err != nil {
		return TokenValidation{}, err
	}
	return TokenValidation{
		TokenID:      ar.TokenInfo.TokenID,
		ExpiresAt:    exp,
		UserGUID:     ar.UserInfo.UserGUID,
		UserID:       ar.UserInfo.UserID,
		CustomerGUID: ar.UserInfo.CustomerGUID,
	}, nil
}

// Logout ends the current token's session (POST /token/logout, 204) and
// clears the cache. Without a token it sends nothing, but still deletes
// the cached entry of this auth host and user: one obtained with other
// credentials (an old password, another OAuth service), which this client
// does not use and so cannot end, must not outlive a logout. A token the
// service already rejects (401) counts as logged out. The cache is cleared
// even when the call fails, so the client never reuses a token it was
// asked to drop.
func (c *Client) Logout(ctx context.Context) error {
	tok, _ := c.tokens.get()
	if tok.value == "" {
		return c.stored.clear()
	}
	c.tokens.set(Token{}, time.Time{})
	if err := c.stored.clear(); err != nil {
		c.logger.Warn("anaplan: could not delete the cached token", "error", err)
	}
	if tok.scheme == schemeBearer {
		return nil // OAuth: no revocation endpoint is documented; forgetting the tokens is the logout
	}
	err := c.authCall(ctx, http.MethodPost, "/token/logout", func(req *http.Request) error {
		req.Header.Set("Authorization", "AnaplanAuthToken "+tok.value.reveal())
		return nil
	}, nil, tok.value.reveal())
	if errors.Is(err, ErrUnauthorized) {
		return nil
	}
	return err
}

// authCall sends one request to the auth service. These calls only create,
// extend, describe or end a token, so they are safe to retry whatever their
// method.
func (c *Client) authCall(ctx context.Context, method, path string, setup func(*http.Request) error, out any, secrets ...string) error {
	target := c.authURL.String() + path
	resp, err := c.send(ctx, call{
		method:     method,
		logURL:     target,
		idempotent: true,
		replayable: true,
		buffer:     true,
		build: func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, method, target, nil)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", c.userAgent)
			return req, setup(req)
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.errorFrom(resp, secrets...)
	}
	defer resp.Body.Close()
	return decodeJSON(resp, out)
}
