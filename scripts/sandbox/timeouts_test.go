package main

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestRunCutsOffATricklingBody starts the sandbox with a short body grace
// and sends a body at a byte every 20ms (50 bytes a second, half of
// -body-min-rate): the sandbox closes the connection long before the
// 200 bytes of the trickle are through.
func TestRunCutsOffATricklingBody(t *testing.T) {
	t.Parallel()
	authURL, _, _, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-body-grace", "100ms", "-body-min-rate", "100")
	defer func() { cancel(); waitRun(t, done) }()
	conn, err := net.Dial("tcp", strings.TrimPrefix(authURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	gone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn)
		close(gone)
	}()
	io.WriteString(conn, "POST /oauth/token HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for sent := 0; sent < 200; {
		select {
		case <-gone:
			return
		case <-tick.C:
			if _, err := conn.Write([]byte("x")); err != nil {
				return
			}
			sent++
		}
	}
	t.Fatal("the sandbox still read a body arriving at 50 bytes a second after 200 bytes")
}
