package session

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseEnvFile feeds arbitrary .env text to the parser: no panic, and a
// failure names the file without quoting it.
func FuzzParseEnvFile(f *testing.F) {
	f.Add([]byte("ANAPLAN_USERNAME=a@b.c\nANAPLAN_PASSWORD=\"p#w\"\n"))
	f.Add([]byte("A=\"multi\nline\"\nBAD-NAME=TopSecret123\n"))
	f.Add([]byte("export X='unterminated\r\nY=1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parseEnvFile(".env", data)
		if err == nil {
			return
		}
		if !strings.HasPrefix(err.Error(), "anaplan: .env") {
			t.Fatalf("error does not name the file and line: %v", err)
		}
		const secret = "TopSecret123"
		if bytes.Contains(data, []byte(secret)) && strings.Contains(err.Error(), secret) {
			t.Fatalf("error quotes the file: %v", err)
		}
	})
}
