package anaplan_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func noRetries() anaplan.Option {
	return anaplan.WithRetryPolicy(anaplan.RetryPolicy{MaxAttempts: 1})
}

func TestAPIErrorSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []error{anaplan.ErrBadRequest, anaplan.ErrUnauthorized, anaplan.ErrForbidden, anaplan.ErrNotFound,
		anaplan.ErrConflict, anaplan.ErrRateLimited, anaplan.ErrServer}
	tests := []struct {
		code int
		want error
	}{
		{400, anaplan.ErrBadRequest},
		{401, anaplan.ErrUnauthorized},
		{403, anaplan.ErrForbidden},
		{404, anaplan.ErrNotFound},
		{409, anaplan.ErrConflict},
		{429, anaplan.ErrRateLimited},
		{500, anaplan.ErrServer},
		{503, anaplan.ErrServer},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			f.answer(meKey, status(tt.code))
			c, _ := f.client(t, noRetries())
			_, err := c.Me(t.Context())
			var apiErr *anaplan.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("Me = %v, want an *APIError", err)
			}
			if apiErr.StatusCode != tt.code || apiErr.Method != "GET" || apiErr.URL != f.srv.URL+"/2/0/users/me" {
				t.Errorf("APIError = %+v, want %d GET %s/2/0/users/me", apiErr, tt.code, f.srv.URL)
			}
			if apiErr.Message != http.StatusText(tt.code) {
				t.Errorf("Message = %q, want status.message %q", apiErr.Message, http.StatusText(tt.code))
			}
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != (s == tt.want) {
					t.Errorf("errors.Is(%d, %v) = %t", tt.code, s, got)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Error() spans lines: %q", err)
			}
		})
	}
}

func TestAuthServiceErrorCode(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.clientWith(t, anaplan.BasicAuth(f.user, "wrong"))
	_, err := c.Token(t.Context())
	var apiErr *anaplan.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "FAILURE_BAD_CREDENTIAL" || apiErr.Message != "Invalid credentials. Verify the credentials." {
		t.Errorf("error = %#v, want Code FAILURE_BAD_CREDENTIAL and the statusMessage", apiErr)
	}
}

func TestNonJSONAnswers(t *testing.T) {
	t.Parallel()
	htmlPage := "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>\n"
	tests := []struct {
		name    string
		answer  http.HandlerFunc
		wantIs  error
		wantMsg []string
	}{
		{"HTML error page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, htmlPage)
		}, anaplan.ErrServer, []string{"expected JSON from", "/2/0/users/me", "got text/html", "502 Bad Gateway"}},
		{"HTML page with 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>Please log in\n</body></html>")
		}, nil, []string{"expected JSON from", "/2/0/users/me", "got text/html", "Please log in"}},
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"meta":{"schema":"https://api.anaplan.com/2/0/objects/user"},"user":{"id":"8a81`)
		}, nil, []string{"GET ", "/2/0/users/me", "not valid JSON"}},
		{"empty 200", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
		}, nil, []string{"/2/0/users/me", "empty body"}},
		{"JSON without the object", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"status": map[string]any{"code": 200}})
		}, nil, []string{"/users/me", `no "user"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			f.answer(meKey, tt.answer)
			c, _ := f.client(t, noRetries())
			_, err := c.Me(t.Context())
			if err == nil {
				t.Fatal("Me succeeded")
			}
			for _, want := range tt.wantMsg {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

func TestErrorsNeverCarryTheToken(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		// A careless server echoing the request's Authorization header.
		apiError(w, r, http.StatusNotFound, "nothing for "+r.Header.Get("Authorization"))
	})
	c, _ := f.client(t)
	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(t.Context())
	var apiErr *anaplan.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Me = %v, want *APIError", err)
	}
	for _, s := range []string{err.Error(), apiErr.Body, apiErr.Message, fmt.Sprintf("%+v", apiErr)} {
		if strings.Contains(s, tok.Value()) {
			t.Errorf("error text contains the token: %q", s)
		}
	}
}

func TestErrorBodyIsBounded(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, strings.Repeat("stack frame\n", 2000))
	})
	c, _ := f.client(t, noRetries())
	_, err := c.Me(t.Context())
	var apiErr *anaplan.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Me = %v", err)
	}
	if len(apiErr.Body) > 2048 || len(err.Error()) > 600 {
		t.Errorf("Body is %d bytes and Error() %d: want at most 2 KiB and one short line", len(apiErr.Body), len(err.Error()))
	}
}

// TestErrorsCarryOnePrefix: an error of this package wrapped by another
// of its layers reads with one "anaplan: " prefix, and errors.As still
// finds the *APIError inside.
func TestErrorsCarryOnePrefix(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t, noRetries())
	_, err := c.Model(bulkWS, bulkModel).ViewData(t.Context(), "102999999999", anaplan.ViewDataOptions{})
	var apiErr *anaplan.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("ViewData of an unknown view = %v, want a 404 *APIError", err)
	}
	if msg := err.Error(); strings.Count(msg, "anaplan:") != 1 || !strings.HasPrefix(msg, "anaplan: reading view 102999999999") || !strings.Contains(msg, "GET ") {
		t.Errorf("error %q: want one anaplan: prefix, what was read, then the request", msg)
	}
	_, err = anaplan.Collect(c.ListWorkspaceModels(t.Context(), "00000000000000000000000000000000", anaplan.ListOptions{}))
	if err == nil || strings.Count(err.Error(), "anaplan:") != 1 || !errors.Is(err, anaplan.ErrNotFound) {
		t.Errorf("listing an unknown workspace's models: %v; want one anaplan: prefix and ErrNotFound", err)
	}
}

// TestUnknownHostSaysSoInWords: a host DNS does not know fails at once
// with its name and what to check, not the resolver's "dial tcp: lookup
// … on …:53: no such host"; the *net.DNSError stays inside.
func TestUnknownHostSaysSoInWords(t *testing.T) {
	t.Parallel()
	attempts := 0
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts++
		return nil, &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: r.URL.Hostname(), Server: "127.0.0.53:53", IsNotFound: true}}
	})}
	c, err := anaplan.New(anaplan.BasicAuth(testUser, testPassword),
		anaplan.WithAuthURL("https://auth.anaplan.example"), anaplan.WithAPIURL("https://api.anaplan.example/2/0"), anaplan.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(t.Context())
	var dns *net.DNSError
	var notFound *anaplan.HostNotFoundError
	if !errors.As(err, &dns) || !errors.As(err, &notFound) || notFound.Host != "auth.anaplan.example" {
		t.Fatalf("Me = %v, want a *HostNotFoundError around the *net.DNSError", err)
	}
	msg := err.Error()
	for _, want := range []string{"the host auth.anaplan.example cannot be found", "ANAPLAN_AUTH_URL", "network"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "dial tcp") || strings.Contains(msg, "127.0.0.53") || strings.Count(msg, "anaplan:") != 1 {
		t.Errorf("error %q: want it in words, with one anaplan: prefix", msg)
	}
	if attempts != 1 {
		t.Errorf("%d attempts: a host that does not exist is not retried", attempts)
	}
}
