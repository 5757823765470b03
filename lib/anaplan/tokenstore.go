package anaplan

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
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
// restarted on another port finds its token. A cached token is used only
// with the credentials that obtained it: the file keeps a keyed hash of
// them (the password included, never the password itself), so a changed
// password, right or wrong, logs in afresh instead of hiding behind the
// old token. "" disables the cache.
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
	// Credentials is credentialsHash's: the entry applies to these
	// credentials only. Entries without it predate the check and are
	// ignored (and replaced at the next login).
	Credentials string `json:"credentials"`
}

// tokenStore reads and writes one cached token file.
type tokenStore struct {
	path     string
	authHost string
	creds    Credentials
}

// newTokenStore names the file after the auth host and who logs in (not
// the password), so that a login with changed credentials replaces the
// entry of the old ones rather than leaving it behind.
func newTokenStore(dir, authHost string, creds Credentials) *tokenStore {
	if dir == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(authHost + "\n" + creds.identity()))
	return &tokenStore{path: filepath.Join(dir, hex.EncodeToString(sum[:12])+".json"), authHost: authHost, creds: creds}
}

// cacheKeyFile holds the random key of credentialsHash, one per cache
// directory. Not *.json: it is no token.
const cacheKeyFile = ".credentials-key"

// credentialsHash is an HMAC-SHA256, keyed by the cache directory's random
// key, of everything that decides which token the auth service hands out:
// the auth host, the kind of login, who logs in (the username, the
// certificate's fingerprint, the OAuth client) and the secret that proves
// it (the password) or where it goes (the OAuth service).
//
// Why keyed: a plain SHA-256 of a password is unsalted and fast, so anyone
// holding a token file (in a backup, a bug report) could test a dictionary
// of passwords against it by the billion, and the same password would hash
// alike on every machine. The key lives in its own 0600 file next to the
// entries and never leaves the directory; without it the hash tells nothing
// about the password, and whoever can read the key can read the owner's
// .env as well.
func (s *tokenStore) credentialsHash(key []byte) string {
	parts := []string{s.authHost, s.creds.kind(), s.creds.identity()}
	switch c := s.creds.(type) {
	case basicCredentials:
		parts = append(parts, c.password.reveal())
	case *deviceCredentials:
		if c.oauthURL != nil {
			parts = append(parts, c.oauthURL.String())
		}
	case *certCredentials:
		// Its identity is the certificate's fingerprint, and the key must
		// match the certificate: the key adds nothing.
	}
	mac := hmac.New(sha256.New, key)
	for _, p := range parts {
		_ = binary.Write(mac, binary.BigEndian, uint32(len(p))) // length-prefixed: no two lists hash alike
		mac.Write([]byte(p))
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// readCacheKey returns the directory's key, ok=false when it is missing,
// malformed or readable by others (then it is not trusted).
func readCacheKey(dir string) (key []byte, ok bool) {
	path := filepath.Join(dir, cacheKeyFile)
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 || fi.Size() != sha256.Size {
		return nil, false
	}
	key, err = os.ReadFile(path)
	return key, err == nil && len(key) == sha256.Size
}

// cacheKey returns the directory's key, creating it (0600, atomically) when
// there is none usable. Two processes creating it at once agree: the first
// link wins and the other reads it; an untrusted key is replaced, which
// makes the entries under the old one miss once.
func cacheKey(dir string) ([]byte, error) {
	if key, ok := readCacheKey(dir); ok {
		return key, nil
	}
	key := make([]byte, sha256.Size)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".key-*") // 0600
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(key)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, cacheKeyFile)
	err = os.Link(tmp.Name(), path)
	if err == nil {
		return key, nil
	}
	if errors.Is(err, fs.ErrExist) {
		if existing, ok := readCacheKey(dir); ok {
			return existing, nil // another process was first
		}
	}
	// An untrusted key, or a file system without hard links: replace it.
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	return key, nil
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
	key, ok := readCacheKey(filepath.Dir(s.path))
	if !ok || !hmac.Equal([]byte(f.Credentials), []byte(s.credentialsHash(key))) {
		return Token{}, time.Time{}, false // obtained with other credentials (a changed password), or before the check
	}
	return Token{ID: f.TokenID, RefreshID: f.RefreshID, ExpiresAt: f.ExpiresAt, value: secret(f.Value), refresh: secret(f.RefreshToken), scheme: f.Scheme}, f.Obtained, true
}

// save writes tok atomically with mode 0600.
func (s *tokenStore) save(tok Token, obtained time.Time) error {
	if s == nil {
		return nil
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return wrapf(err, "token cache %s", dir)
	}
	key, err := cacheKey(dir)
	if err != nil {
		return wrapf(err, "token cache %s", dir)
	}
	b, err := json.Marshal(tokenFile{tok.ID, tok.RefreshID, tok.ExpiresAt, tok.value.reveal(), obtained, tok.refresh.reveal(), tok.scheme, s.credentialsHash(key)})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return wrapf(err, "token cache %s", dir)
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
		return wrapf(err, "token cache %s", dir)
	}
	return nil
}

// clear deletes the cached token.
func (s *tokenStore) clear() error {
	if s == nil {
		return nil
	}
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wrapf(err, "token cache")
	}
	return nil
}
