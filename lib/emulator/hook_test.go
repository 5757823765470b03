package emulator_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// inProcess is an emulator reached through its Transport, no socket.
func inProcess(t *testing.T, opts emulator.Options) (*emulator.Emulator, *http.Client) {
	t.Helper()
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e, &http.Client{Transport: e.Transport()}
}

const base = "http://emulator.invalid"

func call(t *testing.T, c *http.Client, method, path, auth, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: body: %v", method, path, err)
	}
	return resp, string(b)
}

func loginThrough(t *testing.T, c *http.Client) string {
	t.Helper()
	resp, body := call(t, c, "POST", "/token/authenticate", basic(emulator.DemoUser, emulator.DemoPassword), "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	_, rest, _ := strings.Cut(body, `"tokenValue":"`)
	token, _, _ := strings.Cut(rest, `"`)
	return token
}

func TestTransportServesWithoutASocket(t *testing.T) {
	t.Parallel()
	_, c := inProcess(t, emulator.Options{})
	token := loginThrough(t, c)
	resp, body := call(t, c, "GET", "/2/0/workspaces", "AnaplanAuthToken "+token, "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(body, emulator.RegistryWorkspaceID) {
		t.Fatalf("workspaces: %d %s %s", resp.StatusCode, resp.Header, body)
	}
	// Anaplan's own 404 envelope, not ServeMux's text.
	resp, body = call(t, c, "GET", "/2/0/no/such", "AnaplanAuthToken "+token, "")
	if resp.StatusCode != 404 || !strings.Contains(body, `"code":404`) {
		t.Fatalf("unknown path: %d %s", resp.StatusCode, body)
	}
	// An upload streams through the pipe and back.
	data := strings.Repeat("Code,Name\r\nW9,Big\r\n", 50_000)
	resp, _ = call(t, c, "PUT", bulkPath("/files/"+workspacesFile), "AnaplanAuthToken "+token, data)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT file: %d", resp.StatusCode)
	}
	if _, got := call(t, c, "GET", bulkPath("/files/"+workspacesFile), "AnaplanAuthToken "+token, ""); got != data {
		t.Fatalf("download is %d bytes, want %d", len(got), len(data))
	}
}

func TestTransportReportsDroppedConnections(t *testing.T) {
	t.Parallel()
	for _, mode := range []emulator.DropMode{emulator.DropBeforeActing, emulator.DropAfterActing} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			_, c := inProcess(t, emulator.Options{Faults: emulator.Faults{DropRate: 1, DropMode: mode, ExemptAuth: true}})
			token := loginThrough(t, c)
			req, _ := http.NewRequest("GET", base+"/2/0/workspaces", nil)
			req.Header.Set("Authorization", "AnaplanAuthToken "+token)
			resp, err := c.Do(req)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if !errors.Is(err, emulator.ErrConnectionDropped) {
				t.Fatalf("err = %v, want ErrConnectionDropped", err)
			}
		})
	}
}

// TestTransportInsideSynctest shows the point of the in-process transport:
// a client polling a task on fake time, no real waiting, no sockets.
func TestTransportInsideSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, c := inProcess(t, emulator.Options{TaskDuration: time.Hour, TokenTTL: 3 * time.Hour})
		token := loginThrough(t, c)
		auth := "AnaplanAuthToken " + token
		call(t, c, "PUT", bulkPath("/files/"+workspacesFile), auth, workspacesCSV)
		resp, body := call(t, c, "POST", bulkPath("/imports/"+importWorkspaces+"/tasks"), auth, `{"localeName":"en_US"}`)
		if resp.StatusCode != 200 {
			t.Fatalf("start: %d %s", resp.StatusCode, body)
		}
		_, rest, _ := strings.Cut(body, `"taskId":"`)
		id, _, _ := strings.Cut(rest, `"`)
		start := time.Now()
		poll := time.NewTicker(time.Minute) // fake time: the bubble's clock jumps
		defer poll.Stop()
		for {
			_, body = call(t, c, "GET", bulkPath("/imports/"+importWorkspaces+"/tasks/"+id), auth, "")
			if strings.Contains(body, `"COMPLETE"`) {
				break
			}
			if time.Since(start) > 2*time.Hour {
				t.Fatalf("no end after two hours of fake time: %s", body)
			}
			<-poll.C
		}
		if waited := time.Since(start); waited < time.Hour || waited > time.Hour+2*time.Minute {
			t.Errorf("the task completed after %v of fake time, want about an hour", waited)
		}
	})
}

func TestInterceptSeesRoutePatterns(t *testing.T) {
	t.Parallel()
	var pages atomic.Int32
	var seen []string
	opts := emulator.Options{Intercept: func(w http.ResponseWriter, r *http.Request, route string, next http.Handler) {
		seen = append(seen, route) // requests below are sequential
		switch route {
		case "GET /2/0/models":
			if pages.Add(1) == 2 {
				w.Header().Set("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
		case "GET /2/0/workspaces/{workspaceId}":
			if r.PathValue("workspaceId") != emulator.RegistryWorkspaceID {
				t.Errorf("PathValue = %q", r.PathValue("workspaceId"))
			}
		}
		next.ServeHTTP(w, r)
	}}
	_, c := inProcess(t, opts)
	token := loginThrough(t, c)
	auth := "AnaplanAuthToken " + token
	for i, want := range []int{200, 429, 200} {
		if resp, _ := call(t, c, "GET", "/2/0/models", auth, ""); resp.StatusCode != want {
			t.Errorf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
	// next includes the token check.
	if resp, _ := call(t, c, "GET", "/2/0/workspaces/"+emulator.RegistryWorkspaceID, "", ""); resp.StatusCode != 401 {
		t.Errorf("through next without a token: %d", resp.StatusCode)
	}
	// Unknown paths and 405s are the router's: no intercept.
	call(t, c, "GET", "/2/0/no/such", auth, "")
	call(t, c, "DELETE", "/2/0/models", auth, "")
	want := []string{"POST /token/authenticate", "GET /2/0/models", "GET /2/0/models", "GET /2/0/models", "GET /2/0/workspaces/{workspaceId}"}
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("intercepted %q\nwant        %q", seen, want)
	}
}

func TestClockDrivesTokenExpiry(t *testing.T) {
	t.Parallel()
	clock := emulator.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	_, c := inProcess(t, emulator.Options{Now: clock.Now, TokenTTL: time.Minute})
	auth := "AnaplanAuthToken " + loginThrough(t, c)
	if resp, _ := call(t, c, "GET", "/2/0/users/me", auth, ""); resp.StatusCode != 200 {
		t.Fatalf("fresh token: %d", resp.StatusCode)
	}
	clock.Advance(time.Minute)
	if resp, _ := call(t, c, "GET", "/2/0/users/me", auth, ""); resp.StatusCode != 401 {
		t.Fatalf("token after its TTL: %d", resp.StatusCode)
	}
	clock.Set(time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC))
	if resp, _ := call(t, c, "GET", "/2/0/users/me", auth, ""); resp.StatusCode != 200 {
		t.Fatalf("clock set back: %d", resp.StatusCode)
	}
}
