package anaplan_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// TestUnusablePortRefusedByNew: a base URL whose port no connection can
// use fails New at once, naming the setting and the port, instead of
// every request being retried as a network error for a minute.
func TestUnusablePortRefusedByNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ option, what, url, port string }{
		{"api", "API URL", "http://127.0.0.1:99999", "99999"},
		{"api", "API URL", "https://api.anaplan.com:0/2/0", "0"},
		{"auth", "auth URL", "http://localhost:65536", "65536"},
	} {
		opt := anaplan.WithAPIURL(tc.url)
		if tc.option == "auth" {
			opt = anaplan.WithAuthURL(tc.url)
		}
		_, err := anaplan.New(anaplan.BasicAuth(testUser, testPassword), opt)
		if err == nil || !strings.Contains(err.Error(), tc.what) || !strings.Contains(err.Error(), "port "+tc.port+" is not a valid port number") {
			t.Errorf("New with %s %s: %v, want an error naming the %s and port %s", tc.what, tc.url, err, tc.what, tc.port)
		}
		if err := anaplan.CheckBaseURL(tc.what, tc.url); err == nil {
			t.Errorf("CheckBaseURL(%s) accepted it", tc.url)
		}
	}
	for _, ok := range []string{"http://127.0.0.1:1", "https://h:65535/2/0", "https://h:/2/0"} {
		if err := anaplan.CheckBaseURL("API URL", ok); err != nil {
			t.Errorf("CheckBaseURL(%s) = %v, want nil", ok, err)
		}
	}
}

// TestUndiallableAddressNotRetried: an address that cannot be dialled at
// all (here a redirect to port 99999) fails on the first attempt.
func TestUndiallableAddressNotRetried(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:99999/2/0/users/me", http.StatusTemporaryRedirect)
	})
	c, waits := f.client(t)
	_, err := c.Me(t.Context())
	if err == nil || !strings.Contains(err.Error(), "invalid port") {
		t.Fatalf("Me = %v, want the dial's invalid port", err)
	}
	wantCount(t, f, meKey, 1)
	if len(waits.all()) != 0 {
		t.Errorf("waited %v before giving up on an address that cannot be dialled", waits.all())
	}
}

// TestConnectionRefusedRetriedBriefly: a port nothing listens on is tried
// three times (waits under 0.5 s and 1 s with the default policy), not
// for the minute or two of the full budget, which the busy tenant's 429s
// and 503s keep (TestRetriedStatuses).
func TestConnectionRefusedRetriedBriefly(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close() // nothing listens there now: connections are refused
	w := &waits{}
	c, err := anaplan.New(anaplan.BasicAuth(testUser, testPassword),
		anaplan.WithAuthURL(closed), anaplan.WithAPIURL(closed+"/2/0"), anaplan.WithSleep(w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(t.Context())
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "nothing accepts connections") {
		t.Errorf("Me = %v, want a refused connection and what to check", err)
	}
	got := w.all()
	ceilings := []time.Duration{500 * time.Millisecond, time.Second}
	if len(got) != len(ceilings) {
		t.Fatalf("waits %v: want %d (three attempts)", got, len(ceilings))
	}
	for i, d := range got {
		if d < 0 || d >= ceilings[i] {
			t.Errorf("wait %d = %s, want in [0, %s)", i+1, d, ceilings[i])
		}
	}
}
