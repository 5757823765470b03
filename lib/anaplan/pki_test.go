package anaplan_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"time"

	"github.com/youmark/pkcs8"
)

// testPKI is key material generated once per test binary: an RSA key with
// its self-signed certificate, a second RSA key that matches nothing, and
// an ECDSA key with its certificate.
type testPKI struct {
	key, otherKey *rsa.PrivateKey
	cert          *x509.Certificate
	certPEM       []byte
	ecKey         *ecdsa.PrivateKey
	ecCertPEM     []byte
}

const keyPassword = "k3y-Pa55phrase"

var pki = sync.OnceValue(func() testPKI {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	// 1024 bits keeps the race-enabled tests fast; the client does not care.
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	must(err)
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	must(err)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "analyst@example.com", Organization: []string{"Example Corp"}},
		NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(err)
	cert, err := x509.ParseCertificate(der)
	must(err)
	ecDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ec.PublicKey, ec)
	must(err)
	return testPKI{
		key: key, otherKey: other, cert: cert,
		certPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		ecKey:     ec,
		ecCertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ecDER}),
	}
})

func pkcs1PEM(key *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

func pkcs8PEM(key any) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func encryptedPKCS8PEM(key *rsa.PrivateKey, password string) []byte {
	der, err := pkcs8.MarshalPrivateKey(key, []byte(password), &pkcs8.Opts{
		Cipher:  pkcs8.AES256CBC,
		KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 8, IterationCount: 2048, HMACHash: crypto.SHA256},
	})
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
}

// legacyEncryptedPEM is the "Proc-Type: 4,ENCRYPTED" form of older openssl.
func legacyEncryptedPEM(key *rsa.PrivateKey, password string) []byte {
	// Deprecated API on purpose: the client must read this form, so tests write it.
	block, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), []byte(password), x509.PEMCipherAES256)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(block)
}

func ecPEM(key *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}
