package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// userCodeAlphabet has no 0/O or 1/I, so a code read off a screen is
// typed right. Eight characters of 32 give 40 bits; with a 15-minute
// lifetime and the page's lockout after a few wrong codes, guessing is
// hopeless (RFC 8628 §5.1).
const userCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newUserCode returns 8 random characters of userCodeAlphabet.
func newUserCode() string {
	b := randomBytes(8)
	for i := range b {
		b[i] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

// displayUserCode is the form shown to users, e.g. "WDJB-MJHT".
func displayUserCode(code string) string {
	if len(code) != 8 {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// normalizeUserCode accepts what people type: any case, with or without
// the dash or spaces.
func normalizeUserCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// tokenResponseJSON is TokenResponse of oauth-openapi.json.
type tokenResponseJSON struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// writeTokens issues an access token (a session the Integration API
// accepts as Bearer or AnaplanAuthToken), an id_token when "openid" was
// granted, and a refresh token when "offline_access" was: a new one, or
// none when keepRefresh is the still-valid token of a non-rotating client.
func (e *Emulator) writeTokens(w http.ResponseWriter, r *http.Request, client OAuthClient, userID, scope, keepRefresh string) {
	now := e.now()
	access, _ := e.store.issueOAuthToken(userID, client.ID, now, e.ttl)
	resp := tokenResponseJSON{
		AccessToken: access,
		Scope:       scope,
		ExpiresIn:   int64(e.ttl / time.Second),
		TokenType:   "Bearer",
	}
	scopes := strings.Fields(scope)
	if hasScope(scopes, "openid") {
		resp.IDToken = e.idToken(r, client.ID, userID, now)
	}
	if hasScope(scopes, "offline_access") && keepRefresh == "" {
		resp.RefreshToken = newTokenValue()
		e.oauth.mu.Lock()
		e.oauth.refresh[keyOf(resp.RefreshToken)] = refreshGrant{
			clientID: client.ID, userID: userID, scope: scope, expires: now.Add(refreshTokenTTL),
		}
		e.oauth.sweepRefresh(now)
		e.oauth.saveRefresh()
		e.oauth.mu.Unlock()
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

func hasScope(scopes []string, s string) bool {
	for _, x := range scopes {
		if x == s {
			return true
		}
	}
	return false
}

// idToken is a JWT (HS256 under a per-emulator key) naming the user: the
// emulator's stand-in for Anaplan's identity token. Clients should not
// need to read it; its claims are the standard ones.
func (e *Emulator) idToken(r *http.Request, clientID, userID string, now time.Time) string {
	user, _ := e.store.user(userID)
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{
		"iss":   baseURL(r) + "/",
		"sub":   userID,
		"aud":   clientID,
		"email": user.Email,
		"iat":   now.Unix(),
		"exp":   now.Add(e.ttl).Unix(),
	})
	signing := header + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, e.oauth.idKey)
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// issueOAuthToken starts an OAuth access-token session for the user.
func (s *store) issueOAuthToken(userID, clientID string, now time.Time, ttl time.Duration) (string, session) {
	return s.startSession(session{
		TokenID:     newUUID(),
		UserID:      userID,
		ExpiresAt:   now.Add(ttl).UnixMilli(),
		OAuthClient: clientID,
	}, now)
}

// isOAuthAccessToken reports whether a token value is an OAuth access
// token. The auth service's /token/refresh, /token/validate and
// /token/logout refuse those, whatever the scheme (Anaplan refuses them
// as Bearer; as AnaplanAuthToken the emulator assumes the same).
func (s *store) isOAuthAccessToken(value string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[keyOf(value)].OAuthClient != ""
}
