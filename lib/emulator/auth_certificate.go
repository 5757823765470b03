package emulator

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"time"
)

// Certificate login rules (anaplan-api.md §2.2).
const (
	// minRandomBytes is Anaplan's "at least 100 bytes" of random data.
	minRandomBytes = 100
	// v2TimestampBytes is the big-endian timestamp prefix of v2 encodedData.
	v2TimestampBytes = 8
	// v2Freshness is how far a v2 timestamp may be from the emulator's clock,
	// either way. Anaplan does not publish its window; five minutes is the
	// usual clock-skew allowance (Kerberos, AWS SigV4 use the same).
	v2Freshness = 5 * time.Minute
	// msTimestampThreshold: a v2 timestamp above it is in milliseconds
	// (1e11 seconds is the year 5138), below it in seconds.
	msTimestampThreshold = 1e11
	// maxCertLoginBody bounds the JSON body read.
	maxCertLoginBody = 64 << 10
)

// oidEmailAddress is the PKCS#9 emailAddress subject attribute.
var oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

// certLoginBody is the JSON body of a certificate login, v1 or v2.
type certLoginBody struct {
	EncodedDataFormat string `json:"encodedDataFormat"`
	EncodedData       string `json:"encodedData"`
	EncodedSignedData string `json:"encodedSignedData"`
}

// certificateLogin checks "Authorization: CACertificate <X>" and the body's
// signed random data: the certificate must chain to a CA the tenant trusts,
// be valid now, belong to an active tenant user, and have signed the raw
// encodedData bytes with SHA512withRSA (PKCS#1 v1.5).
func (e *Emulator) certificateLogin(r *http.Request, credentials string) (User, *authFailure) {
	leaf, intermediates, fail := parseCertificateHeader(credentials)
	if fail != nil {
		return User{}, fail
	}
	var body certLoginBody
	if err := json.NewDecoder(io.LimitReader(r.Body, maxCertLoginBody)).Decode(&body); err != nil {
		return User{}, badHeader("certificate login body is not JSON")
	}
	data, err1 := decodeBase64(body.EncodedData)
	sig, err2 := decodeBase64(body.EncodedSignedData)
	if err1 != nil || err2 != nil || len(data) == 0 || len(sig) == 0 {
		return User{}, badHeader("encodedData or encodedSignedData missing or not base64")
	}
	v2 := false
	switch strings.ToLower(body.EncodedDataFormat) {
	case "", "v1":
	case "v2":
		v2 = true
	default:
		return User{}, badHeader("unknown encodedDataFormat")
	}

	now := e.now()
	if _, err := leaf.Verify(x509.VerifyOptions{
		Roots:         e.roots,
		Intermediates: intermediates,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		return User{}, badCredential("certificate not trusted or not valid now: " + err.Error())
	}
	user, ok := e.certificateUser(leaf)
	if !ok {
		return User{}, badCredential("certificate names no active tenant user")
	}
	random := data
	if v2 {
		if len(data) < v2TimestampBytes {
			return User{}, badCredential("v2 encodedData shorter than its timestamp")
		}
		if !fresh(binary.BigEndian.Uint64(data[:v2TimestampBytes]), now) {
			return User{}, badCredential("v2 timestamp outside the freshness window")
		}
		random = data[v2TimestampBytes:]
	}
	if len(random) < minRandomBytes {
		return User{}, badCredential("fewer than 100 random bytes")
	}
	pub, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return User{}, badCredential("certificate key is not RSA")
	}
	digest := sha512.Sum512(data)
	if rsa.VerifyPKCS1v15(pub, crypto.SHA512, digest[:], sig) != nil {
		return User{}, badCredential("signature does not verify")
	}
	if v2 && !e.store.useNonce(data, now, 2*v2Freshness) {
		return User{}, badCredential("v2 encodedData replayed")
	}
	return user, nil
}

// parseCertificateHeader decodes X of "CACertificate <X>". X is base64 of
// the full PEM text (help pages, SDKs) or base64 of DER, i.e. the PEM body
// (community posts); both are accepted (§2.2 CONFLICT). Further
// certificates in the PEM are taken as intermediates.
func parseCertificateHeader(x string) (*x509.Certificate, *x509.CertPool, *authFailure) {
	raw, err := decodeBase64(x)
	if err != nil || len(raw) == 0 {
		return nil, nil, badHeader("CACertificate value is not base64")
	}
	var certs []*x509.Certificate
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("-----BEGIN")) {
		for rest := raw; ; {
			var block *pem.Block
			if block, rest = pem.Decode(rest); block == nil {
				break
			}
			if block.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, nil, badHeader("CACertificate PEM holds an unparseable certificate")
			}
			certs = append(certs, c)
		}
	} else {
		certs, err = x509.ParseCertificates(raw)
		if err != nil {
			return nil, nil, badHeader("CACertificate value is neither PEM nor DER")
		}
	}
	if len(certs) == 0 {
		return nil, nil, badHeader("CACertificate value holds no certificate")
	}
	intermediates := x509.NewCertPool()
	for _, c := range certs[1:] {
		intermediates.AddCert(c)
	}
	return certs[0], intermediates, nil
}

// certificateUser maps a certificate to an active tenant user by its SAN
// email addresses, then its subject emailAddress, then its common name.
func (e *Emulator) certificateUser(c *x509.Certificate) (User, bool) {
	candidates := append([]string(nil), c.EmailAddresses...)
	for _, n := range c.Subject.Names {
		if n.Type.Equal(oidEmailAddress) {
			if s, ok := n.Value.(string); ok {
				candidates = append(candidates, s)
			}
		}
	}
	candidates = append(candidates, c.Subject.CommonName)
	for _, email := range candidates {
		if u, ok := e.store.userByLogin(email); ok && u.Active {
			return u, true
		}
	}
	return User{}, false
}

// fresh reports whether a v2 timestamp (seconds, or milliseconds when
// above msTimestampThreshold) is within v2Freshness of now.
func fresh(ts uint64, now time.Time) bool {
	var t time.Time
	if ts > msTimestampThreshold {
		t = time.UnixMilli(int64(min(ts, 1<<62)))
	} else {
		t = time.Unix(int64(ts), 0)
	}
	d := now.Sub(t)
	return d <= v2Freshness && d >= -v2Freshness
}

// decodeBase64 accepts standard base64 with or without padding, ignoring
// whitespace and line breaks (PEM-style wrapped values).
func decodeBase64(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}
