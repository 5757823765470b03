package anaplan

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/youmark/pkcs8"
)

// FuzzDecodeModelsPage feeds arbitrary bytes to the pager's decoder and
// paging decision: whatever a server sends, no panic, and paging either
// ends, fails, or moves forward.
func FuzzDecodeModelsPage(f *testing.F) {
	f.Add(modelsPageJSON(3))
	f.Fuzz(func(t *testing.T, data []byte) {
		models, p, err := decodePage[Model](data, "models")
		if err != nil {
			return
		}
		next, done, err := p.advance(0, len(models))
		if err == nil && !done && next <= 0 {
			t.Fatalf("paging would not move forward: next offset %d after %+v", next, p)
		}
		if _, err := json.Marshal(models); err != nil {
			t.Fatalf("decoded models do not encode back: %v", err)
		}
	})
}

// FuzzParsePrivateKey feeds arbitrary bytes and passwords to the key parser:
// no panic, and an error never repeats the password.
func FuzzParsePrivateKey(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), "")
	pk8, _ := x509.MarshalPKCS8PrivateKey(key)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk8}), "")
	enc, _ := pkcs8.MarshalPrivateKey(key, []byte("pw"), &pkcs8.Opts{Cipher: pkcs8.AES128CBC,
		KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 8, IterationCount: 16, HMACHash: crypto.SHA256}})
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}), "pw")
	legacy, _ := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", der, []byte("pw"), x509.PEMCipherAES128)
	f.Add(pem.EncodeToMemory(legacy), "pw")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		// A mutated PBES2 header can ask for billions of PBKDF2 or scrypt
		// rounds: that is slow, not wrong, so the fuzzer does not decrypt
		// encrypted PKCS#8 (the seeds above and the unit tests do).
		if bytes.Contains(data, []byte("ENCRYPTED PRIVATE KEY")) && !bytes.Equal(data, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc})) {
			password = ""
		}
		k, err := parsePrivateKey(data, password)
		if err != nil {
			if len(password) >= 4 && strings.Contains(err.Error(), password) && !bytes.Contains(data, []byte(password)) {
				t.Fatalf("error repeats the password: %v", err)
			}
			return
		}
		if k == nil || k.N == nil {
			t.Fatal("no error and no key")
		}
	})
}
