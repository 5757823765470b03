package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// demoFile is a file of the DEMO certificates in lib/emulator/demo.
func demoFile(name string) string { return filepath.Join("..", "..", "lib", "emulator", "demo", name) }

// useBasic points the script at baseURL with basic credentials.
func useBasic(t *testing.T, baseURL, user, password string) {
	t.Setenv("ANAPLAN_AUTH_URL", baseURL)
	t.Setenv("ANAPLAN_API_URL", baseURL+"/2/0")
	t.Setenv("ANAPLAN_USERNAME", user)
	t.Setenv("ANAPLAN_PASSWORD", password)
}

// useCertificate points the script at baseURL with certificate credentials.
func useCertificate(t *testing.T, baseURL, cert, key, keyPassword string) {
	t.Setenv("ANAPLAN_AUTH_URL", baseURL)
	t.Setenv("ANAPLAN_API_URL", baseURL+"/2/0")
	t.Setenv("ANAPLAN_CERT_FILE", cert)
	t.Setenv("ANAPLAN_KEY_FILE", key)
	t.Setenv("ANAPLAN_KEY_PASSWORD", keyPassword)
}

// outputs is a parent directory holding a previous run's registry in
// "previous/", and where a fresh run may create "fresh/".
type outputs struct {
	parent, previous, fresh string
	old                     map[string]string
}

func newOutputs(t *testing.T) outputs {
	t.Helper()
	o := outputs{parent: t.TempDir(), old: map[string]string{}}
	o.previous, o.fresh = filepath.Join(o.parent, "previous"), filepath.Join(o.parent, "fresh")
	if err := os.Mkdir(o.previous, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"workspaces.csv", "models.csv", "registry.csv"} {
		o.old[f] = "previous run's " + f + "\n"
		if err := os.WriteFile(filepath.Join(o.previous, f), []byte(o.old[f]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// untouched fails the test unless the previous registry is exactly as it
// was, nothing else is in the parent (no fresh dir, no temp file).
func (o outputs) untouched(t *testing.T) {
	t.Helper()
	entries, _ := os.ReadDir(o.parent)
	if len(entries) != 1 || entries[0].Name() != "previous" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the output parent holds %v after a failure, want only the previous registry", names)
	}
	files, _ := os.ReadDir(o.previous)
	if len(files) != len(o.old) {
		t.Errorf("the previous registry dir holds %d entries after a failure, want %d (a temp file left?)", len(files), len(o.old))
	}
	for name, want := range o.old {
		if got, _ := os.ReadFile(filepath.Join(o.previous, name)); string(got) != want {
			t.Errorf("%s was changed by a failed run: %q", name, got)
		}
	}
}

// TestBadInputCatalogue runs the registry script on every kind of bad
// input an admin's cron job can meet. Each must exit non-zero with one
// line that names the problem and says what to do, leave the previous
// registry untouched and no fresh directory or temp file behind, and
// never print the secret it was given.
func TestBadInputCatalogue(t *testing.T) {
	clitest.Offline(t)
	const password = "Wrong-Passw0rd-Catalogue"
	emu := impersonate(t, emulator.Demo(), nil)
	expiredCert := mintCertificate(t, time.Now().Add(-400*24*time.Hour), time.Now().Add(-35*24*time.Hour))
	notAKey := writeFile(t, "key.pem", []byte("this is not a key\n"), 0o600)
	html := `<!DOCTYPE html><html><head><title>Sign in - Corporate SSO</title></head><body><form>…</form></body></html>`

	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) []string // configures the run, returns extra args
		code  int
		want  []string // in the one-line error: the problem, then what to do
	}{
		{"wrong password", func(t *testing.T) []string {
			useBasic(t, emu, emulator.DemoUser, password)
			return nil
		}, 1, []string{"rejected the username or password", "check ANAPLAN_USERNAME and ANAPLAN_PASSWORD"}},
		{"unknown user", func(t *testing.T) []string {
			useBasic(t, emu, "nobody@example.com", password)
			return nil
		}, 1, []string{"rejected the username or password", "check ANAPLAN_USERNAME and ANAPLAN_PASSWORD"}},
		{"expired certificate", func(t *testing.T) []string {
			useCertificate(t, emu, expiredCert, demoFile("user-key.pem"), "")
			return nil
		}, 1, []string{"certificate authentication failed", "the certificate expired on"}},
		{"certificate and key that do not match", func(t *testing.T) []string {
			useCertificate(t, emu, demoFile("user.pem"), demoFile("ca-key.pem"), "")
			return nil
		}, 1, []string{"the private key does not match the certificate", "ANAPLAN_KEY_FILE="}},
		{"wrong key password", func(t *testing.T) []string {
			useCertificate(t, emu, demoFile("user.pem"), demoFile("user-key-encrypted.pem"), password)
			return nil
		}, 1, []string{"wrong password for the encrypted private key", "ANAPLAN_KEY_FILE="}},
		{"encrypted key without its password", func(t *testing.T) []string {
			useCertificate(t, emu, demoFile("user.pem"), demoFile("user-key-encrypted.pem"), "")
			return nil
		}, 1, []string{"the private key is encrypted", "set ANAPLAN_KEY_PASSWORD"}},
		{"unreadable key file", func(t *testing.T) []string {
			useCertificate(t, emu, demoFile("user.pem"), t.TempDir(), "")
			return nil
		}, 1, []string{"ANAPLAN_KEY_FILE=", "is a directory"}},
		{"missing key file", func(t *testing.T) []string {
			useCertificate(t, emu, demoFile("user.pem"), filepath.Join(t.TempDir(), "gone.pem"), "")
			return nil
		}, 1, []string{"ANAPLAN_KEY_FILE=", "no such file"}},
		{"key file that holds no key", func(t *testing.T) []string {
			useCertificate(t, emu, demoFile("user.pem"), notAKey, "")
			return nil
		}, 1, []string{"the private key is not PEM", "-----BEGIN PRIVATE KEY-----"}},
		{"malformed .env", func(t *testing.T) []string {
			env := writeFile(t, "bad.env", []byte("ANAPLAN_USERNAME=demo.admin@example.com\nANAPLAN_PASSWORD "+password+"\n"), 0o600)
			return []string{"-env", env}
		}, 1, []string{"bad.env line 2", "expected NAME=value"}},
		{"half-configured credentials", func(t *testing.T) []string {
			t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
			return nil
		}, 1, []string{"half configured", "ANAPLAN_PASSWORD is not set"}},
		{"http:// to a non-loopback host", func(t *testing.T) []string {
			useBasic(t, "http://api.example.com", emulator.DemoUser, password)
			return nil
		}, 1, []string{"plain http:// only to loopback", "use https://"}},
		{"an HTML page instead of JSON", func(t *testing.T) []string {
			useBasic(t, impersonate(t, emulator.Demo(), onPath("/2/0/workspaces", 200, "text/html; charset=utf-8", html)), emulator.DemoUser, emulator.DemoPassword)
			return nil
		}, 1, []string{"expected JSON from", "/2/0/workspaces", "got text/html", "Sign in - Corporate SSO"}},
		{"an HTML error page from a proxy", func(t *testing.T) []string {
			page := `<html><head><title>403 Forbidden</title></head><body>Blocked by proxy policy</body></html>`
			useBasic(t, impersonate(t, emulator.Demo(), onPath("/2/0/models", 403, "text/html", page)), emulator.DemoUser, emulator.DemoPassword)
			return nil
		}, 1, []string{"/2/0/models", "403 Forbidden", "got text/html"}},
		{"truncated JSON", func(t *testing.T) []string {
			useBasic(t, impersonate(t, emulator.Demo(), truncateJSON("/2/0/models")), emulator.DemoUser, emulator.DemoPassword)
			return nil
		}, 1, []string{"GET http://127.0.0.1:", "/2/0/models (offset 0)", "the body ends early (truncated?)"}},
		{"an empty 200 answer", func(t *testing.T) []string {
			useBasic(t, impersonate(t, emulator.Demo(), onPath("/2/0/workspaces", 200, "application/json", "")), emulator.DemoUser, emulator.DemoPassword)
			return nil
		}, 1, []string{"/2/0/workspaces", "empty body"}},
		{"JSON of the wrong shape", func(t *testing.T) []string {
			useBasic(t, impersonate(t, emulator.Demo(), onPath("/2/0/models", 200, "application/json", `{"models":"all of them"}`)), emulator.DemoUser, emulator.DemoPassword)
			return nil
		}, 1, []string{"/2/0/models", "models"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extra := tc.setup(t)
			out := newOutputs(t)
			for _, dir := range []string{out.previous, out.fresh} {
				res := clitest.Run(t, run, append(extra, "-out", dir)...)
				if res.Code != tc.code {
					t.Errorf("-out %s: exit %d, want %d\nstderr: %s", filepath.Base(dir), res.Code, tc.code, res.Stderr)
				}
				last := lastLine(res.Stderr)
				for _, w := range tc.want {
					if !strings.Contains(last, w) {
						t.Errorf("the error does not say %q:\n%s", w, last)
					}
				}
				if strings.Contains(res.Stdout+res.Stderr, password) {
					t.Errorf("the output contains the password:\n%s%s", res.Stdout, res.Stderr)
				}
				t.Logf("%s", last)
			}
			out.untouched(t)
		})
	}
}

// lastLine is the line main prints for a failed run.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestImportRowsThatFail: a load whose import rejects rows (here every
// model row: the W2 Models import reads the parent from the wrong column)
// exits 1 with one line that counts the failed rows and names the dump to
// read; the registry files are complete, and each dump is whole (a CSV
// with Anaplan's _Status_ and _Error_1_ columns), no temp file beside it.
func TestImportRowsThatFail(t *testing.T) {
	clitest.Offline(t)
	def := bytes.Replace(engine.ModelRegistryDefinition(), []byte(`"parent": "Workspace"`), []byte(`"parent": "Name"`), 1)
	srv, err := emulator.Start("", emulator.Options{TaskDuration: 50 * time.Millisecond,
		ModelDefinitions: map[string][]byte{emulator.RegistryModelID: def}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	useBasic(t, srv.URL, emulator.DemoUser, emulator.DemoPassword)
	out := t.TempDir()
	res := clitest.Run(t, run, "-out", out, "-load")
	dumps := filepath.Join(out, "dumps")
	last := lastLine(res.Stderr)
	if res.Code != 1 || !strings.Contains(last, "rows failed to load") || !strings.Contains(last, "see the failure dumps: "+dumps) {
		t.Fatalf("exit %d, last line %q: want 1 and the failed rows with their dumps", res.Code, last)
	}
	for _, name := range []string{"workspaces.csv", "models.csv", "registry.csv"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		parseCSV(t, name, string(b))
	}
	entries, err := os.ReadDir(dumps)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no dumps: %v", err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".dump.csv") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s in the dumps directory: a temp file left behind?", e.Name())
			continue
		}
		b, _ := os.ReadFile(filepath.Join(dumps, e.Name()))
		rows := parseCSV(t, e.Name(), string(b))
		if len(rows) < 2 || !slices.Contains(rows[0], "_Status_") || !slices.Contains(rows[0], "_Error_1_") {
			t.Errorf("%s is not a whole failure dump: %q", e.Name(), b)
		}
	}
}
