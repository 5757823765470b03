package emulator_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// outcome is what a raw HTTP client saw: a full response, a response cut
// mid-body (bodyErr), or no response at all (err).
type outcome struct {
	status  int
	header  http.Header
	body    []byte
	err     error // Do failed: no response
	bodyErr error // response started, body broke
}

// String is a short form for comparing sequences of outcomes.
func (o outcome) String() string {
	switch {
	case o.err != nil:
		return "no-response"
	case o.bodyErr != nil:
		return strconv.Itoa(o.status) + "-cut"
	}
	return strconv.Itoa(o.status)
}

// freshConns is a client that opens a connection per request, so Go's
// Transport never silently replays a GET whose reused connection dropped.
func freshConns() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// try sends one request and reports what came back, never failing.
func (h *harness) try(client *http.Client, method, path, authorization string) outcome {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, nil)
	if err != nil {
		h.t.Fatalf("request %s %s: %v", method, path, err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := client.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return outcome{status: resp.StatusCode, header: resp.Header, body: body, bodyErr: err}
}

func (o outcome) response() response {
	return response{status: o.status, header: o.header, body: o.body}
}

func TestRateLimitAnswers429WithBothRetryAfterForms(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{RateLimit: 1, ExemptAuth: true}})
	token := h.login()
	forms := map[string]int{}
	const n = 30
	for range n {
		o := h.try(h.srv.Client(), "GET", "/2/0/users/me", "AnaplanAuthToken "+token)
		wantAPIError(t, o.response(), http.StatusTooManyRequests, "/2/0/users/me", "Too Many Requests")
		forms[retryAfterForm(t, o.header.Get("Retry-After"))]++
	}
	if forms["seconds"] == 0 || forms["http-date"] == 0 {
		t.Errorf("Retry-After forms over %d requests: %v, want both", n, forms)
	}
	s := h.e.Stats()
	if s.Faults[emulator.FaultRateLimit] != n || s.Requests["GET /2/0/users/me"] != n || s.Handled["GET /2/0/users/me"] != 0 {
		t.Errorf("stats = %+v, want %d rate limits, none handled", s, n)
	}
}

// retryAfterForm checks a Retry-After is 0 to 2 seconds away from the
// emulator's clock (testStart) and says which form it has.
func retryAfterForm(t *testing.T, v string) string {
	t.Helper()
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 || secs > 2 {
			t.Errorf("Retry-After %q: want 0 to 2 seconds", v)
		}
		return "seconds"
	}
	at, err := http.ParseTime(v)
	if err != nil {
		t.Fatalf("Retry-After %q is neither delta-seconds nor an HTTP-date: %v", v, err)
	}
	if wait := at.Sub(testStart); wait < 0 || wait > 2*time.Second {
		t.Errorf("Retry-After %q is %v after the emulator's clock, want 0 to 2s", v, wait)
	}
	return "http-date"
}

func TestErrorRateAnswers5xxWithTheErrorEnvelope(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{ErrorRate: 1, ExemptAuth: true, Seed: 3}})
	token := h.login()
	seen := map[string]int{}
	const n = 60
	for range n {
		o := h.try(h.srv.Client(), "GET", "/2/0/workspaces", "AnaplanAuthToken "+token)
		wantAPIError(t, o.response(), o.status, "/2/0/workspaces", http.StatusText(o.status))
		ra := o.header.Get("Retry-After")
		switch {
		case o.status == 503 && ra != "":
			retryAfterForm(t, ra)
			seen["503+Retry-After"]++
		case o.status == 500 || o.status == 502 || o.status == 503:
			if ra != "" {
				t.Errorf("%d carries Retry-After %q", o.status, ra)
			}
			seen[strconv.Itoa(o.status)]++
		default:
			t.Fatalf("status %d, want 500, 502 or 503", o.status)
		}
	}
	for _, k := range []string{"500", "502", "503", "503+Retry-After"} {
		if seen[k] == 0 {
			t.Errorf("no %s in %d requests: %v", k, n, seen)
		}
	}
	f := h.e.Stats().Faults
	if got := f[emulator.FaultError500] + f[emulator.FaultError502] + f[emulator.FaultError503]; got != n || f[emulator.FaultError500] != seen["500"] {
		t.Errorf("stats faults = %v, client saw %v", f, seen)
	}
}

// Requests the router answers 401 are never faulted, so "every route
// requires a token" stays true under any fault mix.
func TestFaultsNeverReplaceA401(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{TokenTTL: 2 * time.Second,
		Faults: emulator.Faults{RateLimit: 0.4, ErrorRate: 0.3, DropRate: 0.3, ExemptAuth: true}})
	expired := h.login()
	h.clock.Advance(2 * time.Second)
	client := freshConns()
	for _, rt := range emulator.RoutesOf(h.e) {
		if !strings.HasPrefix(rt.Pattern, "/2/0/") {
			continue
		}
		method := cmpOr(rt.Method, "GET")
		path := samplePath(rt.Pattern)
		for _, auth := range []string{"", "AnaplanAuthToken garbage", "AnaplanAuthToken " + expired} {
			for range 5 {
				o := h.try(client, method, path, auth)
				if o.err != nil || o.bodyErr != nil {
					t.Fatalf("%s %s: %v %v, want a clean 401", method, path, o.err, o.bodyErr)
				}
				wantAPIError(t, o.response(), http.StatusUnauthorized, path, "Unauthorized")
			}
		}
	}
	if f := h.e.Stats().Faults; len(f) != 0 {
		t.Errorf("faults injected on unauthenticated requests: %v", f)
	}
	// A live token is faulted (the mix above leaves no clean answer).
	if o := h.try(client, "GET", "/2/0/users/me", "AnaplanAuthToken "+h.login()); o.String() == "200" {
		t.Errorf("authenticated request not faulted: %v", o)
	}
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func TestAuthServiceIsFaultedUnlessExempt(t *testing.T) {
	t.Parallel()
	faulted := newHarness(t, emulator.Options{Faults: emulator.Faults{RateLimit: 1}})
	o := faulted.try(faulted.srv.Client(), "POST", "/token/authenticate", basic(emulator.DemoUser, emulator.DemoPassword))
	wantAPIError(t, o.response(), http.StatusTooManyRequests, "/token/authenticate", "")

	exempt := newHarness(t, emulator.Options{Faults: emulator.Faults{RateLimit: 1, ExemptAuth: true}})
	token := exempt.login()
	wantStatus(t, exempt.do("GET", "/token/validate", "AnaplanAuthToken "+token, ""), http.StatusOK)
	wantStatus(t, exempt.get("/2/0/users/me", token), http.StatusTooManyRequests)
}

func TestPathsOutsideTheServicesAreNeverFaulted(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{RateLimit: 1}})
	wantAPIError(t, h.do("GET", "/favicon.ico", "", ""), http.StatusNotFound, "/favicon.ico", "")
	if f := h.e.Stats().Faults; len(f) != 0 {
		t.Errorf("faults = %v", f)
	}
}

// sequence sends the same requests to an emulator with the given seed
// and returns what the client saw.
func sequence(t *testing.T, seed int64) []string {
	h := newHarness(t, emulator.Options{
		Faults: emulator.Faults{RateLimit: 0.2, ErrorRate: 0.2, DropRate: 0.2, Seed: seed, ExemptAuth: true}})
	token := "AnaplanAuthToken " + h.login()
	client := freshConns()
	var out []string
	for i := range 120 {
		path := [...]string{"/2/0/users/me", "/2/0/workspaces", "/2/0/models?offset=" + strconv.Itoa(i%3)}[i%3]
		out = append(out, h.try(client, "GET", path, token).String())
	}
	return out
}

func TestFaultsAreDeterministicUnderASeed(t *testing.T) {
	t.Parallel()
	a, b, c := sequence(t, 42), sequence(t, 42), sequence(t, 43)
	if strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if strings.Join(a, " ") == strings.Join(c, " ") {
		t.Errorf("seeds 42 and 43 inject the same faults: %v", a)
	}
	kinds := map[string]bool{}
	for _, o := range a {
		kinds[o] = true
	}
	for _, want := range []string{"200", "429", "no-response", "200-cut"} {
		if !kinds[want] {
			t.Errorf("seed 42 never produced %s: %v", want, a)
		}
	}
}

// Concurrent clients on different URLs do not shift each other's faults:
// decisions hang on each URL's own request count, not a shared stream.
func TestFaultsAreDeterministicUnderConcurrency(t *testing.T) {
	t.Parallel()
	paths := []string{"/2/0/users/me", "/2/0/workspaces", "/2/0/models", "/2/0/models/" + emulator.RegistryModelID}
	run := func() map[string]string {
		h := newHarness(t, emulator.Options{Faults: emulator.Faults{RateLimit: 0.3, ErrorRate: 0.3, Seed: 9, ExemptAuth: true}})
		token := "AnaplanAuthToken " + h.login()
		got := make(map[string]string)
		results := make(chan [2]string)
		for _, p := range paths {
			go func() {
				var seq []string
				for range 40 {
					seq = append(seq, h.try(h.srv.Client(), "GET", p, token).String())
				}
				results <- [2]string{p, strings.Join(seq, " ")}
			}()
		}
		for range paths {
			r := <-results
			got[r[0]] = r[1]
		}
		return got
	}
	a, b := run(), run()
	for _, p := range paths {
		if a[p] != b[p] {
			t.Errorf("%s:\n%s\n%s", p, a[p], b[p])
		}
	}
}

func TestFaultFractionsAreHonoured(t *testing.T) {
	t.Parallel()
	f := emulator.Faults{RateLimit: 0.10, ErrorRate: 0.05, DropRate: 0.05, Seed: 2024, ExemptAuth: true}
	h := newHarness(t, emulator.Options{Faults: f})
	token := "AnaplanAuthToken " + h.login()
	client := h.srv.Client()
	const n = 2000
	for i := range n {
		// Distinct URLs and repeats of the same URL both count.
		h.try(client, "GET", "/2/0/models?limit=1&offset="+strconv.Itoa(i%400), token)
	}
	s := h.e.Stats()
	total := s.Requests["GET /2/0/models"] // Go's Transport may replay a dropped GET: count what arrived
	if total < n {
		t.Fatalf("%d requests arrived, sent %d", total, n)
	}
	share := func(kinds ...string) float64 {
		sum := 0
		for _, k := range kinds {
			sum += s.Faults[k]
		}
		return float64(sum) / float64(total)
	}
	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{
		{"rate limit", share(emulator.FaultRateLimit), f.RateLimit},
		{"errors", share(emulator.FaultError500, emulator.FaultError502, emulator.FaultError503), f.ErrorRate},
		{"drops", share(emulator.FaultDropBefore, emulator.FaultDropAfter), f.DropRate},
		{"drops before acting", share(emulator.FaultDropBefore), f.DropRate / 2},
		{"drops after acting", share(emulator.FaultDropAfter), f.DropRate / 2},
	} {
		if math.Abs(c.got-c.want) > c.want*0.4 {
			t.Errorf("%s: %.3f of %d requests, want %.3f ± 40%%", c.name, c.got, total, c.want)
		}
	}
}

func TestNewRejectsInvalidFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    emulator.Faults
		want string
	}{
		{emulator.Faults{RateLimit: -0.1}, "RateLimit -0.1"},
		{emulator.Faults{ErrorRate: 1.5}, "ErrorRate 1.5"},
		{emulator.Faults{DropRate: math.NaN()}, "DropRate NaN"},
		{emulator.Faults{RateLimit: 0.5, ErrorRate: 0.4, DropRate: 0.2}, "exceeds 1"},
		{emulator.Faults{Latency: -time.Second}, "Latency -1s"},
		{emulator.Faults{DropMode: 7}, "drop mode 7"},
	} {
		_, err := emulator.New(emulator.Options{Faults: tc.f})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("New(%+v) = %v, want a one-line error mentioning %q", tc.f, err, tc.want)
		}
	}
	// Fractions that add up to exactly 1 (in floating point, a hair over) are fine.
	if _, err := emulator.New(emulator.Options{Faults: emulator.Faults{RateLimit: 0.1, ErrorRate: 0.2, DropRate: 0.7}}); err != nil {
		t.Errorf("0.1+0.2+0.7: %v", err)
	}
}

func TestFaultsStringAndDropModeText(t *testing.T) {
	t.Parallel()
	if got := (emulator.Faults{ExemptAuth: true, Seed: 5}).String(); got != "none" {
		t.Errorf("inactive faults print %q", got)
	}
	f := emulator.Faults{RateLimit: 0.1, DropRate: 0.02, DropMode: emulator.DropAfterActing, Latency: 200 * time.Millisecond, Seed: 42, ExemptAuth: true}
	if got, want := f.String(), "-rate-limit 0.1 -drop-rate 0.02 -drop-mode after -latency 200ms -seed 42 -exempt-auth"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for _, m := range []emulator.DropMode{emulator.DropMixed, emulator.DropBeforeActing, emulator.DropAfterActing} {
		text, err := m.MarshalText()
		var back emulator.DropMode
		if err != nil || back.UnmarshalText(text) != nil || back != m {
			t.Errorf("%v: round trip via %q gave %v (%v)", m, text, back, err)
		}
	}
	var m emulator.DropMode
	if err := m.UnmarshalText([]byte("sideways")); err == nil || !strings.Contains(err.Error(), "mixed, before or after") {
		t.Errorf("UnmarshalText(sideways) = %v", err)
	}
}

// The delay honours the request context: a client that gives up is not
// handled, and no goroutine is left sleeping. In a synctest bubble, over
// the in-process transport, synctest.Wait is the barrier: no polling.
func TestLatencyEndsWhenTheClientGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e, c := inProcess(t, emulator.Options{Faults: emulator.Faults{Latency: 30 * time.Second, ExemptAuth: true}})
		token := loginThrough(t, c)
		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/2/0/users/me", nil)
		req.Header.Set("Authorization", "AnaplanAuthToken "+token)
		done := make(chan error, 1)
		go func() {
			resp, err := c.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		synctest.Wait() // the request sits in the delay
		if n := e.Stats().Requests["GET /2/0/users/me"]; n != 1 {
			t.Fatalf("%d requests arrived, want 1", n)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("client: %v, want context.Canceled", err)
		}
		synctest.Wait() // the handler has seen the cancellation and returned
		s := e.Stats()
		if s.Faults[emulator.FaultCancelled] != 1 || s.Handled["GET /2/0/users/me"] != 0 {
			t.Errorf("after the client gave up: %+v, want one cancelled delay and nothing handled", s)
		}
	})
}

func TestLatencyDelaysEveryRequestInScope(t *testing.T) {
	t.Parallel()
	const latency = 30 * time.Millisecond
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{Latency: latency}})
	start := time.Now()
	token := h.login()
	wantStatus(t, h.get("/2/0/users/me", token), http.StatusOK)
	// A lower bound only: a timer never fires early, so this cannot flake.
	if elapsed := time.Since(start); elapsed < 2*latency {
		t.Errorf("two requests took %v, want at least %v", elapsed, 2*latency)
	}
	if got := h.e.Stats().Faults[emulator.FaultLatency]; got != 2 {
		t.Errorf("%d requests delayed, want 2", got)
	}
}
