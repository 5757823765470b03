package anaplan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// request is one Integration API call. Every API method builds one and hands
// it to do (JSON answers) or roundTrip (anything else, e.g. file chunks).
type request struct {
	method string
	path   string // escaped, relative to the API base, starting with "/"; see apiPath
	query  url.Values
	body   *requestBody // nil: no body
	accept string       // default application/json
	// stream leaves a 2xx body unread for the caller (downloads). Buffered
	// bodies are read inside the attempt, so a connection dropped mid-body
	// is retried like any network error.
	stream bool
	// repeatable marks a POST whose effect is the same however often it
	// is sent (setting a file's chunk count, completing an upload), so it
	// is retried after network errors and 5xx like a GET.
	repeatable bool
	// probe marks the client's own follow-up that explains an error
	// (explainNotFound): one attempt, and no explanation of its own.
	probe bool
}

// requestBody opens a fresh reader for every attempt. A body that can be
// sent only once (replayable false) is never retried or replayed.
type requestBody struct {
	contentType string
	length      int64 // -1 when unknown
	replayable  bool
	open        func() (io.ReadCloser, error)
}

// bytesBody is a replayable body over b.
func bytesBody(contentType string, b []byte) *requestBody {
	return &requestBody{
		contentType: contentType,
		length:      int64(len(b)),
		replayable:  true,
		open:        func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
	}
}

// jsonBody encodes v as a replayable JSON body.
func jsonBody(v any) (*requestBody, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, wrapf(err, "encoding request body")
	}
	return bytesBody("application/json", b), nil
}

// apiPath joins path segments, escaping each: IDs never change the path's
// shape, whatever they contain.
func apiPath(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// requireID rejects an empty ID before it turns /models/{id} into /models/.
func requireID(what, id string) error {
	if strings.TrimSpace(id) == "" {
		return fmt.Errorf("anaplan: %s ID is empty", what)
	}
	return nil
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// do sends r and decodes a JSON answer into out (nil: discard the body).
func (c *Client) do(ctx context.Context, r request, out any) error {
	resp, err := c.roundTrip(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeJSON(resp, out)
}

// roundTrip sends r with the current token, retrying per the policy, and on
// a 401 re-authenticates and replays (see maxReauthentications). It returns a 2xx response
// (whose body the caller closes) or an error: *APIError for other statuses.
func (c *Client) roundTrip(ctx context.Context, r request) (*http.Response, error) {
	u, err := url.Parse(c.apiURL.String() + r.path)
	if err != nil {
		return nil, fmt.Errorf("anaplan: bad API path %q: %w", r.path, unwrapURLError(err))
	}
	logURL := u.String()
	u.RawQuery = r.query.Encode()
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	var used Token // the token of the latest attempt, to know which one a 401 rejected
	cl := call{
		method:     r.method,
		logURL:     logURL,
		idempotent: idempotent(r.method) || r.repeatable,
		replayable: r.body == nil || r.body.replayable,
		buffer:     !r.stream,
		once:       r.probe,
		build: func(ctx context.Context) (*http.Request, error) {
			tok, err := c.Token(ctx)
			if err != nil {
				return nil, err
			}
			used = tok
			req, err := newRequest(ctx, r.method, u.String(), r.body)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", tok.authorization())
			req.Header.Set("Accept", accept)
			req.Header.Set("User-Agent", c.userAgent)
			return req, nil
		},
	}
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	// A 401 re-authenticates and replays. It does so again only when the
	// replay's token was itself a new one that expired on the way (short
	// tokens and a slow retry), never twice for one token, and at most
	// maxReauthentications times.
	rejected := map[string]bool{}
	for n := 0; resp.StatusCode == http.StatusUnauthorized && cl.replayable && n < maxReauthentications && !rejected[used.value.reveal()]; n++ {
		rejected[used.value.reveal()] = true
		drainAndClose(resp.Body)
		c.logger.InfoContext(ctx, "anaplan: token rejected, re-authenticating",
			"method", r.method, "path", logURL)
		if _, err := c.reauthenticate(ctx, used); err != nil {
			return nil, err
		}
		if resp, err = c.send(ctx, cl); err != nil {
			return nil, err
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := c.errorFrom(resp, used.value.reveal())
		c.explainNotFound(ctx, r, e)
		return nil, e
	}
	return resp, nil
}

// maxReauthentications bounds the re-authentications of one request: each
// needs a 401 on a token not rejected before, so a tenant that rejects
// every token still fails after this many logins.
const maxReauthentications = 3

// newRequest makes an *http.Request with a freshly opened body.
func newRequest(ctx context.Context, method, target string, body *requestBody) (*http.Request, error) {
	if body == nil {
		return http.NewRequestWithContext(ctx, method, target, nil)
	}
	rc, err := body.open()
	if err != nil {
		return nil, wrapf(err, "opening request body")
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	req.ContentLength = body.length
	if body.replayable {
		req.GetBody = body.open // lets net/http follow 307/308 redirects
	}
	if body.contentType != "" {
		req.Header.Set("Content-Type", body.contentType)
	}
	return req, nil
}

// errorFrom reads a non-2xx response (bounded) into an *APIError and closes it.
func (c *Client) errorFrom(resp *http.Response, secrets ...string) *APIError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := newAPIError(resp, body, c.now(), secrets...)
	c.hintAPIPath(e)
	return e
}

// doRaw sends r and returns the JSON body of the 2xx answer, unparsed, for
// callers that decode it themselves (the pager streams large pages).
func (c *Client) doRaw(ctx context.Context, r request) ([]byte, error) {
	resp, err := c.roundTrip(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return readJSONBody(resp)
}

// decodeJSON decodes a 2xx answer into out (nil: discard the body).
func decodeJSON(resp *http.Response, out any) error {
	if out == nil {
		drainAndClose(resp.Body)
		return nil
	}
	body, err := readJSONBody(resp)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		target := resp.Request.Method + " " + resp.Request.URL.Redacted()
		var syn *json.SyntaxError
		if errors.As(err, &syn) || strings.Contains(err.Error(), "unexpected end of JSON input") {
			return fmt.Errorf("anaplan: %s: the response is not valid JSON (truncated? %d bytes): %v", target, len(body), err)
		}
		return wrapf(err, "%s: decoding response", target)
	}
	return nil
}

// readJSONBody reads a 2xx body that must be JSON, with errors that name the
// URL: an HTML page where JSON belonged, or nothing at all.
func readJSONBody(resp *http.Response) ([]byte, error) {
	target := resp.Request.Method + " " + resp.Request.URL.Redacted()
	body, err := readBody(resp)
	if err != nil {
		return nil, wrapf(err, "%s: reading response", target)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("anaplan: %s: expected JSON, got an empty body (HTTP %d)", target, resp.StatusCode)
	}
	if !looksLikeJSON(resp.Header.Get("Content-Type"), body) {
		return nil, fmt.Errorf("anaplan: %s", notJSONMessage(resp.Request.URL.Redacted(), resp.Header.Get("Content-Type"), body))
	}
	return body, nil
}
