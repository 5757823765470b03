package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The curl baseline of the upload and reads scenarios: the same requests
// the client makes, sent by one curl process, timed by curl itself.

// curlHeaders logs in to sb as the demo user and writes the headers curl
// sends to the file name in the bench's temporary directory (curl -H
// @file), so the token is not on a command line; extra are more header
// lines. It returns the file's path.
func (b *bench) curlHeaders(ctx context.Context, sb *sandbox, name string, extra ...string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sb.URL+"/token/authenticate", nil)
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(emulator.DemoUser, emulator.DemoPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var auth struct {
		TokenInfo struct {
			TokenValue string `json:"tokenValue"`
		} `json:"tokenInfo"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&auth); err != nil || auth.TokenInfo.TokenValue == "" {
		return "", fmt.Errorf("logging in to the sandbox for curl: HTTP %d, %v", resp.StatusCode, err)
	}
	path := filepath.Join(b.tmp, name)
	lines := append([]string{"Authorization: AnaplanAuthToken " + auth.TokenInfo.TokenValue}, extra...)
	return path, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
}

// curlWriteOut is what curl prints after each transfer (-w).
const curlWriteOut = "%{time_total} %{size_upload} %{http_code}\n"

// curlTimes runs one curl process that makes the transfers one after
// another over a reused connection, each with the headers file; a
// transfer is its own options and its URL. Every transfer must answer
// code. It returns the transfers' summed time and bytes uploaded, as curl
// measured them.
func curlTimes(ctx context.Context, headers string, code int, transfers [][]string) (secs float64, sent int64, err error) {
	var args []string
	for i, t := range transfers {
		if i > 0 {
			args = append(args, "--next")
		}
		args = append(append(args, "-sS", "-H", "@"+headers, "-o", os.DevNull, "-w", curlWriteOut), t...)
	}
	m, err := child{Path: "curl", Args: args}.run(ctx)
	if err != nil {
		return 0, 0, err
	}
	return sumCurlTimes(m.Stdout, len(transfers), code)
}

// sumCurlTimes adds up curl's curlWriteOut lines, checking that there are
// want of them and that each answered code.
func sumCurlTimes(out string, want, code int) (secs float64, sent int64, err error) {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var s float64
		var up int64
		var c int
		if _, err := fmt.Sscanf(sc.Text(), "%g %d %d", &s, &up, &c); err != nil {
			return 0, 0, fmt.Errorf("curl printed %q: %w", sc.Text(), err)
		}
		if c != code {
			return 0, 0, fmt.Errorf("curl got HTTP %d, want %d", c, code)
		}
		secs += s
		sent += up
		n++
	}
	if n != want {
		return 0, 0, fmt.Errorf("curl made %d transfers, want %d", n, want)
	}
	return secs, sent, nil
}
