package anaplan

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults for the legacy regions (US1, US2, US5, US7, EU1, EU2, EU4, AP1).
// Other regions have their own hosts, e.g. https://us9.auth.anaplan.com.
const (
	DefaultAuthURL = "https://auth.anaplan.com"
	DefaultAPIURL  = "https://api.anaplan.com/2/0"
)

const (
	defaultUserAgent     = "anaplan-registry-toolkit-go/0.1"
	defaultRefreshMargin = 5 * time.Minute
	// Anaplan asks clients to poll task status no more than every 5 s.
	defaultPollInterval = 5 * time.Second
)

// Option configures a Client (see New).
type Option func(*settings)

type settings struct {
	authURL, apiURL string
	httpClient      *http.Client
	logger          *slog.Logger
	userAgent       string
	refreshMargin   time.Duration
	retry           RetryPolicy
	pollInterval    time.Duration
	now             func() time.Time
	sleep           func(context.Context, time.Duration) error
	tokenCacheDir   string
}

func defaultSettings() settings {
	return settings{
		authURL:       DefaultAuthURL,
		apiURL:        DefaultAPIURL,
		userAgent:     defaultUserAgent,
		refreshMargin: defaultRefreshMargin,
		retry:         DefaultRetryPolicy(),
		pollInterval:  defaultPollInterval,
		now:           time.Now,
		sleep:         sleepContext,
	}
}

// WithAuthURL sets the auth service base, e.g. "https://us9.auth.anaplan.com"
// or an emulator's "http://127.0.0.1:8080". Plain http is allowed only for
// loopback hosts.
func WithAuthURL(u string) Option { return func(s *settings) { s.authURL = u } }

// WithAPIURL sets the Integration API base including its version path, e.g.
// "https://us9.api.anaplan.com/2/0". Plain http only for loopback hosts.
func WithAPIURL(u string) Option { return func(s *settings) { s.apiURL = u } }

// WithHTTPClient sets the HTTP client (proxies, TLS roots, transports for
// tests). The default has no overall timeout (use contexts) but gives up on
// a server that sends no response headers for 5 minutes.
func WithHTTPClient(h *http.Client) Option { return func(s *settings) { s.httpClient = h } }

// WithLogger sets the logger for retries and token events. The default
// discards everything. Nothing logged ever contains a secret.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// WithRefreshMargin sets how long before expiresAt the token is refreshed
// (default 5 minutes of Anaplan's 35). For a token that lives shorter than
// twice the margin, the client refreshes at half its lifetime instead.
func WithRefreshMargin(d time.Duration) Option { return func(s *settings) { s.refreshMargin = d } }

// WithRetryPolicy sets the retry policy (default DefaultRetryPolicy()).
func WithRetryPolicy(p RetryPolicy) Option { return func(s *settings) { s.retry = p } }

// WithPollInterval sets how often task status is polled. Anaplan advises
// 5 s or more against the real service; emulators may go faster.
func WithPollInterval(d time.Duration) Option { return func(s *settings) { s.pollInterval = d } }

// WithClock sets the clock used for token expiry and Retry-After dates. It is
// meant for tests and for emulators that run on a fake clock, so that the
// client and the server agree on when a token expires.
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

func (s *settings) check() error {
	if s.refreshMargin < 0 {
		return fmt.Errorf("anaplan: refresh margin %s is negative", s.refreshMargin)
	}
	if s.pollInterval <= 0 {
		return fmt.Errorf("anaplan: poll interval %s must be positive", s.pollInterval)
	}
	if s.now == nil {
		return fmt.Errorf("anaplan: WithClock needs a non-nil function")
	}
	return nil
}

// CheckBaseURL reports why raw cannot be given to WithAuthURL or
// WithAPIURL, naming it what (e.g. "auth URL") in the error; nil when it
// can. Configuration layers use it to report every mistake at once.
func CheckBaseURL(what, raw string) error {
	_, err := parseBaseURL(what, raw)
	return err
}

// parseBaseURL checks a configured base URL: absolute, https (or http to a
// loopback host, for emulators), no credentials, query or fragment. The
// trailing slash is dropped so paths can be appended.
func parseBaseURL(name, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("anaplan: %s %q is not a valid URL: %v", name, raw, unwrapURLError(err))
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("anaplan: %s %q must start with https://", name, raw)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("anaplan: %s %q has no host", name, raw)
	case u.User != nil:
		return nil, fmt.Errorf("anaplan: %s must not contain credentials; configure them separately", name)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("anaplan: %s %q must not have a query or fragment", name, raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("anaplan: %s %q: plain http:// only to loopback (127.0.0.1, ::1, localhost); use https:// for %s", name, raw, u.Hostname())
	}
	if err := checkPort(u); err != nil {
		return nil, fmt.Errorf("anaplan: %s %q: %v", name, raw, err)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// checkPort refuses a port no connection can use (url.Parse accepts any
// digits): every request would fail, and before this check each one was
// retried as a network error for a minute or more.
func checkPort(u *url.URL) error {
	p := u.Port()
	if p == "" { // none, or "host:": the scheme's default port
		return nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %s is not a valid port number (1 to 65535)", p)
	}
	return nil
}

// isLoopback reports whether host is localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
