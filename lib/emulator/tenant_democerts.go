package emulator

import "embed"

// DemoKeyPassword decrypts DemoEncryptedKeyPEM. DEMO ONLY.
const DemoKeyPassword = "demo-key-password"

// demoFiles are the DEMO-ONLY certificates and keys in lib/emulator/demo
// (see its README.md: public test data, never trust them).
//
//go:embed demo/*.pem
var demoFiles embed.FS

func demoFile(name string) []byte {
	b, err := demoFiles.ReadFile("demo/" + name)
	if err != nil {
		panic("emulator: embedded demo file missing: " + name)
	}
	return b
}

// DemoCAPEM is the DEMO certificate authority the demo tenant trusts.
func DemoCAPEM() []byte { return demoFile("ca.pem") }

// DemoCAKeyPEM is the DEMO CA's private key (unencrypted PKCS#8), for
// tests that mint expired or mismatched certificates.
func DemoCAKeyPEM() []byte { return demoFile("ca-key.pem") }

// DemoCertificatePEM is the demo user's certificate, signed by the DEMO CA
// and valid until 2099-12-31.
func DemoCertificatePEM() []byte { return demoFile("user.pem") }

// DemoPrivateKeyPEM is the demo user's RSA key, unencrypted PKCS#8.
func DemoPrivateKeyPEM() []byte { return demoFile("user-key.pem") }

// DemoEncryptedKeyPEM is the same key, encrypted PKCS#8 (password
// DemoKeyPassword).
func DemoEncryptedKeyPEM() []byte { return demoFile("user-key-encrypted.pem") }

// DemoPKCS1KeyPEM is the same key as PKCS#1 ("RSA PRIVATE KEY").
func DemoPKCS1KeyPEM() []byte { return demoFile("user-key-pkcs1.pem") }
