package emulator_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/youmark/pkcs8"
)

// pemBlock decodes the single PEM block of data.
func pemBlock(t testing.TB, data []byte) *pem.Block {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("no PEM block in %.40q", data)
	}
	return b
}

func demoUserKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := x509.ParsePKCS8PrivateKey(pemBlock(t, emulator.DemoPrivateKeyPEM()).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

func demoCA(t testing.TB) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	c, err := x509.ParseCertificate(pemBlock(t, emulator.DemoCAPEM()).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(pemBlock(t, emulator.DemoCAKeyPEM()).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c, k.(*rsa.PrivateKey)
}

// mintCert signs a certificate for pub with the given parent and key.
func mintCert(t testing.TB, tmpl *x509.Certificate, parent *x509.Certificate, pub, signer any) []byte {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// certHeader builds "CACertificate <X>": X is base64 of the PEM text, or
// with der, base64 of the DER bytes (the PEM body).
func certHeader(t testing.TB, certPEM []byte, der bool) string {
	t.Helper()
	if der {
		return "CACertificate " + base64.StdEncoding.EncodeToString(pemBlock(t, certPEM).Bytes)
	}
	return "CACertificate " + base64.StdEncoding.EncodeToString(certPEM)
}

// certBody is a login body signing data with key; format "" is v1.
func certBody(t testing.TB, key *rsa.PrivateKey, format string, data []byte) string {
	t.Helper()
	digest := sha512.Sum512(data)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA512, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]string{
		"encodedData":       base64.StdEncoding.EncodeToString(data),
		"encodedSignedData": base64.StdEncoding.EncodeToString(sig),
	}
	if format != "" {
		body["encodedDataFormat"] = format
	}
	b, _ := json.Marshal(body)
	return string(b)
}

// v2Data is an 8-byte big-endian timestamp followed by n random bytes.
func v2Data(ts uint64, n int) []byte {
	b := make([]byte, 8+n)
	binary.BigEndian.PutUint64(b, ts)
	rand.Read(b[8:])
	return b
}

func randomData(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestCertificateLoginV1AndV2BothHeaderForms(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	key := demoUserKey(t)
	now := uint64(testStart.Unix())
	for _, der := range []bool{false, true} {
		for _, tc := range []struct {
			name, format string
			data         []byte
		}{
			{"v1 150 random bytes", "", randomData(150)},
			{"v1 exactly 100", "", randomData(100)},
			{"v2 seconds", "v2", v2Data(now, 150)},
			{"v2 milliseconds", "v2", v2Data(uint64(testStart.UnixMilli()), 100)},
			{"v2 four minutes old", "v2", v2Data(now-240, 100)},
		} {
			name := tc.name + map[bool]string{false: " PEM header", true: " DER header"}[der]
			t.Run(name, func(t *testing.T) {
				r := h.do("POST", "/token/authenticate", certHeader(t, emulator.DemoCertificatePEM(), der), certBody(t, key, tc.format, tc.data))
				wantStatus(t, r, http.StatusCreated)
				body := r.json(t)
				if body["statusMessage"] != "Login successful" {
					t.Errorf("statusMessage = %v", body["statusMessage"])
				}
				token := body["tokenInfo"].(map[string]any)["tokenValue"].(string)
				me := h.get("/2/0/users/me", token).json(t)["user"].(map[string]any)
				if me["email"] != emulator.DemoUser {
					t.Errorf("certificate logged in as %v", me["email"])
				}
			})
		}
	}
}

func TestDemoKeysAllMatchTheDemoCertificate(t *testing.T) {
	t.Parallel()
	cert, err := x509.ParseCertificate(pemBlock(t, emulator.DemoCertificatePEM()).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	want := cert.PublicKey.(*rsa.PublicKey)
	pkcs1, err := x509.ParsePKCS1PrivateKey(pemBlock(t, emulator.DemoPKCS1KeyPEM()).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	enc := pemBlock(t, emulator.DemoEncryptedKeyPEM())
	if enc.Type != "ENCRYPTED PRIVATE KEY" {
		t.Errorf("encrypted key PEM type = %q", enc.Type)
	}
	if _, err := pkcs8.ParsePKCS8PrivateKeyRSA(enc.Bytes, []byte("wrong")); err == nil {
		t.Errorf("encrypted key opens with a wrong password")
	}
	decrypted, err := pkcs8.ParsePKCS8PrivateKeyRSA(enc.Bytes, []byte(emulator.DemoKeyPassword))
	if err != nil {
		t.Fatalf("decrypt with DemoKeyPassword: %v", err)
	}
	for name, k := range map[string]*rsa.PrivateKey{"pkcs8": demoUserKey(t), "pkcs1": pkcs1, "encrypted": decrypted} {
		if !k.PublicKey.Equal(want) {
			t.Errorf("%s key does not match the demo certificate", name)
		}
	}
	if cert.NotAfter.Year() < 2099 || cert.EmailAddresses[0] != emulator.DemoUser {
		t.Errorf("demo certificate: NotAfter %v, emails %v", cert.NotAfter, cert.EmailAddresses)
	}
}

func TestCertificateLoginRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	key := demoUserKey(t)
	caCert, caKey := demoCA(t)
	userCert := emulator.DemoCertificatePEM()
	now := uint64(testStart.Unix())
	subject := pkix.Name{CommonName: emulator.DemoUser}

	expired := mintCert(t, &x509.Certificate{Subject: subject,
		NotBefore: testStart.AddDate(-2, 0, 0), NotAfter: testStart.Add(-time.Second)}, caCert, &key.PublicKey, caKey)
	notYetValid := mintCert(t, &x509.Certificate{Subject: subject,
		NotBefore: testStart.Add(time.Hour), NotAfter: testStart.AddDate(1, 0, 0)}, caCert, &key.PublicKey, caKey)
	otherCAKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherCATmpl := &x509.Certificate{Subject: pkix.Name{CommonName: "Rogue CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: testStart.AddDate(-1, 0, 0), NotAfter: testStart.AddDate(1, 0, 0)}
	otherCA, _ := x509.ParseCertificate(pemBlock(t, mintCert(t, otherCATmpl, otherCATmpl, &otherCAKey.PublicKey, otherCAKey)).Bytes)
	untrusted := mintCert(t, &x509.Certificate{Subject: subject,
		NotBefore: testStart.AddDate(-1, 0, 0), NotAfter: testStart.AddDate(1, 0, 0)}, otherCA, &key.PublicKey, otherCAKey)
	// The certificate carries the CA's public key, the request is signed
	// with the user's key: a key/certificate mismatch.
	mismatched := mintCert(t, &x509.Certificate{Subject: subject,
		NotBefore: testStart.AddDate(-1, 0, 0), NotAfter: testStart.AddDate(1, 0, 0)}, caCert, &caKey.PublicKey, caKey)
	unknownUser := mintCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "nobody@example.com"},
		EmailAddresses: []string{"nobody@example.com"},
		NotBefore:      testStart.AddDate(-1, 0, 0), NotAfter: testStart.AddDate(1, 0, 0)}, caCert, &key.PublicKey, caKey)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecCert := mintCert(t, &x509.Certificate{Subject: subject,
		NotBefore: testStart.AddDate(-1, 0, 0), NotAfter: testStart.AddDate(1, 0, 0)}, caCert, &ecKey.PublicKey, caKey)

	goodV1 := certBody(t, key, "", randomData(150))
	tamperedSig := func() string {
		var m map[string]string
		json.Unmarshal([]byte(goodV1), &m)
		m["encodedData"] = base64.StdEncoding.EncodeToString(randomData(150))
		b, _ := json.Marshal(m)
		return string(b)
	}()

	tests := []struct {
		name, header, body string
		status             int
		code               string
	}{
		{"expired certificate", certHeader(t, expired, false), goodV1, 401, "FAILURE_BAD_CREDENTIAL"},
		{"certificate not yet valid", certHeader(t, notYetValid, true), goodV1, 401, "FAILURE_BAD_CREDENTIAL"},
		{"untrusted CA", certHeader(t, untrusted, false), goodV1, 401, "FAILURE_BAD_CREDENTIAL"},
		{"key does not match certificate", certHeader(t, mismatched, false), goodV1, 401, "FAILURE_BAD_CREDENTIAL"},
		{"certificate of an unknown user", certHeader(t, unknownUser, false), goodV1, 401, "FAILURE_BAD_CREDENTIAL"},
		{"ECDSA certificate", certHeader(t, ecCert, false), goodV1, 401, "FAILURE_BAD_CREDENTIAL"},
		{"signature over other data", certHeader(t, userCert, false), tamperedSig, 401, "FAILURE_BAD_CREDENTIAL"},
		{"v2 timestamp six minutes old", certHeader(t, userCert, false), certBody(t, key, "v2", v2Data(now-360, 150)), 401, "FAILURE_BAD_CREDENTIAL"},
		{"v2 timestamp six minutes ahead", certHeader(t, userCert, false), certBody(t, key, "v2", v2Data(now+360, 150)), 401, "FAILURE_BAD_CREDENTIAL"},
		{"v2 stale milliseconds", certHeader(t, userCert, false), certBody(t, key, "v2", v2Data(uint64(testStart.Add(-time.Hour).UnixMilli()), 150)), 401, "FAILURE_BAD_CREDENTIAL"},
		{"v1 with 99 random bytes", certHeader(t, userCert, false), certBody(t, key, "", randomData(99)), 401, "FAILURE_BAD_CREDENTIAL"},
		{"v2 with 99 random bytes", certHeader(t, userCert, false), certBody(t, key, "v2", v2Data(now, 99)), 401, "FAILURE_BAD_CREDENTIAL"},
		{"v2 shorter than its timestamp", certHeader(t, userCert, false), certBody(t, key, "v2", randomData(5)), 401, "FAILURE_BAD_CREDENTIAL"},
		{"header not base64", "CACertificate %%%", goodV1, 400, "FAILURE_BAD_HEADER"},
		{"header neither PEM nor DER", "CACertificate " + base64.StdEncoding.EncodeToString([]byte("hello")), goodV1, 400, "FAILURE_BAD_HEADER"},
		{"PEM without certificate", "CACertificate " + base64.StdEncoding.EncodeToString(emulator.DemoPrivateKeyPEM()), goodV1, 400, "FAILURE_BAD_HEADER"},
		{"empty header value", "CACertificate ", goodV1, 400, "FAILURE_BAD_HEADER"},
		{"body not JSON", certHeader(t, userCert, false), "encodedData=abc", 400, "FAILURE_BAD_HEADER"},
		{"body without signature", certHeader(t, userCert, false), `{"encodedData":"AAAA"}`, 400, "FAILURE_BAD_HEADER"},
		{"signature not base64", certHeader(t, userCert, false), `{"encodedData":"AAAA","encodedSignedData":"***"}`, 400, "FAILURE_BAD_HEADER"},
		{"unknown format", certHeader(t, userCert, false), certBody(t, key, "v3", v2Data(now, 150)), 400, "FAILURE_BAD_HEADER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do("POST", "/token/authenticate", tt.header, tt.body)
			wantAuthError(t, r, tt.status, tt.code)
		})
	}
}

func TestCertificateMapsUserBySubjectEmailOrCommonName(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	key := demoUserKey(t)
	caCert, caKey := demoCA(t)
	validity := func(c *x509.Certificate) *x509.Certificate {
		c.NotBefore, c.NotAfter = testStart.AddDate(-1, 0, 0), testStart.AddDate(1, 0, 0)
		return c
	}
	oidEmail := []int{1, 2, 840, 113549, 1, 9, 1}
	certs := map[string][]byte{
		"common name": mintCert(t, validity(&x509.Certificate{Subject: pkix.Name{CommonName: "DEMO.admin@example.com"}}), caCert, &key.PublicKey, caKey),
		"subject emailAddress": mintCert(t, validity(&x509.Certificate{Subject: pkix.Name{CommonName: "Demo Admin",
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidEmail, Value: emulator.DemoUser}}}}), caCert, &key.PublicKey, caKey),
	}
	for name, c := range certs {
		t.Run(name, func(t *testing.T) {
			r := h.do("POST", "/token/authenticate", certHeader(t, c, false), certBody(t, key, "v2", v2Data(uint64(testStart.Unix()), 100)))
			wantStatus(t, r, http.StatusCreated)
		})
	}
}

func TestCertificateV2CannotBeReplayed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	header := certHeader(t, emulator.DemoCertificatePEM(), false)
	body := certBody(t, demoUserKey(t), "v2", v2Data(uint64(testStart.Unix()), 150))
	wantStatus(t, h.do("POST", "/token/authenticate", header, body), http.StatusCreated)
	wantAuthError(t, h.do("POST", "/token/authenticate", header, body), 401, "FAILURE_BAD_CREDENTIAL")
}

func TestCertificateExpiryFollowsInjectedClock(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	key := demoUserKey(t)
	caCert, caKey := demoCA(t)
	short := mintCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: emulator.DemoUser},
		NotBefore: testStart.Add(-time.Hour), NotAfter: testStart.Add(time.Hour)}, caCert, &key.PublicKey, caKey)
	wantStatus(t, h.do("POST", "/token/authenticate", certHeader(t, short, false), certBody(t, key, "", randomData(100))), http.StatusCreated)
	h.clock.Advance(2 * time.Hour)
	wantAuthError(t, h.do("POST", "/token/authenticate", certHeader(t, short, false), certBody(t, key, "", randomData(100))), 401, "FAILURE_BAD_CREDENTIAL")
}
