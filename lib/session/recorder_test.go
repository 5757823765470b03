package session_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// recorded starts the demo emulator over real HTTP on a loopback port and
// returns a client for creds whose traffic goes through a new recorder.
func recorded(t *testing.T, creds anaplan.Credentials) (*anaplan.Client, *session.Recorder, *httptest.Server) {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	rec := &session.Recorder{}
	c, err := anaplan.New(creds,
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), rec.ClientOption())
	if err != nil {
		t.Fatal(err)
	}
	return c, rec, srv
}

func demoBasic() anaplan.Credentials {
	return anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword)
}

func only(t *testing.T, rec *session.Recorder) session.Exchange {
	t.Helper()
	ex := rec.Exchanges()
	if len(ex) != 1 {
		t.Fatalf("recorded %d exchanges, want 1: %v", len(ex), ex)
	}
	return ex[0]
}

func TestRecorderShowsLoginMasked(t *testing.T) {
	t.Parallel()
	c, rec, srv := recorded(t, demoBasic())
	tok, err := c.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	text := only(t, rec).Text(-1)

	for _, want := range []string{
		"POST /token/authenticate\nAuthorization: Basic ‹hidden: base64 of username:password›\n",
		"\n201 Created\nContent-Type: application/json\n\n{\n",
		`"validationUrl": "http://127.0.0.1:‹port›/token/validate"`,
		`"status": "SUCCESS"`,
		`"tokenValue": ‹hidden: 43 characters›`,
		`"tokenId": ‹varies: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx›`,
		`"expiresAt": ‹epoch ms: now + 35m›`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the login shows\n%s\nwant it to contain %q", text, want)
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(emulator.DemoUser + ":" + emulator.DemoPassword))
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, secret := range []string{tok.Value(), tok.ID, tok.RefreshID, emulator.DemoPassword, basic, port} {
		if strings.Contains(text, secret) {
			t.Errorf("the login shows %q, which is secret or differs on every run:\n%s", secret, text)
		}
	}
	// The members keep Anaplan's order: tokenInfo comes after status.
	if strings.Index(text, `"status"`) > strings.Index(text, `"tokenInfo"`) {
		t.Errorf("members are reordered:\n%s", text)
	}
}

// TestRecorderIsReproducible is what notebooks rely on: two logins, with
// different tokens on different ports, show the same text.
func TestRecorderIsReproducible(t *testing.T) {
	t.Parallel()
	var texts []string
	for range 2 {
		c, rec, _ := recorded(t, demoBasic())
		if _, err := c.Me(context.Background()); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, e := range rec.Exchanges() {
			b.WriteString(e.Text(-1))
		}
		texts = append(texts, b.String())
	}
	if texts[0] != texts[1] {
		t.Errorf("two runs show different exchanges:\n%s\n---\n%s", texts[0], texts[1])
	}
	if !strings.Contains(texts[0], "GET /2/0/users/me\nAuthorization: AnaplanAuthToken ‹hidden: the tokenValue›\nAccept: application/json\n") {
		t.Errorf("the API call does not show its masked token header:\n%s", texts[0])
	}
}

func TestRecorderShowsPaging(t *testing.T) {
	t.Parallel()
	c, rec, _ := recorded(t, demoBasic())
	ctx := context.Background()
	if _, err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	rec.Reset()
	ws, err := anaplan.Collect(c.ListWorkspaces(ctx, anaplan.ListOptions{Details: true, PageSize: 3}))
	if err != nil {
		t.Fatal(err)
	}
	ex := rec.Exchanges()
	var lines []string
	for _, e := range ex {
		lines = append(lines, e.String())
	}
	want := []string{
		"GET /2/0/workspaces?limit=3&offset=0&tenantDetails=true → 200 OK",
		"GET /2/0/workspaces?limit=3&offset=3&tenantDetails=true → 200 OK",
		"GET /2/0/workspaces?limit=3&offset=6&tenantDetails=true → 200 OK",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") || len(ws) != 7 {
		t.Fatalf("paging 7 workspaces by 3 recorded\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	first := ex[0].Text(1)
	for _, w := range []string{
		`"schema": "http://127.0.0.1:‹port›/2/0/objects/workspace"`,
		`"currentPageSize": 3`, `"totalSize": 7`,
		`"next": "http://127.0.0.1:‹port›/2/0/workspaces?limit=3&offset=3&tenantDetails=true"`,
		`"sizeAllowance": `, "‹2 more›",
	} {
		if !strings.Contains(first, w) {
			t.Errorf("the first page shows\n%s\nwant it to contain %q", first, w)
		}
	}
	if strings.Count(first, `"id": `) != 1 {
		t.Errorf("Text(1) shows more than one workspace:\n%s", first)
	}
}

func TestRecorderShowsCertificateLogin(t *testing.T) {
	t.Parallel()
	creds, err := anaplan.CertificateAuth(emulator.DemoCertificatePEM(), emulator.DemoEncryptedKeyPEM(), emulator.DemoKeyPassword)
	if err != nil {
		t.Fatal(err)
	}
	c, rec, _ := recorded(t, creds)
	if _, err := c.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	text := only(t, rec).Text(-1)
	for _, want := range []string{
		"Authorization: CACertificate LS0tLS1CRUdJTiBDRVJU…‹",
		"characters: the certificate PEM in base64›",
		"Content-Type: application/json\n\n{\n",
		`"encodedDataFormat": "v2"`,
		`"encodedData": ‹varies: `,
		`"encodedSignedData": ‹varies: `,
		"201 Created",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate login shows\n%s\nwant it to contain %q", text, want)
		}
	}
	if strings.Contains(text, "PRIVATE KEY") || strings.Contains(text, emulator.DemoKeyPassword) {
		t.Errorf("the certificate login shows key material:\n%s", text)
	}
}

// roundTrip is a transport answering with a fixed response or error.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRecorderShowsBodiesThatAreNotJSON(t *testing.T) {
	t.Parallel()
	rec := &session.Recorder{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": {"text/csv"}},
			Body:       io.NopCloser(strings.NewReader("Code,Name\n" + string(body))),
		}, nil
	})}
	req, _ := http.NewRequest("PUT", "https://api.anaplan.com/2/0/files/113000000000", strings.NewReader("a,b\n"))
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := (&http.Client{Transport: rec}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	if string(got) != "Code,Name\na,b\n" {
		t.Errorf("the response body passed on is %q, want the server's whole body", got)
	}
	text := only(t, rec).Text(-1)
	for _, want := range []string{"‹4 bytes of application/octet-stream›", "‹14 bytes of text/csv›", "PUT /2/0/files/113000000000"} {
		if !strings.Contains(text, want) {
			t.Errorf("shows\n%s\nwant it to contain %q", text, want)
		}
	}
}

func TestRecorderRecordsFailuresWithoutThePort(t *testing.T) {
	t.Parallel()
	refused := errors.New(`dial tcp 127.0.0.1:40123: connect: connection refused`)
	rec := &session.Recorder{Transport: roundTrip(func(*http.Request) (*http.Response, error) { return nil, refused })}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:40123/2/0/users/me", nil)
	if _, err := (&http.Client{Transport: rec}).Do(req); err == nil {
		t.Fatal("the request succeeded, want the transport's error")
	}
	e := only(t, rec)
	if e.Status != 0 || strings.Contains(e.String(), "40123") || !strings.Contains(e.String(), "no answer: dial tcp 127.0.0.1:‹port›") {
		t.Errorf("a failed request records as %q (status %d)", e, e.Status)
	}
}

func TestExchangeFormatsWithoutSecrets(t *testing.T) {
	t.Parallel()
	c, rec, _ := recorded(t, demoBasic())
	tok, err := c.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e := only(t, rec)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, e); strings.Contains(s, tok.Value()) || strings.Contains(s, emulator.DemoPassword) {
			t.Errorf("fmt %s of an exchange shows a secret: %s", verb, s)
		}
	}
}
