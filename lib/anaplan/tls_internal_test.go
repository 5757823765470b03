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
		c, err := New(context.Background(), BasicAuth("a@example.com", "pw-123456"),
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
