package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// startRun runs the sandbox in the background and returns the URLs it
// printed, a cancel func, and a channel with run's result.
func startRun(t *testing.T, args ...string) (authURL, apiURL string, banner *strings.Builder, cancel context.CancelFunc, done chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done = make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	banner = &strings.Builder{}
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		line := lines.Text()
		banner.WriteString(line + "\n")
		if v, ok := strings.CutPrefix(line, "  ANAPLAN_AUTH_URL="); ok {
			authURL = v
		}
		if v, ok := strings.CutPrefix(line, "  ANAPLAN_API_URL="); ok {
			apiURL = v
		}
		if strings.HasPrefix(line, "Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, pr) // drain the rest (the "stopped" line)
	if authURL == "" || apiURL == "" {
		cancel()
		t.Fatalf("no URLs in banner:\n%s (run: %v)", banner, <-done)
	}
	return authURL, apiURL, banner, cancel, done
}

func waitRun(t *testing.T, done chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	t.Parallel()
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-token-ttl", "2m")
	if apiURL != authURL+"/2/0" || !strings.HasPrefix(authURL, "http://127.0.0.1:") {
		t.Errorf("auth URL %q, API URL %q", authURL, apiURL)
	}
	if strings.Contains(banner.String(), emulator.DemoPassword) {
		t.Errorf("banner prints the password")
	}
	for _, want := range []string{emulator.DemoUser, "lib/emulator/demo/README.md", "token TTL: 2m0s", "demo tenant"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if strings.Contains(banner.String(), "faults:") {
		t.Errorf("banner lists faults when none are on:\n%s", banner)
	}

	login(t, authURL)
	cancel()
	waitRun(t, done)
	if _, err := http.Get(apiURL + "/users/me"); err == nil {
		t.Error("server still answers after run returned")
	}
}

func TestRunServesAGeneratedTenantWithPersistentState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-models", "600", "-state", dir)
	if !strings.Contains(banner.String(), "generated tenant (2 workspaces, 600 models)") || !strings.Contains(banner.String(), dir) {
		t.Errorf("banner:\n%s", banner)
	}
	token, _ := login(t, authURL)
	cancel()
	waitRun(t, done)

	// A restart on the same state directory still knows the token.
	_, apiURL, _, cancel, done = startRun(t, "-addr", "127.0.0.1:0", "-models", "600", "-state", dir)
	defer func() { cancel(); waitRun(t, done) }()
	req, _ := http.NewRequest("GET", apiURL+"/users/me", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("token after restart: status %d", resp.StatusCode)
	}
}

// TestRunAdvancesTheTenant serves the demo tenant a week on: the models
// the emulator created in that week are there, named for their day.
func TestRunAdvancesTheTenant(t *testing.T) {
	t.Parallel()
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-advance", "7d")
	defer func() { cancel(); waitRun(t, done) }()
	_, events := emulator.Demo().Advance(7, 1)
	if !strings.Contains(banner.String(), fmt.Sprintf("moved 7 days on (%d changes)", len(events))) {
		t.Errorf("banner:\n%s", banner)
	}
	token, _ := login(t, authURL)
	req, _ := http.NewRequest("GET", apiURL+"/models", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	created := 0
	for _, e := range events {
		if e.Kind == emulator.EventCreated {
			created++
			if !strings.Contains(string(body), e.ModelID) || !strings.Contains(string(body), e.At.Format("2006-01-02")) {
				t.Errorf("the model created on day %d (%s) is not served", e.Day, e.ModelID)
			}
		}
	}
	if created == 0 {
		t.Error("a week made no model")
	}
}

// login logs in to a running sandbox as the demo user, requiring Anaplan's
// 201, and returns the token and its expiry.
func login(t *testing.T, authURL string) (token string, expiresAt time.Time) {
	t.Helper()
	req, _ := http.NewRequest("POST", authURL+"/token/authenticate", nil)
	req.SetBasicAuth(emulator.DemoUser, emulator.DemoPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		TokenInfo struct {
			TokenValue string
			ExpiresAt  int64
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("login: status %d, %v", resp.StatusCode, err)
	}
	return answer.TokenInfo.TokenValue, time.UnixMilli(answer.TokenInfo.ExpiresAt)
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}

func TestRunRejectsBadArguments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "-nope"},
		{[]string{"-token-ttl", "0s"}, "-token-ttl"},
		{[]string{"-token-ttl", "soon"}, "token-ttl"},
		{[]string{"-models", "-1"}, "-models -1: want a count of 1 or more"},
		{[]string{"-workspaces", "-2"}, "-workspaces -2: want a count"},
		{[]string{"-seed", "abc"}, `invalid value "abc" for flag -seed: not a whole number`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-addr", "0.0.0.0:0"}, "-allow-remote"},
		{[]string{"-addr", "nonsense"}, "nonsense"},
		{[]string{"-rate-limit", "1.5"}, "-rate-limit 1.5: want a fraction"},
		{[]string{"-error-rate", "-0.1"}, "-error-rate -0.1: want a fraction"},
		{[]string{"-drop-rate", "NaN"}, "-drop-rate NaN: want a fraction"},
		{[]string{"-rate-limit", "0.5", "-error-rate", "0.3", "-drop-rate", "0.3"}, "= 1.1: want at most 1"},
		{[]string{"-latency", "-1s"}, "-latency -1s"},
		{[]string{"-latency", "slow"}, "-latency"},
		{[]string{"-drop-mode", "sideways"}, "want mixed, before or after"},
		{[]string{"-seed", "x"}, "-seed"},
		{[]string{"-advance", "a week"}, `-advance "a week": want a number of days`},
		{[]string{"-advance", "-2d"}, "-advance"},
		{[]string{"-idle-timeout", "0s"}, "-idle-timeout 0s"},
		{[]string{"-header-timeout", "-1s"}, "-header-timeout -1s"},
		{[]string{"-body-min-rate", "0"}, "-body-min-rate 0: want a positive number"},
	} {
		var stdout bytes.Buffer
		err := run(context.Background(), tc.args, &stdout, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("run(%q) = %v, want a one-line error mentioning %q", tc.args, err, tc.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("run(%q) printed %q", tc.args, stdout.String())
		}
		if msg := err.Error(); strings.Contains(msg, "parse error") ||
			(!slices.Contains(tc.args, "-workspaces") && strings.Contains(msg, "-workspaces")) ||
			(!slices.Contains(tc.args, "-models") && strings.Contains(msg, "-models")) {
			t.Errorf("run(%q) = %q: want plain words naming only the flags given", tc.args, msg)
		}
	}
}

// TestRunSaysWhenTheAddressIsTaken: a second sandbox on a port in use
// fails with one mention of the address and the way out (-addr with port
// 0), not "listen tcp …: bind: address already in use" after the
// address again.
func TestRunSaysWhenTheAddressIsTaken(t *testing.T) {
	t.Parallel()
	authURL, _, _, cancel, done := startRun(t, "-addr", "127.0.0.1:0")
	defer func() { cancel(); waitRun(t, done) }()
	addr := strings.TrimPrefix(authURL, "http://")
	err := run(context.Background(), []string{"-addr", addr}, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("a second sandbox on the same address started")
	}
	msg := err.Error()
	if strings.Count(msg, addr) != 1 || !strings.Contains(msg, "already in use") || !strings.Contains(msg, "-addr 127.0.0.1:0 picks a free one") {
		t.Errorf("error %q: want the address once, that it is in use, and the -addr 127.0.0.1:0 hint", msg)
	}
}

// TestBannerSpeaksPlainly: the banner describes the tenant and the OAuth
// login in the toolkit's words, not Go identifiers or the reference's
// {oauth} placeholder.
func TestBannerSpeaksPlainly(t *testing.T) {
	t.Parallel()
	_, _, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0")
	defer func() { cancel(); waitRun(t, done) }()
	demo := emulator.Demo()
	want := fmt.Sprintf("tenant:    the demo tenant (%d workspaces, %d models;", len(demo.Workspaces), len(demo.Models))
	if !strings.Contains(banner.String(), want) || !strings.Contains(banner.String(), "ANAPLAN_AUTH=oauth") {
		t.Errorf("banner lacks %q or ANAPLAN_AUTH=oauth:\n%s", want, banner)
	}
	for _, jargon := range []string{"emulator.Demo", "{oauth}"} {
		if strings.Contains(banner.String(), jargon) {
			t.Errorf("banner says %q:\n%s", jargon, banner)
		}
	}
}

// TestRunHelp: -h prints what the other scripts print, on stderr: the
// synopsis, "Usage of sandbox:" and the flags, and exits 0.
func TestRunHelp(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, io.Discard, &stderr)
	if cli.ExitCode(err, io.Discard) != 0 {
		t.Fatalf("run(-h) = %v, want exit 0", err)
	}
	stdout := stderr // the flags are checked below
	if !strings.HasPrefix(stderr.String(), "Runs the Anaplan emulator") || !strings.Contains(stderr.String(), "\n\nUsage of sandbox:\n") {
		t.Errorf("-h is not laid out as the other scripts' (synopsis, then Usage of sandbox:):\n%s", stderr.String())
	}
	for _, flag := range []string{"-addr", "-allow-remote", "-state", "-token-ttl", "-workspaces", "-models",
		"-rate-limit", "-error-rate", "-drop-rate", "-drop-mode", "-latency", "-seed", "-exempt-auth",
		"-header-timeout", "-idle-timeout", "-body-grace", "-body-min-rate"} {
		if !strings.Contains(stdout.String(), flag) {
			t.Errorf("usage lacks %s:\n%s", flag, stdout.String())
		}
	}
}

// With faults on, the banner lists them as replayable flags, and they
// apply: the exempt auth service logs in (with the short TTL), the API
// answers 429.
func TestRunWithFaults(t *testing.T) {
	t.Parallel()
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-token-ttl", "2s",
		"-rate-limit", "1", "-latency", "1ms", "-seed", "42", "-exempt-auth")
	defer func() { cancel(); waitRun(t, done) }()
	want := "  faults:    -rate-limit 1 -latency 1ms -seed 42 -exempt-auth (the same flags replay the same faults)\n"
	if !strings.Contains(banner.String(), want) || !strings.Contains(banner.String(), "token TTL: 2s") {
		t.Errorf("banner lacks %q and the TTL:\n%s", want, banner)
	}

	token, expiresAt := login(t, authURL)
	if ttl := time.Until(expiresAt); ttl <= 0 || ttl > 2*time.Second {
		t.Errorf("token expires in %v, want at most 2s", ttl)
	}

	req, _ := http.NewRequest("GET", apiURL+"/users/me", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("GET /users/me: status %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
