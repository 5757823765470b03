package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

// ControlPrefix is where the emulator's own control endpoints live, apart
// from every Anaplan path (/token/..., /oauth/..., /2/0/...): tests and
// scripts drive the emulator through them, a real client never calls them.
const ControlPrefix = "/__emulator/"

// AdvanceResult is the answer of POST /__emulator/advance: the day the
// tenant is now at and what moving it there did.
type AdvanceResult struct {
	Day    int     `json:"day"`
	Events []Event `json:"events"`
}

// control serves ControlPrefix and passes everything else to next. It
// sits outside fault injection and Intercept: a test's control call is
// never faulted.
func (e *Emulator) control(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(ControlPrefix+"advance", e.controlAdvance)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, ControlPrefix) {
			next.ServeHTTP(w, r)
			return
		}
		if h, pattern := mux.Handler(r); pattern != "" {
			h.ServeHTTP(w, r)
			return
		}
		e.writeAPIError(w, r, http.StatusNotFound, "")
	})
}

// controlAdvance serves POST /__emulator/advance?days=N (default 1):
// Emulator.Advance. It takes a tenant administrator's token, like the
// Integration API: loopback listening keeps other machines out, the token
// keeps out a web page that posts to 127.0.0.1 from the user's browser
// (it cannot set Authorization) and a user who is not the admin.
func (e *Emulator) controlAdvance(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		e.writeAPIError(w, r, http.StatusMethodNotAllowed, "")
		return
	}
	r, ok := e.authenticateAPI(w, r)
	if !ok {
		return
	}
	if !requestUser(r).TenantAdmin {
		e.writeAPIError(w, r, http.StatusForbidden, "moving the emulator's tenant on needs a tenant administrator's token")
		return
	}
	days := 1
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(v, "d"))
		if err != nil || n < 0 || n > MaxAdvanceDays {
			e.writeAPIError(w, r, http.StatusBadRequest, "days="+v+": want a number of days from 0 to "+strconv.Itoa(MaxAdvanceDays)+", e.g. days=7")
			return
		}
		days = n
	}
	events, err := e.Advance(days)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, AdvanceResult{Day: e.Day(), Events: events})
}
