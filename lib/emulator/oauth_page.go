package emulator

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The verification page, like Anaplan's activate page: the user opens
// verification_uri (or verification_uri_complete), logs in as a tenant
// user, checks the code the device shows and approves or denies. Plain
// server-rendered HTML with no scripts or external assets.
//
// What it refuses, and how:
//   - no decision without a logged-in page session: the session lives in
//     an HttpOnly, SameSite=Strict cookie whose value is random and stored
//     only as its hash; logging in replaces the session (no fixation);
//   - every POST carries the session's CSRF token (compared in constant
//     time) and, when the browser sends one, an Origin of this host;
//   - the user code must belong to a pending, unexpired request; after
//     maxPageFailures wrong codes or passwords the session is dropped, so
//     user codes cannot be guessed through the page;
//   - frames, caching and scripts are forbidden by the response headers.

const (
	activatePath    = "/activate"
	pageCookie      = "anaplan_emulator_activate"
	pageSessionTTL  = 30 * time.Minute
	maxPageFailures = 5
)

// pageSession is one browser's visit to the verification page.
type pageSession struct {
	csrf     string
	userID   string // "" until logged in
	expires  time.Time
	failures int
}

// pageView is what the template renders.
type pageView struct {
	Title, Error, Notice string
	CSRF                 string
	UserCode             string
	LoggedInAs           string
	ClientName           string
	Step                 string // "login", "code", "confirm", "done"
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Anaplan emulator</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem} label{display:block;margin:.8rem 0 .2rem} input{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem;font-size:1rem} .code{font:700 1.8rem monospace;letter-spacing:.15rem}
.error{color:#a40000;font-weight:600} .notice{color:#0a5d00;font-weight:600} .who{color:#555}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .LoggedInAs}}<p class="who">Signed in as {{.LoggedInAs}}</p>{{end}}
{{if .Error}}<p class="error" role="alert" id="error">{{.Error}}</p>{{end}}
{{if .Notice}}<p class="notice" role="status" id="notice">{{.Notice}}</p>{{end}}
{{if eq .Step "login"}}
<form method="post" action="/activate/login" id="login">
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<input type="hidden" name="user_code" value="{{.UserCode}}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="sign-in">Sign in</button>
</form>
{{else if eq .Step "code"}}
<form method="get" action="/activate" id="code">
<label for="user_code">Enter the code your device shows</label>
<input id="user_code" name="user_code" value="{{.UserCode}}" autocomplete="off" autocapitalize="characters" required>
<button type="submit" id="continue">Continue</button>
</form>
{{else if eq .Step "confirm"}}
<p><strong>{{.ClientName}}</strong> asks to access Anaplan on your behalf.</p>
<p>Check that your device shows this code:</p>
<p class="code" id="shown-code">{{.UserCode}}</p>
<form method="post" action="/activate/decision" id="decision">
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<input type="hidden" name="user_code" value="{{.UserCode}}">
<button type="submit" name="action" value="approve" id="approve">Approve</button>
<button type="submit" name="action" value="deny" id="deny">Deny</button>
</form>
{{end}}
</body>
</html>
`))

// renderPage writes the page with headers that forbid framing, caching,
// scripts and off-site form targets.
func renderPage(w http.ResponseWriter, status int, v pageView) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on
	// the page's own form posts, which checkPost must refuse.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, v)
}

// pageSessionOf returns the request's live page session, if any.
func (e *Emulator) pageSessionOf(r *http.Request) (*pageSession, tokenKey, bool) {
	c, err := r.Cookie(pageCookie)
	if err != nil || c.Value == "" {
		return nil, tokenKey{}, false
	}
	k := keyOf(c.Value)
	s := e.oauth
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, ok := s.pages[k]
	if !ok || !e.now().Before(ps.expires) {
		delete(s.pages, k)
		return nil, tokenKey{}, false
	}
	return ps, k, true
}

// newPageSession starts a session (for userID, "" for anonymous), sets its
// cookie and drops the one it replaces.
func (e *Emulator) newPageSession(w http.ResponseWriter, r *http.Request, userID string, replaces *tokenKey) *pageSession {
	value := newTokenValue()
	now := e.now()
	ps := &pageSession{csrf: newTokenValue(), userID: userID, expires: now.Add(pageSessionTTL)}
	s := e.oauth
	s.mu.Lock()
	if replaces != nil {
		delete(s.pages, *replaces)
	}
	if now.Sub(s.pageSeen) > time.Minute {
		for k, old := range s.pages {
			if !now.Before(old.expires) {
				delete(s.pages, k)
			}
		}
		s.pageSeen = now
	}
	s.pages[keyOf(value)] = ps
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: pageCookie, Value: value, Path: activatePath,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
		MaxAge: int(pageSessionTTL / time.Second),
	})
	return ps
}

// dropPageSession ends a session and clears its cookie.
func (e *Emulator) dropPageSession(w http.ResponseWriter, k tokenKey) {
	e.oauth.mu.Lock()
	delete(e.oauth.pages, k)
	e.oauth.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: pageCookie, Value: "", Path: activatePath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// failed counts a wrong code or password; it reports whether the session
// is now locked out (and dropped).
func (e *Emulator) failed(w http.ResponseWriter, ps *pageSession, k tokenKey) bool {
	e.oauth.mu.Lock()
	ps.failures++
	locked := ps.failures >= maxPageFailures
	e.oauth.mu.Unlock()
	if locked {
		e.dropPageSession(w, k)
	}
	return locked
}

// userName is the email of a page session's user.
func (e *Emulator) userName(userID string) string {
	u, _ := e.store.user(userID)
	return u.Email
}

// activatePage serves GET /activate[?user_code=…].
func (e *Emulator) activatePage(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSpace(r.URL.Query().Get("user_code"))
	ps, k, ok := e.pageSessionOf(r)
	if !ok {
		ps = e.newPageSession(w, r, "", nil)
	}
	if ps.userID == "" {
		renderPage(w, http.StatusOK, pageView{Title: "Sign in to approve a device", Step: "login", CSRF: ps.csrf, UserCode: code})
		return
	}
	e.showCode(w, ps, k, code)
}

// showCode renders the code form, or the confirmation of a pending code.
func (e *Emulator) showCode(w http.ResponseWriter, ps *pageSession, k tokenKey, code string) {
	who := e.userName(ps.userID)
	if code == "" {
		renderPage(w, http.StatusOK, pageView{Title: "Device activation", Step: "code", LoggedInAs: who})
		return
	}
	s := e.oauth
	s.mu.Lock()
	g := s.pendingByUserCode(code, e.now())
	var clientName, shown string
	if g != nil {
		clientName, shown = s.clients[g.clientID].Name, displayUserCode(g.userCode)
	}
	s.mu.Unlock()
	if g == nil {
		if e.failed(w, ps, k) {
			renderPage(w, http.StatusForbidden, pageView{Title: "Too many attempts", Error: "Too many wrong codes: sign in again."})
			return
		}
		renderPage(w, http.StatusNotFound, pageView{Title: "Device activation", Step: "code", LoggedInAs: who,
			Error: "No pending request has this code. Check it, or ask the device for a new one.", UserCode: code})
		return
	}
	renderPage(w, http.StatusOK, pageView{Title: "Approve this device?", Step: "confirm", LoggedInAs: who,
		CSRF: ps.csrf, UserCode: shown, ClientName: clientName})
}

// checkPost admits a POST of the page: a live session, a same-origin
// request (when the browser says), and the session's CSRF token.
func (e *Emulator) checkPost(w http.ResponseWriter, r *http.Request) (*pageSession, tokenKey, bool) {
	ps, k, ok := e.pageSessionOf(r)
	if !ok {
		renderPage(w, http.StatusForbidden, pageView{Title: "Session expired", Step: "",
			Error: "Your session has expired or cookies are off. Open the activation link again."})
		return nil, k, false
	}
	if origin := r.Header.Get("Origin"); origin != "" && origin != baseURL(r) {
		renderPage(w, http.StatusForbidden, pageView{Title: "Refused", Error: "This form was sent from another site."})
		return nil, k, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	given := r.PostFormValue("csrf_token")
	if given == "" || subtle.ConstantTimeCompare([]byte(given), []byte(ps.csrf)) != 1 {
		renderPage(w, http.StatusForbidden, pageView{Title: "Refused", Error: "The form's security token is missing or stale. Reload the page and try again."})
		return nil, k, false
	}
	return ps, k, true
}

// activateLogin serves POST /activate/login: email and password of a
// tenant user with basic login, as the auth service checks them.
func (e *Emulator) activateLogin(w http.ResponseWriter, r *http.Request) {
	ps, k, ok := e.checkPost(w, r)
	if !ok {
		return
	}
	code := strings.TrimSpace(r.PostFormValue("user_code"))
	user, found := e.store.userByLogin(r.PostFormValue("email"))
	if !passwordMatches(user.PasswordHash, r.PostFormValue("password")) || !found || !user.Active {
		if e.failed(w, ps, k) {
			renderPage(w, http.StatusForbidden, pageView{Title: "Too many attempts", Error: "Too many failed sign-ins: open the activation link again."})
			return
		}
		renderPage(w, http.StatusUnauthorized, pageView{Title: "Sign in to approve a device", Step: "login", CSRF: ps.csrf, UserCode: code,
			Error: "Wrong email or password."})
		return
	}
	e.newPageSession(w, r, user.ID, &k) // a new session: a planted cookie gains nothing
	target := activatePath
	if code != "" {
		target += "?user_code=" + url.QueryEscape(code)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// activateDecision serves POST /activate/decision: approve or deny.
func (e *Emulator) activateDecision(w http.ResponseWriter, r *http.Request) {
	ps, k, ok := e.checkPost(w, r)
	if !ok {
		return
	}
	if ps.userID == "" {
		renderPage(w, http.StatusUnauthorized, pageView{Title: "Sign in to approve a device", Step: "login", CSRF: ps.csrf,
			UserCode: r.PostFormValue("user_code"), Error: "Sign in first."})
		return
	}
	who := e.userName(ps.userID)
	code := r.PostFormValue("user_code")
	var approve bool
	switch r.PostFormValue("action") {
	case "approve":
		approve = true
	case "deny":
	default:
		renderPage(w, http.StatusBadRequest, pageView{Title: "Device activation", Step: "code", LoggedInAs: who, Error: "Choose Approve or Deny."})
		return
	}
	if err := e.decideDevice(code, ps.userID, approve); err != nil {
		e.showCode(w, ps, k, code) // counts the failure, renders the refusal
		return
	}
	if approve {
		renderPage(w, http.StatusOK, pageView{Title: "Device approved", Step: "done", LoggedInAs: who,
			Notice: "Device approved. You can close this window and return to your device."})
		return
	}
	renderPage(w, http.StatusOK, pageView{Title: "Request denied", Step: "done", LoggedInAs: who,
		Notice: "Request denied. The device will not get access."})
}
