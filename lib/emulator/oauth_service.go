package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// The OAuth 2.0 service (anaplan-api.md §2.5, oauth-openapi.json): the
// device authorization grant (RFC 8628) and refresh tokens. Anaplan serves
// it on its own host ({oauth}); the emulator serves it on the same handler
// as everything else, with the verification page (oauth_page.go) beside it.
//
// Randomness: device codes, user codes, access and refresh tokens come
// from crypto/rand, like the auth service's tokens, so the sandbox cannot
// be entered by guessing. Tests never need to predict them: the device
// code comes back from POST /oauth/device/code and the user code reaches
// the prompt; everything time-dependent (expiry, slow_down) reads the
// emulator's clock, so tests advance it instead of sleeping.

// Demo OAuth clients, registered by default (OAuthOptions.Clients nil).
// Like Anaplan's, their IDs are 32 lowercase hex digits; device-grant
// clients have no secret.
const (
	// DemoOAuthClientID is a device-grant client whose refresh tokens
	// rotate: each refresh answers a new refresh token and the old one is
	// refused from then on.
	DemoOAuthClientID = "0a0a7e5f6c3d4b2a9e8f1d0c2b3a4e5f"
	// DemoOAuthStaticClientID is a device-grant client whose refresh token
	// stays valid across refreshes (the refresh answer carries none).
	DemoOAuthStaticClientID = "5f4e3a2b1c0d4e9f8a7b6c5d4e3f2a1b"
)

// OAuth service defaults, as Anaplan documents them (§8).
const (
	DefaultDeviceCodeTTL   = 900 * time.Second
	DefaultDevicePollEvery = 5 * time.Second
	// refreshTokenTTL is the "30-day rotation" of oauth-openapi.json.
	refreshTokenTTL = 30 * 24 * time.Hour
	// slowDownStep is RFC 8628 §3.5: after slow_down, the interval grows
	// by 5 seconds for every later request.
	slowDownStep = 5 * time.Second
)

// grantDeviceCode is the device grant's grant_type.
const grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// OAuthClient is a registered OAuth client of the device grant.
type OAuthClient struct {
	ID   string // 32 lowercase hex digits
	Name string // shown on the verification page
	// RotateRefreshTokens: each refresh issues a new refresh token and
	// revokes the one used.
	RotateRefreshTokens bool
}

// OAuthOptions configure the OAuth service. The zero value registers the
// demo clients with Anaplan's timings.
type OAuthOptions struct {
	// Clients are the registered device-grant clients; nil means
	// DemoOAuthClients().
	Clients []OAuthClient
	// DeviceCodeTTL is how long a device code (and its user code) lives;
	// 0 means DefaultDeviceCodeTTL.
	DeviceCodeTTL time.Duration
	// PollInterval is the interval the device code answer asks for;
	// 0 means DefaultDevicePollEvery.
	PollInterval time.Duration
	// ApproveAs, when set, approves every device code as the user with
	// this email the moment it is issued: for tests that run a client in
	// another process (a notebook against the sandbox) with nobody at the
	// page. It bypasses the login by design; never set it otherwise.
	ApproveAs string
}

// DemoOAuthClients returns the two demo clients: rotating and not.
func DemoOAuthClients() []OAuthClient {
	return []OAuthClient{
		{ID: DemoOAuthClientID, Name: "Anaplan Toolkit (demo device client)", RotateRefreshTokens: true},
		{ID: DemoOAuthStaticClientID, Name: "Anaplan Toolkit (demo client, non-rotating)"},
	}
}

var clientIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (o OAuthOptions) validate() error {
	if o.DeviceCodeTTL < 0 || o.PollInterval < 0 {
		return errors.New("OAuth device code TTL and poll interval must not be negative")
	}
	if o.PollInterval%time.Second != 0 {
		return fmt.Errorf("OAuth poll interval %v is not whole seconds (the answer's interval is in seconds)", o.PollInterval)
	}
	for _, c := range o.Clients {
		if !clientIDPattern.MatchString(c.ID) {
			return fmt.Errorf("OAuth client ID %q is not 32 lowercase hex digits", c.ID)
		}
	}
	return nil
}

// deviceState is where a device authorization stands.
type deviceState int

const (
	devicePending deviceState = iota
	deviceApproved
	deviceDenied
)

// deviceGrant is one device authorization request.
type deviceGrant struct {
	clientID  string
	scope     string
	userCode  string // normalised: 8 characters, no dash
	expires   time.Time
	interval  time.Duration // grows on slow_down
	lastPoll  time.Time
	state     deviceState
	userID    string // who approved
	deviceKey tokenKey
}

// refreshGrant is what a refresh token stands for.
type refreshGrant struct {
	clientID, userID, scope string
	expires                 time.Time
}

// oauthService holds the OAuth state. With StateDir, refresh tokens
// persist (as hashes, state_oauth.go) and access tokens persist as sessions
// of the store; device codes and page sessions live minutes and stay in
// memory.
type oauthService struct {
	approveAs string   // OAuthOptions.ApproveAs
	state     stateDir // oauth.json (state_oauth.go)
	log       *slog.Logger
	clients   map[string]OAuthClient
	codeTTL   time.Duration
	interval  time.Duration
	idKey     []byte // signs id_tokens

	mu       sync.Mutex
	devices  map[tokenKey]*deviceGrant // by hash of the device code
	byUser   map[string]*deviceGrant   // by normalised user code
	refresh  map[tokenKey]refreshGrant // by hash of the refresh token
	pages    map[tokenKey]*pageSession // verification page sessions by hash of the cookie
	pageSeen time.Time                 // last sweep of expired page sessions
}

func newOAuthService(o OAuthOptions, state stateDir, log *slog.Logger) (*oauthService, error) {
	s := &oauthService{
		approveAs: o.ApproveAs,
		state:     state,
		log:       log,
		clients:   make(map[string]OAuthClient),
		codeTTL:   o.DeviceCodeTTL,
		interval:  o.PollInterval,
		idKey:     randomBytes(32),
		devices:   make(map[tokenKey]*deviceGrant),
		byUser:    make(map[string]*deviceGrant),
		refresh:   make(map[tokenKey]refreshGrant),
		pages:     make(map[tokenKey]*pageSession),
	}
	if s.codeTTL == 0 {
		s.codeTTL = DefaultDeviceCodeTTL
	}
	if s.interval == 0 {
		s.interval = DefaultDevicePollEvery
	}
	clients := o.Clients
	if clients == nil {
		clients = DemoOAuthClients()
	}
	for _, c := range clients {
		s.clients[c.ID] = c
	}
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("emulator: state dir %s: %w", state.path, err)
	}
	return s, nil
}

// oauthErrorJSON is the OAuth error body (ErrorPayload).
type oauthErrorJSON struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, oauthErrorJSON{Error: code, Description: description})
}

// oauthForm reads an OAuth request body: JSON (as Anaplan documents it)
// or application/x-www-form-urlencoded (as oauthlib sends it). A body
// without a content type is read as JSON if it looks like JSON.
func oauthForm(r *http.Request) (url.Values, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %v", err)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	trimmed := strings.TrimSpace(string(body))
	switch {
	case ct == "application/json" || (ct == "" && strings.HasPrefix(trimmed, "{")):
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, errors.New("the body is not a JSON object")
		}
		v := url.Values{}
		for k, x := range m {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("%q must be a string", k)
			}
			v.Set(k, s)
		}
		return v, nil
	case ct == "application/x-www-form-urlencoded" || ct == "":
		v, err := url.ParseQuery(trimmed)
		if err != nil {
			return nil, errors.New("the form body is malformed")
		}
		return v, nil
	}
	return nil, fmt.Errorf("unsupported Content-Type %q: send application/json or application/x-www-form-urlencoded", ct)
}

// client returns the registered client of a request's client_id.
func (s *oauthService) client(id string) (OAuthClient, bool) {
	c, ok := s.clients[id]
	return c, ok
}

// deviceCodeJSON is the answer of POST /oauth/device/code.
type deviceCodeJSON struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int64  `json:"expires_in"`
	Interval                int64  `json:"interval"`
}

// defaultScope is what Anaplan's clients ask for; the server applies a
// default when the request has none (RFC 8628).
const defaultScope = "openid profile email offline_access"

// deviceCode serves POST /oauth/device/code.
func (e *Emulator) deviceCode(w http.ResponseWriter, r *http.Request) {
	form, err := oauthForm(r)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	if _, ok := e.oauth.client(clientID); !ok {
		writeOAuthError(w, http.StatusBadRequest, "unauthorized_client", "unknown client_id: register a device-grant client (the sandbox prints the demo ones)")
		return
	}
	scope := form.Get("scope")
	if scope == "" {
		scope = defaultScope
	}
	now := e.now()
	var autoUser string
	if e.oauth.approveAs != "" {
		u, ok := e.store.userByLogin(e.oauth.approveAs)
		if !ok || !u.Active {
			writeOAuthError(w, http.StatusBadRequest, "access_denied", "the emulator's ApproveAs user does not exist or is inactive")
			return
		}
		autoUser = u.ID
	}
	deviceCode, userCode := newTokenValue(), newUserCode()
	g := &deviceGrant{
		clientID:  clientID,
		scope:     grantedScope(scope),
		userCode:  userCode,
		expires:   now.Add(e.oauth.codeTTL),
		interval:  e.oauth.interval,
		deviceKey: keyOf(deviceCode),
	}
	if autoUser != "" {
		g.state, g.userID = deviceApproved, autoUser
	}
	e.oauth.mu.Lock()
	e.oauth.sweepDevices(now)
	e.oauth.devices[g.deviceKey] = g
	e.oauth.byUser[userCode] = g
	e.oauth.mu.Unlock()

	verify := baseURL(r) + activatePath
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, deviceCodeJSON{
		DeviceCode:              deviceCode,
		UserCode:                displayUserCode(userCode),
		VerificationURI:         verify,
		VerificationURIComplete: verify + "?user_code=" + url.QueryEscape(displayUserCode(userCode)),
		ExpiresIn:               int64(e.oauth.codeTTL / time.Second),
		Interval:                int64(e.oauth.interval / time.Second),
	})
}

// grantedScope drops "profile", as Anaplan does (§2.5), keeping the order.
func grantedScope(requested string) string {
	var kept []string
	for _, s := range strings.Fields(requested) {
		if s != "profile" && !slices.Contains(kept, s) {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, " ")
}

// sweepDevices forgets expired device codes; the caller holds s.mu.
func (s *oauthService) sweepDevices(now time.Time) {
	for k, g := range s.devices {
		if !now.Before(g.expires.Add(time.Hour)) { // kept a while to answer expired_token
			delete(s.devices, k)
			delete(s.byUser, g.userCode)
		}
	}
}

// oauthToken serves POST /oauth/token for the device-code and
// refresh-token grants.
func (e *Emulator) oauthToken(w http.ResponseWriter, r *http.Request) {
	form, err := oauthForm(r)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	client, ok := e.oauth.client(clientID)
	if !ok {
		writeOAuthError(w, http.StatusUnauthorized, "unauthorized_client", "unknown client_id")
		return
	}
	switch gt := form.Get("grant_type"); gt {
	case grantDeviceCode:
		e.deviceToken(w, r, client, form.Get("device_code"))
	case "refresh_token":
		e.refreshGrant(w, r, client, form.Get("refresh_token"))
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
	default:
		writeOAuthError(w, http.StatusBadRequest, "unauthorized_client",
			fmt.Sprintf("grant_type %q is not enabled for this client: the emulator serves the device-code and refresh-token grants", gt))
	}
}

// deviceToken answers one poll of the device-code grant (RFC 8628 §3.5).
func (e *Emulator) deviceToken(w http.ResponseWriter, r *http.Request, client OAuthClient, deviceCode string) {
	if deviceCode == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "device_code is required")
		return
	}
	now := e.now()
	s := e.oauth
	s.mu.Lock()
	g, ok := s.devices[keyOf(deviceCode)]
	if !ok || subtle.ConstantTimeCompare([]byte(g.clientID), []byte(client.ID)) != 1 {
		s.mu.Unlock()
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "unknown device_code (or one issued to another client, or already used)")
		return
	}
	if !now.Before(g.expires) {
		s.mu.Unlock()
		writeOAuthError(w, http.StatusBadRequest, "expired_token", "the device code has expired: start again with POST /oauth/device/code")
		return
	}
	switch g.state {
	case deviceDenied:
		s.forgetDevice(g)
		s.mu.Unlock()
		writeOAuthError(w, http.StatusBadRequest, "access_denied", "the user denied the authorization request")
		return
	case devicePending:
		early := !g.lastPoll.IsZero() && now.Sub(g.lastPoll) < g.interval
		g.lastPoll = now
		if early {
			g.interval += slowDownStep
			s.mu.Unlock()
			writeOAuthError(w, http.StatusBadRequest, "slow_down",
				fmt.Sprintf("polling too fast: wait at least %d seconds between requests", int64(g.interval/time.Second)))
			return
		}
		s.mu.Unlock()
		writeOAuthError(w, http.StatusBadRequest, "authorization_pending", "the user has not yet approved the request")
		return
	}
	// Approved: the device code is good for one token answer.
	s.forgetDevice(g)
	userID, scope := g.userID, g.scope
	s.mu.Unlock()
	e.writeTokens(w, r, client, userID, scope, "")
}

// forgetDevice removes a finished grant; the caller holds s.mu.
func (s *oauthService) forgetDevice(g *deviceGrant) {
	delete(s.devices, g.deviceKey)
	delete(s.byUser, g.userCode)
}

// refreshGrant serves the refresh-token grant. A rotating client gets a
// new refresh token and the one used is revoked; a non-rotating client's
// answer carries none and its refresh token stays valid.
func (e *Emulator) refreshGrant(w http.ResponseWriter, r *http.Request, client OAuthClient, token string) {
	if token == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "refresh_token is required")
		return
	}
	now := e.now()
	s := e.oauth
	k := keyOf(token)
	s.mu.Lock()
	g, ok := s.refresh[k]
	if !ok || g.clientID != client.ID || !now.Before(g.expires) {
		s.mu.Unlock()
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "unknown, expired, revoked or already rotated refresh token: log in again")
		return
	}
	if client.RotateRefreshTokens {
		delete(s.refresh, k)
		s.saveRefresh()
	}
	s.mu.Unlock()
	if user, ok := e.store.user(g.userID); !ok || !user.Active {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "the user of this refresh token is no longer active")
		return
	}
	keep := ""
	if !client.RotateRefreshTokens {
		keep = token
	}
	e.writeTokens(w, r, client, g.userID, g.scope, keep)
}

// ApproveDevice approves a pending device authorization as the user with
// that email, as the verification page does, for tests that do not drive
// a browser. userCode is matched as the page matches it (case and dashes
// ignored).
func (e *Emulator) ApproveDevice(userCode, email string) error {
	user, ok := e.store.userByLogin(email)
	if !ok || !user.Active {
		return fmt.Errorf("emulator: no active user %q", email)
	}
	return e.decideDevice(userCode, user.ID, true)
}

// DenyDevice denies a pending device authorization: the client's next
// poll gets access_denied.
func (e *Emulator) DenyDevice(userCode string) error {
	return e.decideDevice(userCode, "", false)
}

// errNoDeviceCode is a user code that is unknown, expired or decided.
var errNoDeviceCode = errors.New("no pending request has this code: check the code, or ask the device for a new one")

func (e *Emulator) decideDevice(userCode, userID string, approve bool) error {
	now := e.now()
	s := e.oauth
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pendingByUserCode(userCode, now)
	if g == nil {
		return fmt.Errorf("emulator: user code %q: %w", userCode, errNoDeviceCode)
	}
	if approve {
		g.state, g.userID = deviceApproved, userID
	} else {
		g.state = deviceDenied
	}
	return nil
}

// pendingByUserCode finds a live, undecided grant; the caller holds s.mu.
func (s *oauthService) pendingByUserCode(userCode string, now time.Time) *deviceGrant {
	g, ok := s.byUser[normalizeUserCode(userCode)]
	if !ok || g.state != devicePending || !now.Before(g.expires) {
		return nil
	}
	return g
}
