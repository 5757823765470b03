package anaplan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// DefaultOAuthURL is the OAuth service of the legacy regions (US1, US2,
// US5, US7, EU1, EU2, EU4, AP1); RegionHosts gives the others. OAuth is not
// on the auth service's host.
const DefaultOAuthURL = "https://us1a.app.anaplan.com"

// DefaultDeviceScope is what Anaplan's clients ask for: offline_access
// brings a refresh token, openid an id_token (Anaplan drops profile).
const DefaultDeviceScope = "openid profile email offline_access"

// deviceFlightTimeout bounds one device login, waiting for a person
// included: longer than Anaplan's 15-minute codes.
const deviceFlightTimeout = 20 * time.Minute

// DevicePrompt is what the user needs to approve a device login: show
// VerificationURI and UserCode (or VerificationURIComplete, which has the
// code in it, as a link or a QR code).
type DevicePrompt struct {
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string // "" when the service sends none
	ExpiresAt               time.Time
}

// DeviceOptions configure DeviceAuth.
type DeviceOptions struct {
	// OAuthURL is the OAuth service base; "" means DefaultOAuthURL. Take it
	// from RegionHosts for other regions, or an emulator's base URL.
	OAuthURL string
	// Scope is the space-separated scope asked for; "" means
	// DefaultDeviceScope. Without offline_access no refresh token comes,
	// and every expiry needs a new device login.
	Scope string
	// Prompt shows the user where to approve; required. It runs once per
	// device login, before the client starts polling; an error aborts.
	Prompt func(ctx context.Context, p DevicePrompt) error
}

// DeviceAuth logs in with Anaplan's OAuth 2.0 device authorization grant
// (RFC 8628) for a device-grant client (its 32-hex client ID from
// Anaplan Administration > OAuth). The first call that needs a token asks
// for a code, calls opts.Prompt, and polls at the interval the service
// asks for (slower after slow_down) until someone approves; later tokens
// come from the refresh token, rotated when the client's registration
// rotates them. With WithTokenCache, the refresh token is kept in the
// cache file (mode 0600), so the next process logs in without a person;
// it is never logged or printed. Requests use "Authorization: Bearer".
//
// Basic-auth users only: Anaplan does not offer the device grant to SSO
// users. Logout forgets the tokens (memory and cache); Anaplan documents
// no revocation endpoint for them.
func DeviceAuth(clientID string, opts DeviceOptions) Credentials {
	d := &deviceCredentials{clientID: strings.TrimSpace(clientID), scope: opts.Scope, prompt: opts.Prompt}
	if d.scope == "" {
		d.scope = DefaultDeviceScope
	}
	raw := opts.OAuthURL
	if raw == "" {
		raw = DefaultOAuthURL
	}
	d.oauthURL, d.urlErr = parseBaseURL("OAuth URL", raw)
	return d
}

type deviceCredentials struct {
	clientID string
	scope    string
	prompt   func(context.Context, DevicePrompt) error
	oauthURL *url.URL
	urlErr   error
}

var oauthClientID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (d *deviceCredentials) kind() string     { return "oauth" }
func (d *deviceCredentials) identity() string { return "oauth:" + d.clientID }
func (d *deviceCredentials) secrets() []string {
	return nil // the client ID is not a secret; tokens are scrubbed per call
}

func (d *deviceCredentials) check() error {
	switch {
	case d.urlErr != nil:
		return d.urlErr
	case d.clientID == "":
		return errors.New("anaplan: the device grant needs an OAuth client ID (Anaplan Administration > OAuth; ANAPLAN_OAUTH_CLIENT_ID)")
	case !oauthClientID.MatchString(d.clientID):
		return fmt.Errorf("anaplan: OAuth client ID %q is not 32 lowercase hex digits: copy it from Anaplan Administration > OAuth", oneLine(d.clientID, 80))
	case d.prompt == nil:
		return errors.New("anaplan: DeviceOptions.Prompt is required: it shows the user the code and the link to approve it")
	}
	return nil
}

// prepare and rejected belong to POST /token/authenticate, which the
// device grant does not use (see issue).
func (d *deviceCredentials) prepare(*http.Request, time.Time) error {
	return errors.New("anaplan: OAuth credentials do not log in at /token/authenticate")
}
func (d *deviceCredentials) rejected(*APIError, time.Time) string {
	return "anaplan: OAuth login failed"
}
func (d *deviceCredentials) flightTimeout() time.Duration { return deviceFlightTimeout }

// String names the client and the OAuth host, nothing secret.
func (d *deviceCredentials) String() string {
	host := ""
	if d.oauthURL != nil {
		host = d.oauthURL.String()
	}
	return fmt.Sprintf("anaplan.DeviceAuth{client=%s oauth=%s}", d.clientID, host)
}

// Format keeps every fmt verb to String.
func (d *deviceCredentials) Format(f fmt.State, verb rune) { formatMasked(f, verb, d.String()) }

// LogValue shows the client in structured logs.
func (d *deviceCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", "oauth"), slog.String("client", d.clientID))
}

// deviceCodeAnswer is the answer of POST /oauth/device/code.
type deviceCodeAnswer struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int64  `json:"expires_in"`
	Interval                int64  `json:"interval"`
}

// tokenAnswer is the answer of POST /oauth/token.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
}

// issue gets a token: from the refresh token of prev when it has one and
// the service still takes it, else by a device login.
func (d *deviceCredentials) issue(ctx context.Context, c *Client, prev Token) (Token, error) {
	if err := d.check(); err != nil {
		return Token{}, err
	}
	if err := d.checkTransport(c); err != nil {
		return Token{}, err
	}
	if prev.refresh != "" {
		tok, err := d.renew(ctx, c, prev)
		if err == nil || !errors.Is(err, errRefreshRefused) {
			return tok, err
		}
		c.logger.InfoContext(ctx, "anaplan: the refresh token is no longer accepted; starting a device login", "error", err)
	}
	return d.deviceLogin(ctx, c)
}

// checkTransport refuses to send tokens over TLS that verifies nothing.
func (d *deviceCredentials) checkTransport(c *Client) error {
	if skipsVerification(c.httpClient) && d.oauthURL.Scheme == "https" && !isLoopback(d.oauthURL.Hostname()) {
		return fmt.Errorf("anaplan: the HTTP client skips TLS certificate verification: refusing to send OAuth tokens to %s that way", d.oauthURL.Hostname())
	}
	return nil
}

// deviceLogin runs the device grant: ask for a code, prompt, poll.
func (d *deviceCredentials) deviceLogin(ctx context.Context, c *Client) (Token, error) {
	var code deviceCodeAnswer
	if err := d.call(ctx, c, "/oauth/device/code", map[string]string{"client_id": d.clientID, "scope": d.scope}, true, &code); err != nil {
		return Token{}, wrapf(err, "starting the device login")
	}
	if code.DeviceCode == "" || code.UserCode == "" || code.VerificationURI == "" {
		return Token{}, errors.New("anaplan: the OAuth service's device code answer lacks device_code, user_code or verification_uri")
	}
	lifetime := time.Duration(code.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = 900 * time.Second // Anaplan's documented lifetime
	}
	interval := time.Duration(code.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second // RFC 8628 §3.2 default
	}
	expires := c.now().Add(lifetime)
	if err := d.prompt(ctx, DevicePrompt{
		UserCode:                code.UserCode,
		VerificationURI:         code.VerificationURI,
		VerificationURIComplete: code.VerificationURIComplete,
		ExpiresAt:               expires,
	}); err != nil {
		return Token{}, wrapf(err, "device login prompt")
	}
	c.logger.InfoContext(ctx, "anaplan: waiting for the device login to be approved", "client", d.clientID, "interval", interval, "expires", expires)
	body := map[string]string{"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": code.DeviceCode, "client_id": d.clientID}
	for {
		if err := c.sleep(ctx, interval); err != nil {
			return Token{}, wrapf(err, "waiting for the device login")
		}
		var ans tokenAnswer
		err := d.call(ctx, c, "/oauth/token", body, true, &ans, code.DeviceCode)
		var oe *OAuthError
		switch {
		case err == nil:
			return d.store(ctx, c, ans, "")
		case errors.As(err, &oe) && oe.Code == "authorization_pending":
		case errors.As(err, &oe) && oe.Code == "slow_down":
			interval += 5 * time.Second // RFC 8628 §3.5
			c.logger.DebugContext(ctx, "anaplan: the OAuth service asked to poll slower", "interval", interval)
		default:
			return Token{}, err
		}
		if !c.now().Before(expires) {
			return Token{}, &OAuthError{Code: "expired_token", Description: "nobody approved the code in time"}
		}
	}
}

// errNoRefreshToken answers a refresh without a refresh token.
var errNoRefreshToken = errors.New("anaplan: no OAuth refresh token (the scope lacks offline_access): a device login is needed when the token expires")

// errRefreshRefused marks a refresh token the service no longer takes.
var errRefreshRefused = errors.New("anaplan: refresh token refused")

// renew exchanges cur's refresh token for a new access token (and, for
// rotating clients, a new refresh token; the old one is dead from then on).
func (d *deviceCredentials) renew(ctx context.Context, c *Client, cur Token) (Token, error) {
	if cur.refresh == "" {
		// No offline_access: only a person can log in again, and not
		// ahead of time; the client keeps the token until it expires.
		return Token{}, errNoRefreshToken
	}
	var ans tokenAnswer
	err := d.call(ctx, c, "/oauth/token", map[string]string{"grant_type": "refresh_token", "client_id": d.clientID, "refresh_token": cur.refresh.reveal()}, false, &ans, cur.refresh.reveal())
	var oe *OAuthError
	if errors.As(err, &oe) && (oe.Code == "invalid_grant" || oe.StatusCode == http.StatusUnauthorized) {
		// Forget it, so that the next attempt starts a device login
		// instead of trying it again.
		dropped := cur
		dropped.refresh = ""
		_, obtained := c.tokens.get()
		c.tokens.set(dropped, obtained)
		return Token{}, fmt.Errorf("%w: %w", errRefreshRefused, err)
	}
	if err != nil {
		return Token{}, err
	}
	return d.store(ctx, c, ans, cur.refresh)
}

// store turns a token answer into the cached token; keepRefresh is the
// refresh token to keep when the answer brings none (non-rotating).
func (d *deviceCredentials) store(ctx context.Context, c *Client, ans tokenAnswer, keepRefresh secret) (Token, error) {
	if ans.AccessToken == "" {
		return Token{}, errors.New("anaplan: the OAuth service answered without an access_token")
	}
	if ans.TokenType != "" && !strings.EqualFold(ans.TokenType, "Bearer") {
		return Token{}, fmt.Errorf("anaplan: the OAuth service answered token_type %q, not Bearer", oneLine(ans.TokenType, 40))
	}
	now := c.now()
	life := time.Duration(ans.ExpiresIn) * time.Second
	if life <= 0 {
		life = tokenLifetime
	}
	sum := sha256.Sum256([]byte(ans.AccessToken))
	tok := Token{
		ID:        "oauth-" + hex.EncodeToString(sum[:6]), // names the token in logs without revealing it
		ExpiresAt: now.Add(life),
		value:     secret(ans.AccessToken),
		refresh:   secret(ans.RefreshToken),
		scheme:    schemeBearer,
	}
	rotated := tok.refresh != "" && keepRefresh != "" && tok.refresh != keepRefresh
	if tok.refresh == "" {
		tok.refresh = keepRefresh
	}
	c.tokens.set(tok, now)
	if err := c.stored.save(tok, now); err != nil {
		c.logger.Warn("anaplan: could not cache the OAuth tokens on disk; the next run will need a device login", "error", err)
	}
	c.logger.InfoContext(ctx, "anaplan: OAuth token obtained", "token", tok, "refreshTokenRotated", rotated)
	return tok, nil
}

// call POSTs a JSON body to the OAuth service (no Authorization header)
// and decodes the 2xx answer into out. Error answers become *OAuthError;
// secrets (and the tokens in the body) never reach an error or a log.
func (d *deviceCredentials) call(ctx context.Context, c *Client, path string, body map[string]string, idempotent bool, out any, secrets ...string) error {
	target := d.oauthURL.String() + path
	payload, err := jsonBytes(body)
	if err != nil {
		return err
	}
	resp, err := c.send(ctx, call{
		method:     http.MethodPost,
		logURL:     target,
		idempotent: idempotent,
		replayable: true,
		buffer:     true,
		build: func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(string(payload)))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", c.userAgent)
			return req, nil
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.oauthErrorFrom(resp, secrets...)
	}
	defer resp.Body.Close()
	return decodeJSON(resp, out)
}
