package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSandboxNeverLogsCredentialsOrTokens: with -v the sandbox logs every
// request (and every injected fault); none of its output may hold the
// password, the basic-auth header, or a token it issued, even when a
// client sends them where they do not belong.
func TestSandboxNeverLogsCredentialsOrTokens(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-v", "-error-rate", "0.3", "-seed", "3"}, io.MultiWriter(pw, &stdout), &stderr)
		pw.Close()
	}()
	var authURL string
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), "  ANAPLAN_AUTH_URL="); ok {
			authURL = v
		}
		if strings.HasPrefix(lines.Text(), "Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if authURL == "" {
		cancel()
		t.Fatalf("no URL in the banner (run: %v)", <-done)
	}

	basic := base64.StdEncoding.EncodeToString([]byte(emulator.DemoUser + ":" + emulator.DemoPassword))
	send := func(method, path, authorization string) string {
		req, _ := http.NewRequest(method, authURL+path, nil)
		req.Header.Set("Authorization", authorization)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return between(string(b), `"tokenValue":"`, `"`)
	}
	var tokens []string
	for range 10 { // some logins meet injected 5xx
		if tok := send("POST", "/token/authenticate", "Basic "+basic); tok != "" {
			tokens = append(tokens, tok)
		}
	}
	if len(tokens) == 0 {
		t.Fatal("no login succeeded")
	}
	for _, tok := range tokens {
		send("GET", "/2/0/workspaces?tenantDetails=true", "AnaplanAuthToken "+tok)
		send("POST", "/token/refresh", "AnaplanAuthToken "+tok)
		send("GET", "/2/0/users/me?token="+tok, "Basic "+basic) // credentials where they do not belong
		send("POST", "/token/logout", "AnaplanAuthToken "+tok)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	out := stdout.String() + stderr.String()
	if !strings.Contains(out, "emulator request") || !strings.Contains(out, "emulator fault") {
		t.Fatalf("-v logged no requests or no faults:\n%s", out)
	}
	for _, secret := range append([]string{emulator.DemoPassword, basic}, tokens...) {
		if strings.Contains(out, secret) {
			t.Errorf("the sandbox's output contains a secret (%.8s…):\n%s", secret, out)
		}
	}
}
