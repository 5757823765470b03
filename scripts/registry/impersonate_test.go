package main

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// rewrite changes one answer of the emulator: it gets the request and the
// emulator's response (status, header, body) and writes what the client
// should see instead. Returning false passes the answer through.
type rewrite func(w http.ResponseWriter, r *http.Request, status int, header http.Header, body []byte) bool

// impersonate serves tenant through the emulator, behind a handler that
// lets rewrite replace answers: an API that answers HTML, truncated JSON,
// extra fields or fewer workspaces than the emulator would. It returns the
// base URL (auth service and API on one host, like the emulator).
func impersonate(t *testing.T, tenant *emulator.Tenant, rw rewrite) string {
	t.Helper()
	e, err := emulator.New(emulator.Options{Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, r)
		if rw != nil && rw(w, r, rec.Code, rec.Header(), rec.Body.Bytes()) {
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// onPath rewrites the answers to one path with a fixed status, content
// type and body.
func onPath(path string, status int, contentType, body string) rewrite {
	return func(w http.ResponseWriter, r *http.Request, _ int, _ http.Header, _ []byte) bool {
		if r.URL.Path != path {
			return false
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write([]byte(body))
		return true
	}
}

// editJSON rewrites the 200 JSON answers to path through edit.
func editJSON(t *testing.T, path string, edit func(doc map[string]any)) rewrite {
	return func(w http.ResponseWriter, r *http.Request, status int, header http.Header, body []byte) bool {
		if r.URL.Path != path || status != http.StatusOK {
			return false
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Errorf("emulator answer to %s is not JSON: %v", path, err)
			return false
		}
		edit(doc)
		out, _ := json.Marshal(doc)
		writeRaw(w, header, out)
		return true
	}
}

// writeRaw writes a 200 JSON answer with exactly these bytes.
func writeRaw(w http.ResponseWriter, header http.Header, body []byte) {
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// truncateJSON cuts the 200 answers to path in half; the Content-Length
// matches what is sent, so the transport sees a complete response of
// broken JSON (a proxy that buffered part of it), not a dropped connection.
func truncateJSON(path string) rewrite {
	return func(w http.ResponseWriter, r *http.Request, status int, header http.Header, body []byte) bool {
		if r.URL.Path != path || status != http.StatusOK {
			return false
		}
		writeRaw(w, header, body[:len(body)/2])
		return true
	}
}

// mintCertificate signs a certificate for the demo user's key with the
// DEMO CA, valid from notBefore to notAfter, and writes it to a file.
func mintCertificate(t *testing.T, notBefore, notAfter time.Time) string {
	t.Helper()
	caCert := parseCert(t, emulator.DemoCAPEM())
	caKey := parseKey(t, emulator.DemoCAKeyPEM())
	userKey := parseKey(t, emulator.DemoPrivateKeyPEM())
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(time.Now().UnixNano()),
		Subject:        pkix.Name{CommonName: emulator.DemoUser},
		EmailAddresses: []string{emulator.DemoUser},
		NotBefore:      notBefore,
		NotAfter:       notAfter,
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, userKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "expired.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func parseCert(t *testing.T, p []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(p)
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func parseKey(t *testing.T, p []byte) crypto.Signer {
	t.Helper()
	block, _ := pem.Decode(p)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(crypto.Signer)
}

func writeFile(t *testing.T, name string, content []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, mode); err != nil {
		t.Fatal(err)
	}
	return path
}
