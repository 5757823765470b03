package anaplan

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestDefaultTransportVerifiesTLS: the client's own transport never skips
// certificate verification.
func TestDefaultTransportVerifiesTLS(t *testing.T) {
	t.Parallel()
	tr, ok := defaultHTTPClient().Transport.(*http.Transport)
	if !ok {
		t.Fatalf("default transport is %T", defaultHTTPClient().Transport)
	}
	if tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
		t.Fatal("the default transport skips TLS verification")
	}
}

// TestUntrustedCertificateFailsAtOnce: a server whose certificate the
// machine does not trust (a self-signed test server reached under a
// public-looking name, like a TLS-intercepting proxy would be) fails the
// login with a certificate error that says what to do, and is not
// retried: a retry cannot make the certificate trusted.
func TestUntrustedCertificateFailsAtOnce(t *testing.T) {
	t.Parallel()
	var conns, handled atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handled.Add(1) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are the point
	srv.StartTLS()
	defer srv.Close()

	// The default client's transport, dialling the test server whatever
	// the name: https://auth.anaplan-tenant.example lands on it.
	hc := defaultHTTPClient()
	hc.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	for _, base := range []string{"https://auth.anaplan-tenant.example", srv.URL} {
		conns.Store(0)
		c, err := New(BasicAuth("a@example.com", "pw-123456"),
			WithAuthURL(base), WithAPIURL(base+"/2/0"), WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Token(context.Background())
		var verify *tls.CertificateVerificationError
		if !errors.As(err, &verify) {
			t.Fatalf("%s: Token = %v, want a certificate verification error", base, err)
		}
		// The named host fails on the name, the loopback one on the CA.
		hint := certificateHint(err)
		for _, want := range []string{base + "/token/authenticate", "certificate", hint} {
			if hint == "" || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not say %q", base, err, want)
			}
		}
		if base == srv.URL && !strings.Contains(err.Error(), "never turn verification off") {
			t.Errorf("%s: error %q does not say to trust the CA rather than skip verification", base, err)
		}
		if n := conns.Load(); n != 1 {
			t.Errorf("%s: %d connections: a certificate error was retried", base, n)
		}
	}
	if handled.Load() != 0 {
		t.Error("a request reached the untrusted server's handler")
	}
}

// TestInsecureClientRefusedForRemoteHosts: TLS verification is never off
// for a host that is not loopback, even when the caller's HTTP client
// turns it off; an emulator on loopback over https may use one.
func TestInsecureClientRefusedForRemoteHosts(t *testing.T) {
	t.Parallel()
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	creds := BasicAuth("a@example.com", "pw-123456")
	for _, base := range []string{"https://auth.anaplan.com", "https://10.0.0.8:8443"} {
		_, err := New(creds, WithAuthURL(base), WithAPIURL(base+"/2/0"), WithHTTPClient(insecure))
		if err == nil || !strings.Contains(err.Error(), "InsecureSkipVerify") || !strings.Contains(err.Error(), "RootCAs") {
			t.Errorf("%s with an insecure client: %v, want a refusal naming InsecureSkipVerify and RootCAs", base, err)
		}
	}
	for _, base := range []string{"https://127.0.0.1:8443", "https://localhost:8443", "http://127.0.0.1:8080"} {
		if _, err := New(creds, WithAuthURL(base), WithAPIURL(base+"/2/0"), WithHTTPClient(insecure)); err != nil {
			t.Errorf("%s (loopback) with an insecure client: %v", base, err)
		}
	}
}
