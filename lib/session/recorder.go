package session

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Recorder is an http.RoundTripper that keeps what a client sends and
// receives, so a notebook can show learners the HTTP behind a call: the
// request line, the Authorization scheme, the status and the JSON body.
//
// It keeps nothing secret: each exchange is masked as it is recorded.
// Passwords, tokens and keys are hidden; token ids, expiry times and the
// emulator's port are shown by shape. What it shows is therefore the same
// on every run against the emulator, and safe to commit.
//
// It reads every body whole before passing it on: it is meant for notebooks
// and small reads, not for bulk downloads.
type Recorder struct {
	// Transport sends the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper

	mu        sync.Mutex
	exchanges []Exchange
}

// Exchange is one recorded request and its answer, already masked.
type Exchange struct {
	Method string
	Path   string // path and query, e.g. /2/0/workspaces?limit=3&offset=0
	Status int    // 0 when no answer came
	Err    string // why no answer came, with the emulator's port masked

	request, response message
}

// message is the shown part of a request or response.
type message struct {
	headers []string  // "Name: value", masked
	body    *jsonNode // a JSON body, masked
	note    string    // what a body that is not shown holds
}

// The headers worth showing a learner: how the call authenticates and what
// format goes each way.
var (
	shownRequestHeaders  = []string{"Authorization", "Accept", "Content-Type"}
	shownResponseHeaders = []string{"Content-Type", "Retry-After"}
)

// ClientOption makes a client send its requests through r.
func (r *Recorder) ClientOption() anaplan.Option {
	return anaplan.WithHTTPClient(&http.Client{Transport: r})
}

// Exchanges returns what was recorded, in the order the answers came.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.exchanges...)
}

// Reset forgets every exchange recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges = nil
}

// RoundTrip sends req through the transport and records the exchange.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	var sent []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		sent, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}

	resp, err := next.RoundTrip(req)
	m := newMasker(req.URL)
	e := Exchange{Method: req.Method, Path: req.URL.RequestURI()}
	e.request = m.message(req.Header, shownRequestHeaders, sent)
	if err != nil {
		e.Err = m.text(err.Error())
		r.add(e)
		return nil, err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	e.Status = resp.StatusCode
	if err != nil {
		e.Err = m.text(err.Error())
		r.add(e)
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(got))
	m.received = time.Now()
	e.response = m.message(resp.Header, shownResponseHeaders, got)
	r.add(e)
	return resp, nil
}

func (r *Recorder) add(e Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges = append(r.exchanges, e)
}

// newMasker masks the port of a loopback server (the emulator), which
// differs on every run; a real tenant's hosts are stable and stay visible.
func newMasker(u *url.URL) masker {
	host, port := u.Hostname(), u.Port()
	ip := net.ParseIP(host)
	if port == "" || !(host == "localhost" || ip != nil && ip.IsLoopback()) {
		return masker{}
	}
	return masker{origin: u.Host, shownOrigin: strings.TrimSuffix(u.Host, port) + "‹port›"}
}

func (m masker) text(s string) string {
	if m.origin == "" {
		return s
	}
	return strings.ReplaceAll(s, m.origin, m.shownOrigin)
}

// message masks the shown headers and the body of one side of an exchange.
func (m masker) message(h http.Header, names []string, body []byte) message {
	var msg message
	for _, name := range names {
		if v := h.Get(name); v != "" {
			if name == "Authorization" {
				v = maskAuthorization(v)
			}
			msg.headers = append(msg.headers, name+": "+v)
		}
	}
	if len(body) == 0 {
		return msg
	}
	kind := h.Get("Content-Type")
	if strings.Contains(kind, "json") || kind == "" {
		if n, err := m.parseJSON(body); err == nil {
			msg.body = n
			return msg
		}
	}
	if kind == "" {
		kind = "data"
	}
	msg.note = fmt.Sprintf("‹%d bytes of %s›", len(body), kind)
	return msg
}

// maskAuthorization keeps the scheme of an Authorization header and hides
// its credentials. A certificate is public, so its start stays visible: it
// shows that Anaplan wants the whole PEM file in base64 ("LS0tLS1CRUdJTi"
// is "-----BEGIN").
func maskAuthorization(v string) string {
	scheme, cred, _ := strings.Cut(v, " ")
	switch scheme {
	case "Basic":
		return "Basic ‹hidden: base64 of username:password›"
	case "AnaplanAuthToken":
		return "AnaplanAuthToken ‹hidden: the tokenValue›"
	case "Bearer":
		return "Bearer ‹hidden: the OAuth access_token›"
	case "CACertificate":
		if len(cred) > 40 {
			return fmt.Sprintf("CACertificate %s…‹%d characters: the certificate PEM in base64›", cred[:20], len(cred))
		}
		return "CACertificate ‹the certificate PEM in base64›"
	}
	return scheme + " ‹hidden›"
}

// String is the request line and the status: "GET /2/0/users/me → 200 OK".
func (e Exchange) String() string {
	if e.Status == 0 {
		return e.Method + " " + e.Path + " → no answer: " + e.Err
	}
	return e.Method + " " + e.Path + " → " + statusLine(e.Status)
}

// Text shows the exchange the way HTTP messages read: the request line,
// its headers and body, then the status line, headers and body. Arrays in
// bodies show at most maxItems elements (all when maxItems < 0).
func (e Exchange) Text(maxItems int) string {
	var b strings.Builder
	b.WriteString(e.Method + " " + e.Path + "\n")
	e.request.write(&b, maxItems)
	b.WriteString("\n")
	if e.Status == 0 {
		b.WriteString("no answer: " + e.Err + "\n")
		return b.String()
	}
	b.WriteString(statusLine(e.Status) + "\n")
	e.response.write(&b, maxItems)
	return b.String()
}

func (msg message) write(b *strings.Builder, maxItems int) {
	for _, h := range msg.headers {
		b.WriteString(h + "\n")
	}
	switch {
	case msg.body != nil:
		b.WriteString("\n")
		msg.body.write(b, "", maxItems)
		b.WriteString("\n")
	case msg.note != "":
		b.WriteString("\n" + msg.note + "\n")
	}
}

func statusLine(code int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, http.StatusText(code)))
}
