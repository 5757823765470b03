package emulator

import "net/http"

// userJSON is the Integration API's user object (anaplan-api.md §4).
type userJSON struct {
	ID            string `json:"id"`
	Active        bool   `json:"active"`
	Email         string `json:"email"`
	EmailOptIn    bool   `json:"emailOptIn"`
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
	CustomerID    string `json:"customerId"`
	LastLoginDate string `json:"lastLoginDate,omitempty"`
}

func (e *Emulator) userJSON(u User) userJSON {
	j := userJSON{
		ID:         u.ID,
		Active:     u.Active,
		Email:      u.Email,
		EmailOptIn: u.EmailOptIn,
		FirstName:  u.FirstName,
		LastName:   u.LastName,
		CustomerID: e.store.customerID,
	}
	if !u.LastLoginDate.IsZero() {
		j.LastLoginDate = formatAnaplanTime(u.LastLoginDate)
	}
	return j
}

// getMe serves GET /2/0/users/me: the token's user.
func (e *Emulator) getMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		envelope
		User userJSON `json:"user"`
	}{success(r, "user", nil), e.userJSON(requestUser(r))})
}

// pathUser resolves the route's {userId}, answering 404 for an unknown user.
func (e *Emulator) pathUser(w http.ResponseWriter, r *http.Request) (User, bool) {
	u, ok := e.store.user(r.PathValue("userId"))
	if !ok {
		e.writeAPIError(w, r, http.StatusNotFound, "")
	}
	return u, ok
}
