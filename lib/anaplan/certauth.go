package anaplan

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/youmark/pkcs8"
)

// CertOption adjusts CertificateAuth.
type CertOption func(*certCredentials)

// WithCertFormatV1 sends the v1 body (150 random bytes, no timestamp)
// instead of the default v2 (timestamp prefix). Anaplan is phasing v1 out.
func WithCertFormatV1() CertOption { return func(c *certCredentials) { c.v1 = true } }

// nonceSize is the random part of encodedData. Anaplan asks for at least
// 100 bytes; Anaplan Connect and the Python SDK send 150.
const nonceSize = 150

// CertificateAuth authenticates with a CA certificate registered in Anaplan
// and its RSA private key, both PEM. The key may be PKCS#1, PKCS#8,
// encrypted PKCS#8 or legacy encrypted PEM (keyPassword decrypts the last
// two). If certPEM holds a chain, the certificate matching the key is used.
// Errors say what is wrong without repeating key material or the password.
func CertificateAuth(certPEM, keyPEM []byte, keyPassword string, opts ...CertOption) (Credentials, error) {
	key, err := parsePrivateKey(keyPEM, keyPassword)
	if err != nil {
		return nil, err
	}
	cert, err := matchingCertificate(certPEM, key)
	if err != nil {
		return nil, err
	}
	c := &certCredentials{
		cert:       cert,
		header:     "CACertificate " + base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		key:        key,
		randomness: rand.Reader,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c, nil
}

type certCredentials struct {
	cert       *x509.Certificate
	header     string // "CACertificate " + base64 of the certificate's PEM text
	key        *rsa.PrivateKey
	v1         bool
	randomness io.Reader
}

func (c *certCredentials) kind() string { return "certificate" }
func (c *certCredentials) identity() string {
	sum := sha256.Sum256(c.cert.Raw)
	return "cert:" + hex.EncodeToString(sum[:])
}
func (c *certCredentials) check() error      { return nil }
func (c *certCredentials) secrets() []string { return nil } // the key never leaves the client

// prepare signs fresh data: v2 is an 8-byte big-endian Unix time in seconds
// followed by the nonce, v1 the nonce alone; the signature is RSA PKCS#1
// v1.5 with SHA-512 over those raw bytes.
func (c *certCredentials) prepare(req *http.Request, now time.Time) error {
	var data []byte
	if !c.v1 {
		data = binary.BigEndian.AppendUint64(data, uint64(now.Unix()))
	}
	nonce := make([]byte, nonceSize)
	if _, err := io.ReadFull(c.randomness, nonce); err != nil {
		return wrapf(err, "reading random bytes for certificate authentication")
	}
	data = append(data, nonce...)
	digest := sha512.Sum512(data)
	sig, err := rsa.SignPKCS1v15(c.randomness, c.key, crypto.SHA512, digest[:])
	if err != nil {
		return wrapf(err, "signing with the private key")
	}
	body := map[string]string{
		"encodedData":       base64.StdEncoding.EncodeToString(data),
		"encodedSignedData": base64.StdEncoding.EncodeToString(sig),
	}
	if !c.v1 {
		body["encodedDataFormat"] = "v2"
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.header)
	req.Header.Set("Content-Type", "application/json")
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.ContentLength = int64(len(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return nil
}

func (c *certCredentials) rejected(e *APIError, now time.Time) string {
	msg := "anaplan: certificate authentication failed: Anaplan rejected the certificate or signature (is the certificate registered for API use in Anaplan Administration"
	if e.StatusCode == http.StatusBadRequest {
		msg = "anaplan: certificate authentication failed: the auth service called the request malformed (try ANAPLAN_CERT_FORMAT=v1 if this tenant does not accept v2 yet"
	}
	if now.After(c.cert.NotAfter) {
		msg += fmt.Sprintf("? the certificate expired on %s", c.cert.NotAfter.UTC().Format(time.DateOnly))
	}
	return msg + ")"
}

// String names the certificate, never the key.
func (c *certCredentials) String() string {
	format := "v2"
	if c.v1 {
		format = "v1"
	}
	return fmt.Sprintf("anaplan.CertificateAuth{subject=%q expires=%s format=%s key=%s}",
		c.cert.Subject.String(), c.cert.NotAfter.UTC().Format(time.DateOnly), format, redacted)
}

// Format keeps every fmt verb (including %#v, which would print the key's
// numbers) to String.
func (c *certCredentials) Format(f fmt.State, verb rune) { formatMasked(f, verb, c.String()) }

// LogValue keeps the key out of structured logs.
func (c *certCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", "certificate"), slog.String("subject", c.cert.Subject.String()),
		slog.Time("notAfter", c.cert.NotAfter), slog.String("key", redacted))
}

// matchingCertificate returns the certificate in certPEM whose public key
// belongs to key.
func matchingCertificate(certPEM []byte, key *rsa.PrivateKey) (*x509.Certificate, error) {
	var found int
	var other string
	for rest := certPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		found++
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("anaplan: the certificate is not a valid X.509 certificate: %v", err)
		}
		pub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			other = keyTypeName(cert.PublicKey)
			continue
		}
		if pub.Equal(&key.PublicKey) {
			return cert, nil
		}
	}
	switch {
	case found == 0:
		return nil, errors.New("anaplan: no certificate found: expected PEM text with a -----BEGIN CERTIFICATE----- block")
	case found == 1 && other != "":
		return nil, fmt.Errorf("anaplan: the certificate's public key is %s; Anaplan certificate authentication here supports RSA only", other)
	}
	return nil, errors.New("anaplan: the private key does not match the certificate (it belongs to another certificate)")
}

// parsePrivateKey reads an RSA private key from PEM (or, failing that, DER):
// PKCS#1, PKCS#8, encrypted PKCS#8, or legacy encrypted PEM.
func parsePrivateKey(data []byte, password string) (*rsa.PrivateKey, error) {
	block := firstKeyBlock(data)
	if block == nil {
		if key, err := parseDERKey(data); err == nil {
			return key, nil
		}
		return nil, errors.New("anaplan: the private key is not PEM: expected a block such as -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----")
	}
	der := block.Bytes
	// Legacy encrypted PEM (Proc-Type: 4,ENCRYPTED) is deprecated as insecure,
	// but keys made with older openssl still come that way.
	if x509.IsEncryptedPEMBlock(block) {
		if password == "" {
			return nil, errors.New("anaplan: the private key is encrypted: set ANAPLAN_KEY_PASSWORD")
		}
		var err error
		der, err = x509.DecryptPEMBlock(block, []byte(password))
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, errors.New("anaplan: wrong password for the encrypted private key")
		} else if err != nil {
			return nil, fmt.Errorf("anaplan: cannot decrypt the private key: %v", err)
		}
		key, err := rsaKey(block.Type, der)
		if err != nil {
			// Legacy PEM cannot always tell a wrong password: the result is noise.
			return nil, errors.New("anaplan: wrong password for the encrypted private key (or the key is corrupt)")
		}
		return key, nil
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		if password == "" {
			return nil, errors.New("anaplan: the private key is encrypted (ENCRYPTED PRIVATE KEY): set ANAPLAN_KEY_PASSWORD")
		}
		return parseEncryptedPKCS8(der, password)
	}
	return rsaKey(block.Type, der)
}

// firstKeyBlock finds the first PEM block that holds a private key, skipping
// certificates and parameters that often share the file.
func firstKeyBlock(data []byte) *pem.Block {
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil
		}
		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			return block
		}
	}
}

// rsaKey parses a decrypted key block of the given PEM type.
func rsaKey(blockType string, der []byte) (*rsa.PrivateKey, error) {
	switch blockType {
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("anaplan: the RSA PRIVATE KEY block is not a valid PKCS#1 key: %v", err)
		}
		return key, nil
	case "PRIVATE KEY":
		key, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("anaplan: the PRIVATE KEY block is not a valid PKCS#8 key: %v", err)
		}
		return asRSA(key)
	case "EC PRIVATE KEY":
		return nil, errors.New("anaplan: the private key is an EC key; Anaplan certificate authentication here supports RSA only")
	}
	return nil, fmt.Errorf("anaplan: unsupported private key block %q: expected RSA PRIVATE KEY, PRIVATE KEY or ENCRYPTED PRIVATE KEY", blockType)
}

// parseEncryptedPKCS8 decrypts a PBES2 PKCS#8 key. The pkcs8 package can
// panic on malformed ciphertext; that becomes an error.
func parseEncryptedPKCS8(der []byte, password string) (key *rsa.PrivateKey, err error) {
	defer func() {
		if recover() != nil {
			key, err = nil, errors.New("anaplan: the encrypted private key is corrupt")
		}
	}()
	parsed, _, err := pkcs8.ParsePrivateKey(der, []byte(password))
	if err != nil {
		if strings.Contains(err.Error(), "incorrect password") {
			return nil, errors.New("anaplan: wrong password for the encrypted private key")
		}
		// pkcs8's other messages name unsupported algorithms, never secrets.
		return nil, fmt.Errorf("anaplan: cannot decrypt the private key: %v", err)
	}
	return asRSA(parsed)
}

func parseDERKey(der []byte) (*rsa.PrivateKey, error) {
	if key, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return asRSA(key)
	}
	return x509.ParsePKCS1PrivateKey(der)
}

func asRSA(key any) (*rsa.PrivateKey, error) {
	if k, ok := key.(*rsa.PrivateKey); ok {
		return k, nil
	}
	return nil, fmt.Errorf("anaplan: the private key is %s; Anaplan certificate authentication here supports RSA only", keyTypeName(key))
}

func keyTypeName(key any) string {
	switch key.(type) {
	case *ecdsa.PrivateKey, *ecdsa.PublicKey:
		return "an ECDSA key"
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "an Ed25519 key"
	}
	return fmt.Sprintf("a %T key", key)
}
