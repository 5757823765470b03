package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"
)

// tokenKey is the SHA-256 of a token value. The store keys sessions by it
// and persists only it, so a state directory never holds a usable token.
type tokenKey [sha256.Size]byte

func keyOf(tokenValue string) tokenKey { return sha256.Sum256([]byte(tokenValue)) }

// session is what the auth service knows about one token.
type session struct {
	TokenID        string `json:"tokenId"`
	RefreshTokenID string `json:"refreshTokenId"`
	UserID         string `json:"userId"`
	ExpiresAt      int64  `json:"expiresAt"` // epoch milliseconds
	// OAuthClient is set on OAuth access tokens (oauth.go): the API takes
	// them, the auth service's /token/... routes do not.
	OAuthClient string `json:"oauthClient,omitempty"`
}

func (s session) expired(now time.Time) bool { return now.UnixMilli() >= s.ExpiresAt }

// newTokenValue returns an opaque, unguessable token (256 random bits).
func newTokenValue() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(32))
}

// newUUID returns a random (version 4) hyphenated UUID, the format of
// tokenId and refreshTokenId.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics instead)
	return b
}

// issueToken starts a session for the user and returns the token value.
func (s *store) issueToken(userID string, now time.Time, ttl time.Duration) (string, session) {
	return s.startSession(session{
		TokenID:        newUUID(),
		RefreshTokenID: newUUID(),
		UserID:         userID,
		ExpiresAt:      now.Add(ttl).UnixMilli(),
	}, now)
}

// startSession stores sess under a new token value, which it returns,
// and drops the sessions that have expired by now.
func (s *store) startSession(sess session, now time.Time) (string, session) {
	value := newTokenValue()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, old := range s.sessions {
		if old.expired(now) {
			delete(s.sessions, k)
		}
	}
	s.sessions[keyOf(value)] = sess
	s.saveSessions()
	return value, sess
}

// lookupToken returns the live session of a token value.
func (s *store) lookupToken(value string, now time.Time) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[keyOf(value)]
	if !ok || sess.expired(now) {
		return session{}, false
	}
	return sess, true
}

// refreshToken extends a live session: same value, same refreshTokenId,
// new expiry (anaplan-api.md §2.4).
func (s *store) refreshToken(value string, now time.Time, ttl time.Duration) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(value)
	sess, ok := s.sessions[k]
	if !ok || sess.expired(now) {
		return session{}, false
	}
	sess.ExpiresAt = now.Add(ttl).UnixMilli()
	s.sessions[k] = sess
	s.saveSessions()
	return sess, true
}

// revokeToken ends a live session; it reports whether there was one.
func (s *store) revokeToken(value string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(value)
	sess, ok := s.sessions[k]
	if !ok || sess.expired(now) {
		return false
	}
	delete(s.sessions, k)
	s.saveSessions()
	return true
}

// useNonce records a v2 certificate nonce and reports whether it is fresh,
// so a captured v2 login cannot be replayed within its freshness window.
func (s *store) useNonce(data []byte, now time.Time, keep time.Duration) bool {
	k := sha256.Sum256(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	for n, until := range s.nonces {
		if now.After(until) {
			delete(s.nonces, n)
		}
	}
	if _, seen := s.nonces[k]; seen {
		return false
	}
	s.nonces[k] = now.Add(keep)
	return true
}
