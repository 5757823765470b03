package emulator

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// The auth service's status values and messages (anaplan-api.md §2.1).
// Anaplan documents the bad-header message; the bad-credential one is ours.
const (
	authSuccess          = "SUCCESS"
	failureBadHeader     = "FAILURE_BAD_HEADER"
	failureBadCredential = "FAILURE_BAD_CREDENTIAL"
	msgBadHeader         = "Invalid header. Verify the header."
	msgBadCredential     = "Invalid credentials. Verify the credentials."
)

// authFailure is a refused auth-service request. reason is for the debug
// log only and never contains a credential.
type authFailure struct {
	status int
	code   string
	reason string
}

func badHeader(reason string) *authFailure {
	return &authFailure{status: http.StatusBadRequest, code: failureBadHeader, reason: reason}
}

func badCredential(reason string) *authFailure {
	return &authFailure{status: http.StatusUnauthorized, code: failureBadCredential, reason: reason}
}

// authErrorJSON is the auth service's error body.
type authErrorJSON struct {
	Status        string `json:"status"`
	StatusMessage string `json:"statusMessage"`
}

func (e *Emulator) writeAuthFailure(w http.ResponseWriter, r *http.Request, f *authFailure) {
	e.log.Debug("emulator auth refused", "path", r.URL.Path, "status", f.status, "reason", f.reason)
	msg := msgBadCredential
	if f.code == failureBadHeader {
		msg = msgBadHeader
	}
	writeJSON(w, f.status, authErrorJSON{Status: f.code, StatusMessage: msg})
}

// authResponse is the body of a successful auth-service call.
type authResponse struct {
	Meta          authMetaJSON  `json:"meta"`
	Status        string        `json:"status"`
	StatusMessage string        `json:"statusMessage"`
	TokenInfo     tokenInfoJSON `json:"tokenInfo"`
	UserInfo      *userInfoJSON `json:"userInfo,omitempty"`
}

type authMetaJSON struct {
	ValidationURL string `json:"validationUrl"`
}

type tokenInfoJSON struct {
	TokenID        string `json:"tokenId"`
	TokenValue     string `json:"tokenValue,omitempty"`
	ExpiresAt      int64  `json:"expiresAt"`
	RefreshTokenID string `json:"refreshTokenId,omitempty"`
}

type userInfoJSON struct {
	UserGUID     string `json:"userGuid"`
	UserID       string `json:"userId"`
	CustomerGUID string `json:"customerGuid"`
}

func (e *Emulator) authResponse(r *http.Request, message string, info tokenInfoJSON) authResponse {
	return authResponse{
		Meta:          authMetaJSON{ValidationURL: baseURL(r) + "/token/validate"},
		Status:        authSuccess,
		StatusMessage: message,
		TokenInfo:     info,
	}
}

// authorization splits the Authorization header into its scheme and
// credentials.
func authorization(r *http.Request) (scheme, credentials string) {
	scheme, credentials, _ = strings.Cut(r.Header.Get("Authorization"), " ")
	return scheme, strings.TrimSpace(credentials)
}

// authenticate serves POST /token/authenticate: Basic or CA certificate
// login; 201 with a new token.
func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request) {
	scheme, credentials := authorization(r)
	var (
		user User
		fail *authFailure
	)
	switch {
	case strings.EqualFold(scheme, "Basic"):
		user, fail = e.basicLogin(credentials)
	case strings.EqualFold(scheme, "CACertificate"):
		user, fail = e.certificateLogin(r, credentials)
	default:
		fail = badHeader("authorization scheme is neither Basic nor CACertificate")
	}
	if fail != nil {
		e.writeAuthFailure(w, r, fail)
		return
	}
	value, sess := e.store.issueToken(user.ID, e.now(), e.ttl)
	writeJSON(w, http.StatusCreated, e.authResponse(r, "Login successful", tokenInfoJSON{
		TokenID:        sess.TokenID,
		TokenValue:     value,
		ExpiresAt:      sess.ExpiresAt,
		RefreshTokenID: sess.RefreshTokenID,
	}))
}

// basicLogin checks base64(email:password). Password hashes are compared
// in constant time, and an unknown user costs the same comparison.
func (e *Emulator) basicLogin(credentials string) (User, *authFailure) {
	raw, err := base64.StdEncoding.DecodeString(credentials)
	if err != nil {
		return User{}, badHeader("basic credentials are not base64")
	}
	email, password, ok := strings.Cut(string(raw), ":")
	if !ok || email == "" {
		return User{}, badHeader("basic credentials are not email:password")
	}
	user, found := e.store.userByLogin(email)
	// An unknown user is checked against the zero hash: the same work and
	// the same answer, so neither tells which users exist.
	if !passwordMatches(user.PasswordHash, password) || !found || !user.Active {
		return User{}, badCredential("unknown user, wrong password or basic login disabled")
	}
	return user, nil
}

// passwordMatches reports whether password hashes to stored, comparing
// the SHA-256 digests with subtle.ConstantTimeCompare so the time taken
// does not tell how much of a guess was right. A zero hash (a user
// without basic login) matches nothing.
func passwordMatches(stored PasswordHash, password string) bool {
	given := HashPassword(password)
	match := subtle.ConstantTimeCompare(given[:], stored[:]) == 1
	return match && stored != PasswordHash{}
}

// tokenCredential returns the token of an "AnaplanAuthToken <t>" header.
func tokenCredential(r *http.Request) (string, bool) {
	scheme, token := authorization(r)
	return token, strings.EqualFold(scheme, "AnaplanAuthToken") && token != ""
}

// authServiceToken is the AnaplanAuthToken the authentication service's
// token routes need: without one it answers missing; an OAuth access
// token, which is for the Integration API only, gets a 401.
func (e *Emulator) authServiceToken(w http.ResponseWriter, r *http.Request, missing *authFailure) (string, bool) {
	token, ok := tokenCredential(r)
	if !ok {
		e.writeAuthFailure(w, r, missing)
		return "", false
	}
	if e.store.isOAuthAccessToken(token) { // see oauth_tokens.go
		e.writeAuthFailure(w, r, badCredential("an OAuth access token is for the Integration API only"))
		return "", false
	}
	return token, true
}

// refresh serves POST /token/refresh: same token value, new expiry.
func (e *Emulator) refresh(w http.ResponseWriter, r *http.Request) {
	token, ok := e.authServiceToken(w, r, badHeader("refresh needs an AnaplanAuthToken header")) // Bearer included: 400 (§2.3)
	if !ok {
		return
	}
	sess, ok := e.store.refreshToken(token, e.now(), e.ttl)
	if !ok {
		e.writeAuthFailure(w, r, badCredential("unknown or expired token"))
		return
	}
	writeJSON(w, http.StatusOK, e.authResponse(r, "Token refreshed", tokenInfoJSON{
		TokenID:        sess.TokenID,
		TokenValue:     token,
		ExpiresAt:      sess.ExpiresAt,
		RefreshTokenID: sess.RefreshTokenID,
	}))
}

// validate serves GET /token/validate: token and user details.
func (e *Emulator) validate(w http.ResponseWriter, r *http.Request) {
	token, ok := e.authServiceToken(w, r, badHeader("validate needs an AnaplanAuthToken header")) // Bearer included: 400 (§2.3)
	if !ok {
		return
	}
	sess, ok := e.store.lookupToken(token, e.now())
	user, known := e.store.user(sess.UserID)
	if !ok || !known || !user.Active {
		e.writeAuthFailure(w, r, badCredential("unknown or expired token"))
		return
	}
	resp := e.authResponse(r, "Token validated", tokenInfoJSON{TokenID: sess.TokenID, ExpiresAt: sess.ExpiresAt})
	resp.UserInfo = &userInfoJSON{UserGUID: user.ID, UserID: user.Email, CustomerGUID: e.store.customerID}
	writeJSON(w, http.StatusOK, resp)
}

// logout serves POST /token/logout: 204, and the token is dead.
func (e *Emulator) logout(w http.ResponseWriter, r *http.Request) {
	token, ok := e.authServiceToken(w, r, badCredential("logout needs an AnaplanAuthToken header")) // Bearer included: 401 (§2.3)
	if !ok {
		return
	}
	if !e.store.revokeToken(token, e.now()) {
		e.writeAuthFailure(w, r, badCredential("unknown or expired token"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// userKey is the context key of the authenticated API user.
type userKey struct{}

// authenticateAPI admits an Integration API request carrying a live token
// as "AnaplanAuthToken <t>" or "Bearer <t>" (§2.3) and records its user in
// the request context; otherwise it writes 401 with the error envelope.
func (e *Emulator) authenticateAPI(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	scheme, token := authorization(r)
	if token != "" && (strings.EqualFold(scheme, "AnaplanAuthToken") || strings.EqualFold(scheme, "Bearer")) {
		if sess, ok := e.store.lookupToken(token, e.now()); ok {
			if user, ok := e.store.user(sess.UserID); ok && user.Active {
				return r.WithContext(context.WithValue(r.Context(), userKey{}, user)), true
			}
		}
	}
	e.writeAPIError(w, r, http.StatusUnauthorized, "")
	return r, false
}

// requestUser is the user authenticateAPI admitted.
func requestUser(r *http.Request) User {
	u, _ := r.Context().Value(userKey{}).(User)
	return u
}
