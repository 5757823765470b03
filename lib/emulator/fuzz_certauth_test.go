package emulator_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// FuzzCertificateLogin sends arbitrary CACertificate values and bodies to
// POST /token/authenticate: the emulator must never panic (its recovery
// would answer 500), never log anyone in, and always answer the auth
// service's 400 or 401 with its JSON error body. The seeds are the demo
// certificate in both header forms with bodies that are almost right:
// fresh v2 data signed over other bytes, a v1 body, a signature by
// another key, junk.
func FuzzCertificateLogin(f *testing.F) {
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		f.Fatal(err)
	}
	certPEM := emulator.DemoCertificatePEM()
	block, _ := pem.Decode(certPEM)
	pemForm := base64.StdEncoding.EncodeToString(certPEM)
	derForm := base64.StdEncoding.EncodeToString(block.Bytes)
	keyBlock, _ := pem.Decode(emulator.DemoPrivateKeyPEM())
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		f.Fatal(err)
	}
	data := binary.BigEndian.AppendUint64(nil, uint64(time.Now().Unix()))
	data = append(data, bytes.Repeat([]byte{7}, 150)...)
	other := sha512.Sum512([]byte("not the data"))
	wrongSig, _ := rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA512, other[:])
	body := func(format string, data, sig []byte) []byte {
		b, _ := json.Marshal(map[string]string{"encodedDataFormat": format,
			"encodedData": base64.StdEncoding.EncodeToString(data), "encodedSignedData": base64.StdEncoding.EncodeToString(sig)})
		return b
	}
	f.Add(pemForm, body("v2", data, wrongSig))
	f.Add(derForm, body("v1", data[8:], wrongSig))
	f.Add(pemForm, body("v3", data, wrongSig))
	f.Add(derForm, body("", nil, nil))
	f.Add(pemForm[:len(pemForm)/2], []byte(`{"encodedData":"AAAA","encodedSignedData":"***"}`))
	f.Add("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", []byte("not json"))
	f.Add("", []byte(`{}`))
	f.Fuzz(func(t *testing.T, header string, payload []byte) {
		req := httptest.NewRequest(http.MethodPost, "/token/authenticate", bytes.NewReader(payload))
		req.Header.Set("Authorization", "CACertificate "+header)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnauthorized {
			t.Fatalf("status %d, want 400 or 401; body %s", rec.Code, rec.Body)
		}
		var answer struct{ Status, StatusMessage string }
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer.StatusMessage == "" ||
			(answer.Status != "FAILURE_BAD_HEADER" && answer.Status != "FAILURE_BAD_CREDENTIAL") {
			t.Fatalf("not the auth service's error body: %s", rec.Body)
		}
	})
}
