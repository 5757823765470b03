package emulator_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestStartServesOverTCP(t *testing.T) {
	t.Parallel()
	s, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || s.AuthURL() != s.URL || s.APIURL() != s.URL+"/2/0" {
		t.Errorf("URL %q AuthURL %q APIURL %q", s.URL, s.AuthURL(), s.APIURL())
	}
	req, _ := http.NewRequest("POST", s.AuthURL()+"/token/authenticate", nil)
	req.SetBasicAuth(emulator.DemoUser, emulator.DemoPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("login over TCP: %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(s.APIURL() + "/users/me"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestStartRefusesNonLoopbackAddresses(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "no-port"} {
		if s, err := emulator.Start(addr, emulator.Options{}); err == nil {
			s.Close()
			t.Errorf("Start(%q) accepted", addr)
		} else if !strings.Contains(err.Error(), addr) {
			t.Errorf("Start(%q): %v, want the address named", addr, err)
		}
	}
	for _, addr := range []string{"localhost:0", "127.0.0.1:0"} {
		s, err := emulator.Start(addr, emulator.Options{})
		if err != nil {
			t.Errorf("Start(%q): %v", addr, err)
			continue
		}
		s.Close()
	}
	s, err := emulator.Start("0.0.0.0:0", emulator.Options{AllowRemote: true})
	if err != nil {
		t.Fatalf("AllowRemote: %v", err)
	}
	s.Close()
}
