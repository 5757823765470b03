// Command gen regenerates the emulator's DEMO-ONLY certificate authority,
// user certificate and user keys in lib/emulator/demo.
//
// Run it from the repository root:
//
//	go run ./lib/emulator/demo/gen
//
// The files it writes are public test data: never trust them anywhere.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/youmark/pkcs8"
)

// These must match DemoUser and DemoKeyPassword in lib/emulator.
const (
	demoUser     = "demo.admin@example.com"
	demoPassword = "demo-key-password"
)

// oidEmailAddress is the PKCS#9 emailAddress attribute some CAs put in the subject.
var oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

func main() {
	out := flag.String("out", "lib/emulator/demo", "directory to write the PEM files into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	notBefore := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	notAfter := time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC)

	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{
			CommonName:   "Anaplan Emulator DEMO CA (never trust)",
			Organization: []string{"Anaplan Registry Toolkit DEMO"},
		},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}

	userKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	userTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject: pkix.Name{
			CommonName:   "Demo Admin",
			Organization: []string{"Anaplan Registry Toolkit DEMO"},
			ExtraNames:   []pkix.AttributeTypeAndValue{{Type: oidEmailAddress, Value: demoUser}},
		},
		EmailAddresses: []string{demoUser},
		NotBefore:      notBefore,
		NotAfter:       notAfter,
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	userDER, err := x509.CreateCertificate(rand.Reader, userTmpl, caCert, &userKey.PublicKey, caKey)
	if err != nil {
		return err
	}

	caKeyPKCS8, err := x509.MarshalPKCS8PrivateKey(caKey)
	if err != nil {
		return err
	}
	userKeyPKCS8, err := x509.MarshalPKCS8PrivateKey(userKey)
	if err != nil {
		return err
	}
	userKeyEncrypted, err := pkcs8.MarshalPrivateKey(userKey, []byte(demoPassword), nil)
	if err != nil {
		return err
	}

	files := []struct {
		name, blockType string
		der             []byte
	}{
		{"ca.pem", "CERTIFICATE", caDER},
		{"ca-key.pem", "PRIVATE KEY", caKeyPKCS8},
		{"user.pem", "CERTIFICATE", userDER},
		{"user-key.pem", "PRIVATE KEY", userKeyPKCS8},
		{"user-key-encrypted.pem", "ENCRYPTED PRIVATE KEY", userKeyEncrypted},
		{"user-key-pkcs1.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(userKey)},
	}
	for _, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.blockType, Bytes: f.der})
		// 0644: these are public demo fixtures committed to the repository.
		if err := os.WriteFile(filepath.Join(dir, f.name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
