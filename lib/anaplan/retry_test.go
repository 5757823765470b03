package anaplan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// failFirst answers the first n calls with fail and the rest as the fake does.
func failFirst(f *harness, n int32, fail http.HandlerFunc) *atomic.Int32 {
	var calls atomic.Int32
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w, r)
			return
		}
		f.api(w, r)
	})
	return &calls
}

func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		apiError(w, r, code, http.StatusText(code))
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		retryAfter func(now time.Time) string
		want       time.Duration
	}{
		{"seconds", func(time.Time) string { return "7" }, 7 * time.Second},
		{"HTTP-date", func(now time.Time) string { return now.Add(12 * time.Second).Format(http.TimeFormat) }, 12 * time.Second},
		{"HTTP-date in the past", func(now time.Time) string { return now.Add(-time.Hour).Format(http.TimeFormat) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			failFirst(f, 1, func(w http.ResponseWriter, r *http.Request) {
				status(http.StatusTooManyRequests, "Retry-After", tt.retryAfter(f.clock.Now()))(w, r)
			})
			c, waits := f.client(t)
			mustMe(t, c)
			if got := waits.all(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("waits = %v, want [%s]", got, tt.want)
			}
			wantCount(t, f, meKey, 2)
		})
	}
}

func TestRetryAfterBeyondTheCapIsReturned(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	failFirst(f, 1, status(http.StatusTooManyRequests, "Retry-After", "120"))
	c, waits := f.client(t)
	_, err := c.Me(t.Context())
	var apiErr *anaplan.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, anaplan.ErrRateLimited) {
		t.Fatalf("Me = %v, want an *APIError matching ErrRateLimited", err)
	}
	if apiErr.RetryAfter != 2*time.Minute {
		t.Errorf("RetryAfter = %s, want 2m0s", apiErr.RetryAfter)
	}
	if len(waits.all()) != 0 {
		t.Errorf("waited %v for a Retry-After beyond MaxRetryAfter", waits.all())
	}
}

func TestRetriedStatuses(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusConflict, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			failFirst(f, 2, status(code))
			c, waits := f.client(t)
			mustMe(t, c)
			wantCount(t, f, meKey, 3)
			if n := len(waits.all()); n != 2 {
				t.Errorf("waited %d times, want 2", n)
			}
		})
	}
}

func TestNotRetriedStatuses(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusNotImplemented} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			t.Parallel()
			f := newHarness(t)
			failFirst(f, 1, status(code))
			c, _ := f.client(t)
			if _, err := c.Me(t.Context()); err == nil {
				t.Fatal("Me succeeded, want the error")
			}
			wantCount(t, f, meKey, 1)
		})
	}
}

func TestBackoffIsCappedExponentialWithJitter(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	failFirst(f, 1000, status(http.StatusServiceUnavailable))
	policy := anaplan.RetryPolicy{MaxAttempts: 7, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond}
	c, waits := f.client(t, anaplan.WithRetryPolicy(policy))
	_, err := c.Me(t.Context())
	if !errors.Is(err, anaplan.ErrServer) {
		t.Fatalf("Me = %v, want ErrServer after the last attempt", err)
	}
	wantCount(t, f, meKey, 7)
	ceilings := []time.Duration{100, 200, 300, 300, 300, 300}
	got := waits.all()
	if len(got) != len(ceilings) {
		t.Fatalf("waits = %v, want %d of them", got, len(ceilings))
	}
	for i, w := range got {
		if ceiling := ceilings[i] * time.Millisecond; w < 0 || w >= ceiling {
			t.Errorf("wait %d = %s, want in [0, %s)", i+1, w, ceiling)
		}
	}
}

func TestNetworkErrorRetriedForGET(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	failFirst(f, 1, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close() // drop the connection without an answer
		}
	})
	// Fresh connections, so net/http's own retry of a reused idle
	// connection does not hide the client's retry.
	noReuse := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c, waits := f.client(t, anaplan.WithHTTPClient(noReuse))
	mustMe(t, c)
	wantCount(t, f, meKey, 2)
	if len(waits.all()) != 1 {
		t.Errorf("waits = %v, want one", waits.all())
	}
}

func TestDroppedBodyRetriedForGET(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	failFirst(f, 1, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "500")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"meta":{"schema":"x"},"user":{"id":`))
		http.NewResponseController(w).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	c, _ := f.client(t)
	mustMe(t, c)
	wantCount(t, f, meKey, 2)
}

func TestContextCancelEndsRetryWait(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	answered := make(chan struct{}, 1)
	failFirst(f, 1, func(w http.ResponseWriter, r *http.Request) {
		status(http.StatusTooManyRequests, "Retry-After", "30")(w, r)
		answered <- struct{}{}
	})
	// A real sleep here: the wait must end on cancel, not after 30 s.
	c, err := anaplan.New(anaplan.BasicAuth(f.user, f.password),
		anaplan.WithAuthURL(f.srv.URL), anaplan.WithAPIURL(f.srv.URL+"/2/0"), anaplan.WithClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-answered
		cancel()
	}()
	_, err = c.Me(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Me = %v, want context.Canceled", err)
	}
	wantCount(t, f, meKey, 1)
}

func TestRetryLoggedAtWarnWithoutQuery(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	f.setModels(3)
	var calls atomic.Int32
	f.answer("GET /2/0/models", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			status(http.StatusServiceUnavailable)(w, r)
			return
		}
		f.api(w, r)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, _ := f.client(t, anaplan.WithLogger(logger))
	if _, err := anaplan.Collect(c.ListModels(t.Context(), anaplan.ListOptions{Details: true})); err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Level, Msg, Method, Path, Reason string
		Attempt                          int
		Wait                             time.Duration
	}
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("want one JSON log record, got %q: %v", buf.String(), err)
	}
	if rec.Level != "WARN" || rec.Method != "GET" || rec.Attempt != 1 || !strings.Contains(rec.Reason, "503") {
		t.Errorf("log record %+v, want WARN GET attempt 1 reason 503", rec)
	}
	if rec.Path != f.srv.URL+"/2/0/models" {
		t.Errorf("logged path %q, want %q (no query string)", rec.Path, f.srv.URL+"/2/0/models")
	}
}
