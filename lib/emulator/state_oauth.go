package emulator

import (
	"encoding/hex"
	"fmt"
	"time"
)

// oauthStateFile keeps the OAuth refresh tokens under StateDir, so a
// restarted sandbox still refreshes the tokens it issued.
const oauthStateFile = "oauth.json"

// oauthState is the on-disk form: refresh-token hashes only, so the state
// directory never holds a usable refresh token.
type oauthState struct {
	Version int                           `json:"version"`
	Refresh map[string]refreshGrantOnDisk `json:"refresh"` // hex(sha256(refresh token))
}

type refreshGrantOnDisk struct {
	ClientID  string `json:"clientId"`
	UserID    string `json:"userId"`
	Scope     string `json:"scope"`
	ExpiresAt int64  `json:"expiresAt"` // epoch milliseconds
}

// load reads the refresh tokens, if the state directory has them.
func (s *oauthService) load() error {
	var st oauthState
	if err := s.state.read(oauthStateFile, &st); err != nil {
		return err
	}
	for h, g := range st.Refresh {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != len(tokenKey{}) {
			return fmt.Errorf("%s: bad refresh token hash %q (delete the file to start afresh)", oauthStateFile, h)
		}
		s.refresh[tokenKey(b)] = refreshGrant{clientID: g.ClientID, userID: g.UserID, scope: g.Scope, expires: time.UnixMilli(g.ExpiresAt)}
	}
	return nil
}

// saveRefresh persists the refresh tokens; the caller holds s.mu. A failed
// write is logged: the token works for this process, and a lost write
// costs one device login after a restart.
func (s *oauthService) saveRefresh() {
	if !s.state.enabled() {
		return
	}
	st := oauthState{Version: 1, Refresh: make(map[string]refreshGrantOnDisk, len(s.refresh))}
	for k, g := range s.refresh {
		st.Refresh[hex.EncodeToString(k[:])] = refreshGrantOnDisk{ClientID: g.clientID, UserID: g.userID, Scope: g.scope, ExpiresAt: g.expires.UnixMilli()}
	}
	s.state.write(oauthStateFile, st, "OAuth refresh tokens")
}

// sweepRefresh forgets expired refresh tokens; the caller holds s.mu.
func (s *oauthService) sweepRefresh(now time.Time) {
	for k, g := range s.refresh {
		if !now.Before(g.expires) {
			delete(s.refresh, k)
		}
	}
}
