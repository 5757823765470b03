// Package anaplan is a client for Anaplan's auth service and Integration
// API v2: authentication (basic and CA certificate), token lifecycle,
// retries, paging, reads of users, workspaces and models, and the bulk API
// of a model (c.Model(workspaceID, modelID)): metadata, streaming chunked
// upload and download of files, import/export/process/action tasks with
// polling, cancellation and failure dumps; and the transactional API of a
// model: lists and their items, modules, line items, views and their data,
// batched item and cell writes, large read requests streamed page by page,
// and model administration (status, calendar, versions, users).
//
// A Client is safe for concurrent use. It authenticates lazily on its first
// call, refreshes its token a few minutes before it expires, and on a 401
// re-authenticates and replays the request: again only if the new token is
// rejected too, at most three times.
package anaplan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Client talks to one Anaplan tenant (or emulator). Create it with New.
type Client struct {
	creds         Credentials
	authURL       *url.URL
	apiURL        *url.URL
	httpClient    *http.Client
	logger        *slog.Logger
	userAgent     string
	refreshMargin time.Duration
	retry         RetryPolicy
	pollInterval  time.Duration
	now           func() time.Time
	sleep         func(context.Context, time.Duration) error

	tokens tokenCache
	stored *tokenStore // on-disk token cache; nil when off
}

// New returns a client that authenticates with creds. It checks its options
// but does not touch the network (so it takes no context): the first call
// authenticates.
func New(creds Credentials, opts ...Option) (*Client, error) {
	if creds == nil {
		return nil, errors.New("anaplan: no credentials: use BasicAuth or CertificateAuth")
	}
	if err := creds.check(); err != nil {
		return nil, err
	}
	s := defaultSettings()
	for _, opt := range opts {
		opt(&s)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	authURL, err := parseBaseURL("auth URL", s.authURL)
	if err != nil {
		return nil, err
	}
	apiURL, err := parseBaseURL("API URL", s.apiURL)
	if err != nil {
		return nil, err
	}
	apiURL = withAPIVersion(apiURL) // "https://api.anaplan.com" means its /2/0
	c := &Client{
		creds:         creds,
		authURL:       authURL,
		apiURL:        apiURL,
		httpClient:    s.httpClient,
		logger:        s.logger,
		userAgent:     s.userAgent,
		refreshMargin: s.refreshMargin,
		retry:         s.retry.withDefaults(),
		pollInterval:  s.pollInterval,
		now:           s.now,
		sleep:         s.sleep,
	}
	c.tokens.closing, c.tokens.closeFlights = context.WithCancel(context.Background())
	if c.httpClient == nil {
		c.httpClient = defaultHTTPClient()
	}
	if skipsVerification(c.httpClient) {
		for _, u := range []*url.URL{authURL, apiURL} {
			if u.Scheme == "https" && !isLoopback(u.Hostname()) {
				return nil, fmt.Errorf("anaplan: the HTTP client skips TLS certificate verification (InsecureSkipVerify): "+
					"refusing to send credentials to %s that way; trust the server's CA instead (tls.Config.RootCAs)", u.Hostname())
			}
		}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c.stored = newTokenStore(s.tokenCacheDir, authURL.Hostname(), creds)
	// An expired token is still worth loading when it has an OAuth refresh token.
	if tok, obtained, ok := c.stored.load(); ok && (c.now().Before(tok.ExpiresAt) || tok.refresh != "") {
		c.tokens.set(tok, obtained)
		c.logger.Debug("anaplan: reusing cached token", "token", tok)
	}
	return c, nil
}

// AuthURL is the auth service base the client uses.
func (c *Client) AuthURL() string { return c.authURL.String() }

// APIURL is the Integration API base the client uses.
func (c *Client) APIURL() string { return c.apiURL.String() }

// String names the endpoints and the kind of credentials, nothing secret.
func (c *Client) String() string {
	return fmt.Sprintf("anaplan.Client{auth=%s api=%s credentials=%s}", c.authURL, c.apiURL, c.creds.kind())
}

// Format keeps every fmt verb (including %+v and %#v, which would otherwise
// walk into the credentials and the token) to String.
func (c *Client) Format(f fmt.State, verb rune) { formatMasked(f, verb, c.String()) }

// LogValue shows the client in structured logs as String does.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// skipsVerification reports whether hc's transport, as far as it can be
// seen (an *http.Transport, or the default one), skips TLS verification.
func skipsVerification(hc *http.Client) bool {
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	tr, ok := rt.(*http.Transport)
	return ok && tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify
}

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 5 * time.Minute
	// Lists may fetch pages in parallel (ListOptions.Concurrency) while
	// another list pages too: keep those connections for the next pages
	// instead of the transport's default of 2 idle per host.
	t.MaxIdleConnsPerHost = 8
	return &http.Client{Transport: t}
}
