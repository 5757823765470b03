package emulator_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// browser is a cookie-keeping HTTP client on the verification page.
type browser struct {
	t  *testing.T
	h  *harness
	hc *http.Client
}

func newBrowser(t *testing.T, h *harness) *browser {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: h.srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, h: h, hc: hc}
}

type page struct {
	status   int
	header   http.Header
	body     string
	location string
}

func (b *browser) send(req *http.Request) page {
	b.t.Helper()
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(body), location: resp.Header.Get("Location")}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.h.srv.URL+path, nil)
	return b.send(req)
}

// post sends a form; origin "" sends none (as curl does).
func (b *browser) post(path string, form url.Values, origin string) page {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.send(req)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfOf(t *testing.T, p page) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token in the page (status %d):\n%s", p.status, p.body)
	}
	return m[1]
}

func wantPage(t *testing.T, p page, status int, contains string) {
	t.Helper()
	if p.status != status || !strings.Contains(p.body, contains) {
		t.Fatalf("status %d, want %d with %q; body:\n%s", p.status, status, contains, p.body)
	}
}

// login signs the browser in through the page and returns the CSRF token
// of the page it lands on (the confirmation page when code is pending).
func (b *browser) login(code string) page {
	b.t.Helper()
	form := b.get("/activate?user_code=" + url.QueryEscape(code))
	wantPage(b.t, form, 200, `id="login"`)
	r := b.post("/activate/login", url.Values{"csrf_token": {csrfOf(b.t, form)}, "user_code": {code},
		"email": {emulator.DemoUser}, "password": {emulator.DemoPassword}}, b.h.srv.URL)
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("login: status %d\n%s", r.status, r.body)
	}
	return b.get(strings.TrimPrefix(r.location, b.h.srv.URL))
}

// stillPending checks that the device code has not been decided.
func stillPending(t *testing.T, h *harness, d map[string]any) {
	t.Helper()
	h.clock.Advance(time.Minute)
	wantOAuthError(t, h.pollDevice(emulator.DemoOAuthClientID, d["device_code"].(string)), 400, "authorization_pending")
}

func TestActivatePageApproves(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	d := h.startDevice(emulator.DemoOAuthClientID)
	code := d["user_code"].(string)
	b := newBrowser(t, h)

	first := b.get("/activate?user_code=" + code)
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
		if got := first.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if csp := first.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if strings.Contains(first.body, "<script") {
		t.Error("the page has a script: it must work without JavaScript")
	}

	confirm := b.login(code)
	wantPage(t, confirm, 200, `id="approve"`)
	if !strings.Contains(confirm.body, code) || !strings.Contains(confirm.body, "Signed in as "+emulator.DemoUser) {
		t.Errorf("the confirmation does not show the code and the user:\n%s", confirm.body)
	}
	done := b.post("/activate/decision", url.Values{"csrf_token": {csrfOf(t, confirm)}, "user_code": {code}, "action": {"approve"}}, h.srv.URL)
	wantPage(t, done, 200, "Device approved")
	h.clock.Advance(5 * time.Second)
	wantStatus(t, h.pollDevice(emulator.DemoOAuthClientID, d["device_code"].(string)), http.StatusOK)

	// Logged in, the code form comes without a login, and a code typed in
	// lower case without the dash is found.
	d2 := h.startDevice(emulator.DemoOAuthClientID)
	wantPage(t, b.get("/activate"), 200, `id="code"`)
	typed := strings.ToLower(strings.ReplaceAll(d2["user_code"].(string), "-", ""))
	c2 := b.get("/activate?user_code=" + typed)
	wantPage(t, c2, 200, d2["user_code"].(string))
	wantPage(t, b.post("/activate/decision", url.Values{"csrf_token": {csrfOf(t, c2)}, "user_code": {typed}, "action": {"deny"}}, ""), 200, "Request denied")
	wantOAuthError(t, h.pollDevice(emulator.DemoOAuthClientID, d2["device_code"].(string)), 400, "access_denied")
}

// TestActivatePageRefusals: nothing gets a code approved without a
// logged-in session, the session's CSRF token and a pending user code.
func TestActivatePageRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	d := h.startDevice(emulator.DemoOAuthClientID)
	code := d["user_code"].(string)
	approve := func(csrf string) url.Values {
		return url.Values{"csrf_token": {csrf}, "user_code": {code}, "action": {"approve"}}
	}

	t.Run("no session", func(t *testing.T) {
		b := newBrowser(t, h)
		wantPage(t, b.post("/activate/decision", approve("anything"), ""), 403, "session has expired")
		wantPage(t, b.post("/activate/login", url.Values{"email": {emulator.DemoUser}, "password": {emulator.DemoPassword}}, ""), 403, "session has expired")
	})
	t.Run("anonymous session with its CSRF token", func(t *testing.T) {
		b := newBrowser(t, h)
		csrf := csrfOf(t, b.get("/activate?user_code="+code))
		wantPage(t, b.post("/activate/decision", approve(csrf), ""), 401, "Sign in first")
	})
	t.Run("wrong password", func(t *testing.T) {
		b := newBrowser(t, h)
		form := b.get("/activate")
		r := b.post("/activate/login", url.Values{"csrf_token": {csrfOf(t, form)}, "email": {emulator.DemoUser}, "password": {"guess"}}, "")
		wantPage(t, r, 401, "Wrong email or password")
		wantPage(t, b.post("/activate/decision", approve(csrfOf(t, r)), ""), 401, "Sign in first")
	})
	t.Run("login without CSRF token", func(t *testing.T) {
		b := newBrowser(t, h)
		b.get("/activate")
		r := b.post("/activate/login", url.Values{"email": {emulator.DemoUser}, "password": {emulator.DemoPassword}}, "")
		wantPage(t, r, 403, "security token")
	})
	t.Run("logged in, missing, wrong or pre-login CSRF token", func(t *testing.T) {
		b := newBrowser(t, h)
		before := csrfOf(t, b.get("/activate"))
		confirm := b.login(code)
		wantPage(t, confirm, 200, `id="approve"`)
		wantPage(t, b.post("/activate/decision", url.Values{"user_code": {code}, "action": {"approve"}}, ""), 403, "security token")
		wantPage(t, b.post("/activate/decision", approve(csrfOf(t, confirm)+"x"), ""), 403, "security token")
		wantPage(t, b.post("/activate/decision", approve(before), ""), 403, "security token")
	})
	t.Run("logged in, cross-site form", func(t *testing.T) {
		b := newBrowser(t, h)
		confirm := b.login(code)
		wantPage(t, b.post("/activate/decision", approve(csrfOf(t, confirm)), "https://evil.example"), 403, "another site")
		wantPage(t, b.post("/activate/decision", approve(csrfOf(t, confirm)), "null"), 403, "another site") // sandboxed frame, data: URL
		if rp := confirm.header.Get("Referrer-Policy"); rp != "same-origin" {
			t.Errorf("Referrer-Policy = %q: under no-referrer a browser sends Origin null on the page's own forms", rp)
		}
	})
	t.Run("login replaces a planted session", func(t *testing.T) {
		b := newBrowser(t, h)
		b.get("/activate")
		u, _ := url.Parse(h.srv.URL + "/activate")
		planted := b.hc.Jar.Cookies(u)[0].Value
		b.login(code)
		attacker := newBrowser(t, h)
		attacker.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "anaplan_emulator_activate", Value: planted, Path: "/activate"}})
		wantPage(t, attacker.get("/activate?user_code="+code), 200, `id="login"`) // not logged in
	})
	t.Run("page session expires", func(t *testing.T) {
		b := newBrowser(t, h)
		confirm := b.login(code)
		h.clock.Advance(31 * time.Minute)
		wantPage(t, b.post("/activate/decision", approve(csrfOf(t, confirm)), ""), 403, "session has expired")
		d = h.startDevice(emulator.DemoOAuthClientID) // the old code aged too; later cases use a fresh one
		code = d["user_code"].(string)
	})
	t.Run("wrong codes lock the session out", func(t *testing.T) {
		b := newBrowser(t, h)
		confirm := b.login(code)
		csrf := csrfOf(t, confirm)
		for i := range 4 {
			r := b.post("/activate/decision", url.Values{"csrf_token": {csrf}, "user_code": {"ZZZZ-ZZZZ"}, "action": {"approve"}}, "")
			wantPage(t, r, 404, "No pending request")
			_ = i
		}
		wantPage(t, b.get("/activate?user_code=ZZZZ-ZZZZ"), 403, "Too many")
		wantPage(t, b.post("/activate/decision", approve(csrf), ""), 403, "session has expired")
	})
	t.Run("GET cannot decide", func(t *testing.T) {
		b := newBrowser(t, h)
		b.login(code)
		if p := b.get("/activate/decision?user_code=" + code + "&action=approve"); p.status != http.StatusMethodNotAllowed {
			t.Errorf("GET /activate/decision: status %d", p.status)
		}
	})
	t.Run("reflected input is escaped", func(t *testing.T) {
		b := newBrowser(t, h)
		p := b.get("/activate?user_code=" + url.QueryEscape(`"><script>alert(1)</script>`))
		if strings.Contains(p.body, "<script>") {
			t.Errorf("user_code reflected unescaped:\n%s", p.body)
		}
	})
	stillPending(t, h, d)
}
