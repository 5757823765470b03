package emulator_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// shortTimeouts are far shorter than the trickles below last, so a server
// that enforces them always closes the connection first.
var shortTimeouts = emulator.ServerTimeouts{
	ReadHeader:  100 * time.Millisecond,
	Idle:        100 * time.Millisecond,
	BodyGrace:   100 * time.Millisecond,
	BodyMinRate: 100, // bytes a second; the trickles send 50
}

func startWithTimeouts(t *testing.T, timeouts emulator.ServerTimeouts) *emulator.Server {
	t.Helper()
	s, err := emulator.Start("", emulator.Options{Timeouts: timeouts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// trickle writes head at once, then one byte of filler every 20ms, up to
// n bytes, and reports how many it sent before the server closed the
// connection, and what the server sent back. closed is false when all n
// went through: the server waited for ever.
func trickle(t *testing.T, s *emulator.Server, head string, n int) (sent int, answer string, closed bool) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	gone := make(chan []byte, 1)
	go func() { // the server's answer, up to its closing the connection
		b, _ := io.ReadAll(conn)
		gone <- b
	}()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for sent < n {
		select {
		case b := <-gone:
			return sent, string(b), true
		case <-tick.C:
			if _, err := conn.Write([]byte("x")); err != nil {
				return sent, string(<-gone), true
			}
			sent++
		}
	}
	return sent, "", false
}

func TestServerClosesAConnectionThatTricklesItsHeaders(t *testing.T) {
	t.Parallel()
	s := startWithTimeouts(t, shortTimeouts)
	sent, _, closed := trickle(t, s, "POST /oauth/token HTTP/1.1\r\nHost: emulator\r\nX-Slow: ", 200)
	if !closed {
		t.Fatalf("the server still waited for the headers after %d bytes sent a byte at a time", sent)
	}
}

// TestServerStopsABodyThatTrickles sends a body at half the minimum rate,
// to a handler that reads it and to one that answers without (net/http
// then reads the rest itself to reuse the connection).
func TestServerStopsABodyThatTrickles(t *testing.T) {
	t.Parallel()
	for name, path := range map[string]string{"read by the handler": "/oauth/token", "left unread": "/2/0/workspaces"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := startWithTimeouts(t, shortTimeouts)
			head := "POST " + path + " HTTP/1.1\r\nHost: emulator\r\n" +
				"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
			sent, answer, closed := trickle(t, s, head, 200)
			if !closed {
				t.Fatalf("the server still read a body arriving at 50 bytes a second after %d bytes (minimum rate %d)", sent, shortTimeouts.BodyMinRate)
			}
			if answer != "" {
				resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(answer)), nil)
				if err != nil {
					t.Fatalf("the server's answer is not HTTP: %q (%v)", answer, err)
				}
				if resp.StatusCode < 400 {
					t.Errorf("a body cut off for being slow was answered %s", resp.Status)
				}
			}
		})
	}
}

func TestServerClosesAnIdleConnection(t *testing.T) {
	t.Parallel()
	s := startWithTimeouts(t, shortTimeouts)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /2/0/users/me HTTP/1.1\r\nHost: emulator\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Close {
		t.Fatal("the server closed the connection after the answer; the test needs it kept alive")
	}
	// Only a bound so that the test fails instead of hanging; the server's
	// Idle timeout is far shorter.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = br.ReadByte()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the server kept an idle connection open")
	}
	if err == nil {
		t.Fatal("the server sent bytes nobody asked for on an idle connection")
	}
}

// BenchmarkUploadBodyRate uploads 8 MiB in one request over loopback
// with the minimum body rate on (the default) and off: what the per-read
// deadlines cost.
func BenchmarkUploadBodyRate(b *testing.B) {
	data := bytes.Repeat([]byte("W1,Admin Tools,2147483648,1073741824\r\n"), (8<<20)/38)
	for name, rate := range map[string]int64{"on": 0, "off": -1} {
		b.Run(name, func(b *testing.B) {
			s, err := emulator.Start("", emulator.Options{Timeouts: emulator.ServerTimeouts{BodyMinRate: rate}})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			token := loginOver(b, s)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				req, _ := http.NewRequest("PUT", s.URL+bulkPath("/files/"+workspacesFile), bytes.NewReader(data))
				req.Header.Set("Authorization", "AnaplanAuthToken "+token)
				req.Header.Set("Content-Type", "application/octet-stream")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent {
					b.Fatalf("upload: %s", resp.Status)
				}
			}
		})
	}
}

// loginOver logs the demo user in to a started server.
func loginOver(tb testing.TB, s *emulator.Server) string {
	tb.Helper()
	login, _ := http.NewRequest("POST", s.AuthURL()+"/token/authenticate", nil)
	login.SetBasicAuth(emulator.DemoUser, emulator.DemoPassword)
	resp, err := http.DefaultClient.Do(login)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		TokenInfo struct {
			TokenValue string `json:"tokenValue"`
		} `json:"tokenInfo"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.TokenInfo.TokenValue == "" {
		tb.Fatalf("login: %s %v", resp.Status, err)
	}
	return tok.TokenInfo.TokenValue
}

// TestServerTakesALargeUploadUnderTheTimeouts uploads 8 MiB in one request
// with a minimum rate far below what loopback carries: a legitimate
// upload is not cut off.
func TestServerTakesALargeUploadUnderTheTimeouts(t *testing.T) {
	t.Parallel()
	s := startWithTimeouts(t, emulator.ServerTimeouts{ReadHeader: time.Second, Idle: time.Second, BodyGrace: 2 * time.Second, BodyMinRate: 64 << 10})
	token := loginOver(t, s)
	data := bytes.Repeat([]byte("W1,Admin Tools,2147483648,1073741824\r\n"), (8<<20)/38)
	req, _ := http.NewRequest("PUT", s.URL+bulkPath("/files/"+workspacesFile), bytes.NewReader(data))
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("uploading %d bytes: %s %s", len(data), resp.Status, body)
	}
}
