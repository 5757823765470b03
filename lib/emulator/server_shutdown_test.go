package emulator_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestShutdownClosesConnectionsThatNeverSentARequest: Go's Transport may
// dial a spare connection that it never uses (two requests race for one
// connection, the first to finish takes both). net/http's Shutdown waits
// up to five seconds for such a connection before it counts as idle, so a
// script that stops its in-process emulator at exit hung for five seconds
// in about one run of twenty. The emulator closes them at once.
func TestShutdownClosesConnectionsThatNeverSentARequest(t *testing.T) {
	t.Parallel()
	s, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// One connection that served a request, one that never sent a byte.
	resp, err := http.Get(s.APIURL() + "/users/me")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	spare, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	waitForState(t, s)

	// Well under net/http's five-second grace for new connections: the
	// error value, not a stopwatch, says whether Shutdown waited for it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown with an unused connection open: %v, want nil", err)
	}
	spare.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := spare.Read(make([]byte, 1)); err == nil || n != 0 {
		t.Errorf("the unused connection is still open after Shutdown (read %d bytes, err %v)", n, err)
	}
}

// waitForState gives the server's accept loop a moment to register the
// spare connection (it is accepted asynchronously) by making one more
// request on a third connection, which is accepted after it.
func waitForState(t *testing.T, s *emulator.Server) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(s.APIURL() + "/users/me")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
