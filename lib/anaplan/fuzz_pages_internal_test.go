package anaplan

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// FuzzDecodeWorkspacesPage is FuzzDecodeModelsPage for workspaces, whose
// sizes decode through Bytes: no panic, paging ends, fails or moves on,
// and a decoded page encodes back.
func FuzzDecodeWorkspacesPage(f *testing.F) {
	f.Add([]byte(`{"meta":{"paging":{"currentPageSize":2,"totalSize":3,"offset":0}},"workspaces":[` +
		`{"id":"8a8b","name":"FP&A","active":true,"sizeAllowance":1073741824,"currentSize":873741824},` +
		`{"id":"8a8c","name":"x","active":false,"sizeAllowance":1.5E9,"currentSize":"12"}]}`))
	f.Add([]byte(`{"meta":{"paging":{"currentPageSize":0,"totalSize":0,"offset":0}}}`))
	f.Add([]byte(`{"workspaces":[{"sizeAllowance":1e300}]}`))
	f.Add([]byte(`{"workspaces":[{"currentSize":"-9223372036854775809"}],"workspaces":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, p, err := decodePage[Workspace](data, "workspaces")
		if err != nil {
			return
		}
		next, done, err := p.advance(0, len(items))
		if err == nil && !done && next <= 0 {
			t.Fatalf("paging would not move forward: next offset %d after %+v", next, p)
		}
		if _, err := json.Marshal(items); err != nil {
			t.Fatalf("decoded workspaces do not encode back: %v", err)
		}
	})
}

// FuzzCertificateFile feeds arbitrary certificate files, with the demo
// key, to CertificateAuth: no panic, and an error never repeats the key.
func FuzzCertificateFile(f *testing.F) {
	keyPEM := emulator.DemoPrivateKeyPEM()
	cert := emulator.DemoCertificatePEM()
	f.Add(cert)
	f.Add(append(append([]byte{}, emulator.DemoCAPEM()...), cert...)) // a chain, CA first
	f.Add(bytes.Replace(cert, []byte("MII"), []byte("MIJ"), 1))
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x01}}))
	f.Add(keyPEM) // the key where the certificate belongs
	var keyLines []string
	for _, l := range strings.Split(string(keyPEM), "\n") {
		if len(l) >= 40 && !strings.HasPrefix(l, "-----") {
			keyLines = append(keyLines, l)
		}
	}
	f.Fuzz(func(t *testing.T, certPEM []byte) {
		creds, err := CertificateAuth(certPEM, keyPEM, "")
		if err == nil {
			if creds.identity() == "" {
				t.Fatal("credentials without an identity")
			}
			return
		}
		for _, l := range keyLines {
			if strings.Contains(err.Error(), l) && !bytes.Contains(certPEM, []byte(l)) {
				t.Fatalf("the error repeats the key: %v", err)
			}
		}
		if strings.ContainsAny(err.Error(), "\n") {
			t.Fatalf("the error spans lines: %q", err)
		}
	})
}
