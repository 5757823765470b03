package main

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestVerboseLogsEachRequest: with -v, the script logs one line per HTTP
// request it made to the emulator (the login and each page of the list),
// naming method, path, status, duration and attempt; no line holds the
// password, the basic-auth header or a token the emulator issued.
func TestVerboseLogsEachRequest(t *testing.T) {
	clitest.Offline(t)
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var mu sync.Mutex
	var served []string         // "METHOD /path" of every request
	tokens := map[string]bool{} // every token the script sent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served = append(served, r.Method+" "+r.URL.Path)
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AnaplanAuthToken "); ok {
			tokens[tok] = true
		}
		mu.Unlock()
		e.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	t.Setenv("ANAPLAN_AUTH_URL", srv.URL)
	t.Setenv("ANAPLAN_API_URL", srv.URL+"/2/0")
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)

	res := clitest.Run(t, run, "-v", "-sort", "+name")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	var logged []string
	for line := range strings.Lines(res.Stderr) {
		if strings.Contains(line, `msg="anaplan: request"`) {
			logged = append(logged, line)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(served) < 2 || len(logged) != len(served) {
		t.Fatalf("%d requests served (%v), %d logged:\n%s", len(served), served, len(logged), res.Stderr)
	}
	for i, req := range served {
		method, path, _ := strings.Cut(req, " ")
		for _, want := range []string{"method=" + method, "path=" + srv.URL + path + " ", "status=", "duration=", "attempt=1"} {
			if !strings.Contains(logged[i], want) {
				t.Errorf("line %d for %s lacks %q: %s", i+1, req, want, logged[i])
			}
		}
	}
	if len(tokens) == 0 {
		t.Fatal("the script sent no token: the scan below would prove nothing")
	}
	secrets := []string{emulator.DemoPassword, base64.StdEncoding.EncodeToString([]byte(emulator.DemoUser + ":" + emulator.DemoPassword))}
	for tok := range tokens {
		secrets = append(secrets, tok)
	}
	for _, s := range secrets {
		if strings.Contains(res.Stdout+res.Stderr, s) {
			t.Errorf("the output holds a secret (%.8s…):\n%s", s, res.Stderr)
		}
	}
}
