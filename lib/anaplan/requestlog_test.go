package anaplan_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// requestRecord is one "anaplan: request" debug record.
type requestRecord struct {
	Level, Msg, Method, Path, Error string
	Status, Attempt                 int
	Duration                        time.Duration
}

// TestEveryAttemptLoggedAtDebug: at debug level, each HTTP attempt is one
// record (the login, a 503 and its retry) with method, URL without query,
// status, duration and attempt; none holds the password, the token or
// the query string.
func TestEveryAttemptLoggedAtDebug(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	var calls atomic.Int32
	f.answer("GET /2/0/models", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			status(http.StatusServiceUnavailable)(w, r)
			return
		}
		f.api(w, r)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := f.client(t, anaplan.WithLogger(logger))
	if _, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{Details: true})); err != nil {
		t.Fatal(err)
	}
	var got []requestRecord
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var rec requestRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if rec.Msg == "anaplan: request" {
			got = append(got, rec)
		}
	}
	want := []requestRecord{
		{Method: "POST", Path: f.url + "/token/authenticate", Status: 201, Attempt: 1},
		{Method: "GET", Path: f.url + "/2/0/models", Status: 503, Attempt: 1},
		{Method: "GET", Path: f.url + "/2/0/models", Status: 200, Attempt: 2},
	}
	if len(got) != len(want) {
		t.Fatalf("%d request records, want %d:\n%s", len(got), len(want), buf.String())
	}
	for i, w := range want {
		g := got[i]
		if g.Level != "DEBUG" || g.Method != w.Method || g.Path != w.Path || g.Status != w.Status || g.Attempt != w.Attempt || g.Duration <= 0 {
			t.Errorf("record %d = %+v, want %s %s %d attempt %d at DEBUG with a duration", i, g, w.Method, w.Path, w.Status, w.Attempt)
		}
	}
	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	for _, secret := range []string{testPassword, basic, tok.Value(), "offset=", "limit=", "Authorization"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the log holds %.12q…:\n%s", secret, buf.String())
		}
	}
}

// TestNetworkErrorLoggedAtDebug: an attempt that got no answer logs the
// network error in place of a status.
func TestNetworkErrorLoggedAtDebug(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	failFirst(f, 1, func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	noReuse := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c, _ := f.client(t, anaplan.WithLogger(logger), anaplan.WithHTTPClient(noReuse))
	mustMe(t, c)
	var failed, retried bool
	for line := range strings.Lines(buf.String()) {
		if !strings.Contains(line, `msg="anaplan: request"`) || !strings.Contains(line, "/2/0/users/me") {
			continue
		}
		failed = failed || strings.Contains(line, "error=") && strings.Contains(line, "attempt=1") && !strings.Contains(line, "status=")
		retried = retried || strings.Contains(line, "status=200") && strings.Contains(line, "attempt=2")
	}
	if !failed || !retried {
		t.Errorf("want a record of the failed attempt 1 (error, no status) and of attempt 2 (200):\n%s", buf.String())
	}
}
