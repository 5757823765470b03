package anaplan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// WithTokenCache keeps the client's token in a file under dir, so the next
// process (a script run from cron, a notebook cell) reuses it instead of
// logging in again: Anaplan advises one token per 35-minute session and
// warns that a login per call may fail. The file is named after the auth
// host and the user (username or certificate fingerprint), is readable by
// the owner only (0600, directory 0700), is written atomically and is
// deleted on Logout. The host is taken without its port, so an emulator
// restarted on another port finds its token. "" disables the cache.
func WithTokenCache(dir string) Option { return func(s *settings) { s.tokenCacheDir = dir } }

// tokenFile is the on-disk form of a cached token.
type tokenFile struct {
	TokenID   string    `json:"tokenId"`
	RefreshID string    `json:"refreshTokenId"`
	ExpiresAt time.Time `json:"expiresAt"`
	Value     string    `json:"tokenValue"`
	Obtained  time.Time `json:"obtained"`
	// OAuth only: the refresh token and the scheme ("Bearer").
	RefreshToken string `json:"refreshToken,omitempty"`
	Scheme       string `json:"scheme,omitempty"`
}

// tokenStore reads and writes one cached token file.
type tokenStore struct{ path string }

func newTokenStore(dir, authHost, identity string) *tokenStore {
	if dir == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(authHost + "\n" + identity))
	return &tokenStore{path: filepath.Join(dir, hex.EncodeToString(sum[:12])+".json")}
}

// load returns the cached token, or ok=false when there is none usable.
// A corrupt or foreign file is ignored (and replaced on the next save).
func (s *tokenStore) load() (tok Token, obtained time.Time, ok bool) {
	if s == nil {
		return Token{}, time.Time{}, false
	}
	fi, err := os.Stat(s.path)
	if err != nil || fi.Mode().Perm()&0o077 != 0 {
		return Token{}, time.Time{}, false // missing, or readable by others: do not trust it
	}
	b, err := os.ReadFile(s.path)
	if err != nil {
		return Token{}, time.Time{}, false
	}
	var f tokenFile
	if json.Unmarshal(b, &f) != nil || f.Value == "" {
		return Token{}, time.Time{}, false
	}
	return Token{ID: f.TokenID, RefreshID: f.RefreshID, ExpiresAt: f.ExpiresAt, value: secret(f.Value), refresh: secret(f.RefreshToken), scheme: f.Scheme}, f.Obtained, true
}

// save writes tok atomically with mode 0600.
func (s *tokenStore) save(tok Token, obtained time.Time) error {
	if s == nil {
		return nil
	}
	b, err := json.Marshal(tokenFile{tok.ID, tok.RefreshID, tok.ExpiresAt, tok.value.reveal(), obtained, tok.refresh.reveal(), tok.scheme})
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("anaplan: token cache %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return fmt.Errorf("anaplan: token cache %s: %w", dir, err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path) // CreateTemp already made it 0600
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("anaplan: token cache %s: %w", dir, err)
	}
	return nil
}

// clear deletes the cached token.
func (s *tokenStore) clear() error {
	if s == nil {
		return nil
	}
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("anaplan: token cache: %w", err)
	}
	return nil
}
