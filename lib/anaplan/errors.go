package anaplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinels for errors.Is. An *APIError matches the sentinel of its status
// class, so callers can branch without knowing the error type:
//
//	if errors.Is(err, anaplan.ErrNotFound) { ... }
var (
	ErrBadRequest   = errors.New("anaplan: bad request")           // 400
	ErrUnauthorized = errors.New("anaplan: unauthorized")          // 401
	ErrForbidden    = errors.New("anaplan: forbidden")             // 403
	ErrNotFound     = errors.New("anaplan: not found")             // 404 (also: no access, Anaplan masks 403 as 404)
	ErrConflict     = errors.New("anaplan: conflict (model busy)") // 409
	ErrRateLimited  = errors.New("anaplan: rate limited")          // 429
	ErrServer       = errors.New("anaplan: server error")          // 5xx
)

// errPrefix starts every error message of this package.
const errPrefix = "anaplan: "

// wrapf wraps err under a message of this package's, "anaplan: " and the
// formatted text. A chain of this package's errors then reads with one
// prefix: "anaplan: reading view 1 of M: GET …: 404 Not Found", not
// "anaplan: reading view 1 of M: anaplan: GET …". errors.Is and As see err.
func wrapf(err error, format string, args ...any) error {
	return &wrapError{msg: errPrefix + fmt.Sprintf(format, args...), err: err}
}

// wrapError is wrapf's error: msg (which carries the prefix), then err
// without its own.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string {
	return e.msg + ": " + strings.TrimPrefix(e.err.Error(), errPrefix)
}

func (e *wrapError) Unwrap() error { return e.err }

// maxErrorBody bounds APIError.Body: enough to see Anaplan's message, small
// enough that an HTML error page does not flood a log line.
const maxErrorBody = 2 << 10

// APIError is a non-2xx answer from Anaplan's auth service or API.
type APIError struct {
	StatusCode int
	Method     string
	URL        string // without credentials; Anaplan's query strings carry none
	// Code is Anaplan's status string when the body carries one (the auth
	// service answers e.g. "FAILURE_BAD_CREDENTIAL"); empty otherwise.
	Code string
	// Message is Anaplan's human-readable message (statusMessage, or
	// status.message on the Integration API), or a description of a body
	// that was not JSON.
	Message string
	// Body is the start of the response body (at most 2 KiB).
	Body string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Hint is the client's reading of the answer: its likely cause and
	// what to do, where the status alone would not say (a 404 names
	// which ID of the path Anaplan does not know, or that the user cannot
	// open the model). Empty when the client has nothing to add.
	Hint string

	// quoted marks a Message in Anaplan's own words (from a JSON body),
	// which Error quotes; a description of an odd body is not quoted.
	quoted bool
}

// Error is one line: what was asked (method, URL), what Anaplan answered
// (status, its message in quotes, its code) and the likely cause (Hint).
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "anaplan: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		if e.quoted {
			b.WriteString(`"` + oneLine(e.Message, 300) + `"`)
		} else {
			b.WriteString(oneLine(e.Message, 300))
		}
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Hint != "" {
		b.WriteString(" — ")
		b.WriteString(oneLine(e.Hint, 600))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and friends work.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// errorBody covers both error shapes: the auth service's
// {"status":"FAILURE_…","statusMessage":"…"} and the Integration API's
// {"status":{"code":404,"message":"Not Found"},"path":…}.
type errorBody struct {
	Status        json.RawMessage `json:"status"`
	StatusMessage string          `json:"statusMessage"`
	Message       string          `json:"message"`
}

type statusObject struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// newAPIError builds the error for a non-2xx response whose body has been
// read (body may be longer than what is kept). secrets are scrubbed from
// what is kept, in case a server echoes one.
func newAPIError(resp *http.Response, body []byte, now time.Time, secrets ...string) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     resp.Request.Method,
		URL:        resp.Request.URL.Redacted(),
		RetryAfter: retryAfterOrZero(resp.Header.Get("Retry-After"), now),
	}
	// Scrub the whole body before anything cuts it: a secret straddling
	// a cut would otherwise survive in part.
	body = []byte(scrub(string(body), secrets...))
	kept := body
	if len(kept) > maxErrorBody {
		kept = kept[:maxErrorBody]
	}
	e.Body = scrub(strings.ToValidUTF8(string(kept), "\uFFFD"), secrets...)
	if len(body) == 0 {
		return e
	}
	if !looksLikeJSON(resp.Header.Get("Content-Type"), body) {
		e.Message = scrub(notJSONMessage(e.URL, resp.Header.Get("Content-Type"), body), secrets...)
		return e
	}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		e.Message = "unreadable JSON error body"
		return e
	}
	var code string
	var obj statusObject
	switch {
	case json.Unmarshal(eb.Status, &code) == nil:
		// One short line: Error() prints it, and a body must not be able
		// to forge log lines.
		e.Code = oneLine(code, 60)
	case json.Unmarshal(eb.Status, &obj) == nil:
		e.Message = obj.Message
	}
	if eb.StatusMessage != "" {
		e.Message = eb.StatusMessage
	} else if eb.Message != "" && e.Message == "" {
		e.Message = eb.Message
	}
	e.Message = scrub(e.Message, secrets...)
	e.quoted = e.Message != ""
	return e
}

// looksLikeJSON accepts JSON media types, and bodies that start like JSON
// when the server sent no or a wrong Content-Type.
func looksLikeJSON(contentType string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		if mt == "application/json" || strings.HasSuffix(mt, "+json") {
			return true
		}
	}
	trimmed := strings.TrimLeft(string(body[:min(len(body), 64)]), " \t\r\n")
	return strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[")
}

// notJSONMessage describes a body that should have been JSON, e.g. a proxy's
// HTML error page: "expected JSON from <url>, got text/html: <title>".
func notJSONMessage(url, contentType string, body []byte) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		contentType = mt // drop "; charset=…"
	}
	if contentType == "" {
		contentType = "no Content-Type"
	}
	return fmt.Sprintf("expected JSON from %s, got %s: %s", url, contentType, firstLine(body))
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// firstLine is the most telling short line of a body: an HTML page's title,
// else its first non-blank line, cut at 120 characters.
func firstLine(body []byte) string {
	if len(body) > 8<<10 {
		body = body[:8<<10]
	}
	if m := htmlTitle.FindSubmatch(body); m != nil {
		if t := strings.Join(strings.Fields(string(m[1])), " "); t != "" {
			return oneLine(t, 120)
		}
	}
	for line := range strings.Lines(string(body)) {
		if t := strings.TrimSpace(line); t != "" {
			return oneLine(t, 120)
		}
	}
	return "(empty body)"
}

// oneLine collapses whitespace and cuts s to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// scrub removes secrets from s. Very short "secrets" are skipped: replacing
// every "a" in a message would hide more than it protects.
func scrub(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

func retryAfterOrZero(v string, now time.Time) time.Duration {
	d, _ := parseRetryAfter(v, now)
	return d
}
