package anaplan

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how often and how long the client retries a request
// that failed in a way worth retrying (see WithRetryPolicy).
//
// Zero fields take the defaults of DefaultRetryPolicy; set MaxAttempts to 1
// to disable retries.
type RetryPolicy struct {
	// MaxAttempts counts every try, the first one included.
	MaxAttempts int
	// BaseDelay and MaxDelay shape the capped exponential backoff with full
	// jitter: before retry n the client waits a random duration in
	// [0, min(MaxDelay, BaseDelay·2^(n-1))).
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client will sit out. A
	// server asking for more ends the retries and the caller gets the
	// *APIError with its RetryAfter, to decide for itself.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is 10 attempts, 500 ms base delay, 30 s cap, and
// Retry-After honoured up to 60 s.
//
// Ten, because a busy tenant fails one request in four (429s and 5xx):
// with five attempts one request in 850 still failed, so one cron run in
// 200 (the long soak, go run ./scripts/soak, measured it); with ten it is
// one request in a million. A request that keeps failing gives up after
// about a minute of backoff (two at most), sooner if Retry-After asks for
// more than MaxRetryAfter, and at once when its context ends. Whatever the
// policy, a connection refused (nothing listens at the port) is tried at
// most three times, and an address that cannot be dialled, an unknown
// host or a refused certificate once.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 10, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second, MaxRetryAfter: time.Minute}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	return p
}

// backoff is the full-jitter wait before retry number n (1-based).
func (p RetryPolicy) backoff(n int) time.Duration {
	ceiling := p.MaxDelay
	if n-1 < 32 {
		if d := p.BaseDelay << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return rand.N(ceiling)
}

// call is one logical HTTP exchange. build makes a fresh request for every
// attempt, so bodies, signatures and tokens are never stale on a retry.
type call struct {
	method string
	// logURL is scheme, host and path only: logs never carry query strings.
	logURL string
	// idempotent requests may be retried after network errors and 5xx;
	// other requests only after 429 and 409, where the server did not act.
	idempotent bool
	// replayable is false when the body can be sent only once.
	replayable bool
	// buffer reads a 2xx body inside the attempt, so that a connection
	// dropped mid-body counts as a network error (and is retried when safe).
	buffer bool
	// once sends a single attempt whatever the policy (the client's own
	// probes, which only add detail to an error already in hand).
	once  bool
	build func(ctx context.Context) (*http.Request, error)
}

// send runs c through the HTTP client, retrying per the retry policy. It
// returns the last response whatever its status; the caller maps non-2xx.
func (cl *Client) send(ctx context.Context, c call) (*http.Response, error) {
	p := cl.retry
	for attempt := 1; ; attempt++ {
		req, err := c.build(ctx)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := cl.httpClient.Do(req)
		if err == nil && c.buffer && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			err = bufferBody(resp)
		}
		cl.logAttempt(ctx, c, attempt, resp, err, time.Since(start))
		if err != nil && ctx.Err() != nil {
			return nil, wrapf(ctx.Err(), "%s %s", c.method, c.logURL)
		}
		reason, wait, retry := cl.retryDecision(c, resp, err, attempt)
		if !retry || attempt >= p.MaxAttempts || !c.replayable || c.once {
			if err != nil {
				if hostErr := hostNotFound(err); hostErr != nil {
					return nil, wrapf(hostErr, "%s %s", c.method, c.logURL)
				}
				return nil, fmt.Errorf("anaplan: %s %s: %w%s", c.method, c.logURL, unwrapURLError(err), networkHint(err))
			}
			return resp, nil
		}
		if resp != nil {
			drainAndClose(resp.Body)
		}
		cl.logger.LogAttrs(ctx, slog.LevelWarn, "anaplan: retrying request",
			slog.String("method", c.method), slog.String("path", c.logURL),
			slog.Int("attempt", attempt), slog.String("reason", reason), slog.Duration("wait", wait))
		if err := cl.sleep(ctx, wait); err != nil {
			return nil, wrapf(err, "%s %s: gave up waiting %s to retry after %s", c.method, c.logURL, wait, reason)
		}
	}
}

// retryDecision says whether an attempt's outcome is worth another try, why,
// and how long to wait first.
func (cl *Client) retryDecision(c call, resp *http.Response, err error, attempt int) (reason string, wait time.Duration, retry bool) {
	p := cl.retry
	if err != nil {
		if !c.idempotent || permanentNetworkError(err) || connectionRefused(err) && attempt >= maxRefusedAttempts {
			return "", 0, false
		}
		return "network error: " + oneLine(unwrapURLError(err).Error(), 200), p.backoff(attempt), true
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusConflict:
		// The server refused to act, so even a POST is safe to send again.
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		// Anaplan documents 500 as transient (and Anaplan Connect retries
		// every 5xx); repeating a GET, PUT or DELETE cannot do harm.
		if !c.idempotent {
			return "", 0, false
		}
	default:
		return "", 0, false
	}
	reason = resp.Status
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), cl.now()); ok {
		if ra > p.MaxRetryAfter {
			return "", 0, false
		}
		return reason + " with Retry-After", ra, true
	}
	return reason, p.backoff(attempt), true
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// permanentNetworkError is a transport failure a retry cannot fix.
func permanentNetworkError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verify           *tls.CertificateVerificationError
	)
	var dns *net.DNSError
	var addr *net.AddrError
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &verify) ||
		// A host that does not exist will not exist in a second either
		// (a mistyped regional host); a DNS timeout is worth retrying.
		(errors.As(err, &dns) && dns.IsNotFound) ||
		// An address that cannot be dialled at all ("address 99999:
		// invalid port", a missing port) stays so: New refuses such a
		// base URL, but a redirect or a proxy setting can still name one.
		errors.As(err, &addr)
}

// maxRefusedAttempts bounds the attempts at a host that refuses the
// connection: nothing listens at that port, which a server restarting
// (a sandbox started a moment late, a load balancer's switch) mends in a
// second or two, and a wrong port or a stopped server never does. A busy
// Anaplan answers (429, 503) rather than refusing, and keeps the whole
// retry budget; a refused connection gives up after about 1.5 s of
// backoff (0.5 s and 1 s ceilings with the default policy) instead of the
// budget's minute or two.
const maxRefusedAttempts = 3

// connectionRefused reports a dial that reached the host and found
// nothing listening at the port.
func connectionRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// networkHint says what to do about a transport failure the client gave
// up on, where the error alone does not say it.
func networkHint(err error) string {
	if connectionRefused(err) {
		return " (nothing accepts connections at that host and port: check the URL's port, and that the server is running)"
	}
	return certificateHint(err)
}

// HostNotFoundError is a request to a host DNS does not know: a mistyped
// URL or region, or a machine without its network. It says so in words
// instead of "dial tcp: lookup … on …:53: no such host"; the
// *net.DNSError stays inside for errors.As.
type HostNotFoundError struct {
	Host string
	Err  *net.DNSError
}

func (e *HostNotFoundError) Error() string {
	return fmt.Sprintf("the host %s cannot be found: check the host in the URL (ANAPLAN_AUTH_URL, ANAPLAN_API_URL, "+
		"ANAPLAN_OAUTH_URL or ANAPLAN_REGION) and this machine's network connection and DNS", e.Host)
}

func (e *HostNotFoundError) Unwrap() error { return e.Err }

// hostNotFound is err as a *HostNotFoundError when DNS answered that the
// host does not exist, else nil (a DNS timeout is another matter).
func hostNotFound(err error) *HostNotFoundError {
	var dns *net.DNSError
	if !errors.As(err, &dns) || !dns.IsNotFound {
		return nil
	}
	return &HostNotFoundError{Host: dns.Name, Err: dns}
}

// certificateHint says what to do about a certificate the client refused:
// the usual cause is a TLS-inspecting proxy whose CA the machine does not
// trust, and the fix is to trust that CA, never to skip verification.
func certificateHint(err error) string {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &unknownAuthority):
		return " (the server's certificate is not signed by a CA this machine trusts: if a proxy inspects TLS, " +
			"add its CA to the system's trust store or point SSL_CERT_FILE at it; never turn verification off)"
	case errors.As(err, &hostname):
		return " (the certificate is for another host: check the URL, or the proxy in between)"
	case errors.As(err, &invalid):
		return " (the server's certificate is not valid now: check this machine's clock, or the proxy in between)"
	}
	return ""
}

// sleepContext waits d or until ctx ends. A wait that would outlive ctx's
// deadline fails at once rather than sleeping for nothing.
func sleepContext(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("the wait outlasts the context deadline: %w", context.DeadlineExceeded)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// bufferBody replaces resp.Body by its content read into memory.
func bufferBody(resp *http.Response) error {
	defer resp.Body.Close()
	b, err := readAllSized(resp.Body, resp.ContentLength)
	if err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}
	resp.Body = &bufferedBody{Reader: bytes.NewReader(b), data: b}
	return nil
}

// bufferedBody is a response body bufferBody already read into memory, so
// that readBody can hand out its bytes without a second copy.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func (*bufferedBody) Close() error { return nil }

// readBody returns the unread rest of a response body: the buffered bytes
// as they are, or whatever the body still yields.
func readBody(resp *http.Response) ([]byte, error) {
	if bb, ok := resp.Body.(*bufferedBody); ok {
		return bb.data[len(bb.data)-bb.Len():], nil
	}
	return readAllSized(resp.Body, resp.ContentLength)
}

// maxPresize caps what readAllSized allocates on the server's word alone.
const maxPresize = 64 << 20

// readAllSized reads r to the end in one allocation when size (a
// Content-Length) is known: io.ReadAll grows by doubling and, for a page of
// 5,000 models (4 MB), left about as much garbage as the page itself.
func readAllSized(r io.Reader, size int64) ([]byte, error) {
	if size <= 0 || size > maxPresize {
		return io.ReadAll(r)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead)) // ReadFrom wants MinRead spare to detect EOF
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// drainAndClose reads a little of a body so the connection can be reused.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}

// unwrapURLError drops *url.Error's "Get \"<url>\":" prefix, which would
// repeat the URL (query included) that send already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
