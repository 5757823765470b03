package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPasswordMatches checks the one place the emulator compares a
// credential: SHA-256 digests through subtle.ConstantTimeCompare (by
// inspection; a test cannot time it without being flaky), right for
// every kind of near miss, and never true for a user without a password.
func TestPasswordMatches(t *testing.T) {
	t.Parallel()
	stored := HashPassword("correct horse")
	for _, tc := range []struct {
		stored   PasswordHash
		password string
		want     bool
	}{
		{stored, "correct horse", true},
		{stored, "correct hors", false},
		{stored, "correct horsf", false},
		{stored, "Correct horse", false},
		{stored, "correct horse ", false},
		{stored, "", false},
		{PasswordHash{}, "", false},
		{PasswordHash{}, "anything", false},
		{HashPassword(""), "", true}, // an empty password is a password; the tenant decides
	} {
		if got := passwordMatches(tc.stored, tc.password); got != tc.want {
			t.Errorf("passwordMatches(%q) = %t, want %t", tc.password, got, tc.want)
		}
	}
}

// TestLoginFailuresAreIndistinguishable: an unknown user, a wrong
// password, an inactive user and a user without basic login get the same
// status and the same bytes, so the answer does not tell which users exist.
func TestLoginFailuresAreIndistinguishable(t *testing.T) {
	t.Parallel()
	tenant := Demo()
	for i := range tenant.Users {
		if tenant.Users[i].Email == "sofia.ramirez@example.com" { // inactive
			tenant.Users[i].PasswordHash = HashPassword("pw")
		}
	}
	e, err := New(Options{Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(user, password string) (int, string) {
		req := httptest.NewRequest("POST", "/token/authenticate", nil)
		req.SetBasicAuth(user, password)
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	wantCode, wantBody := answer(DemoUser, "wrong")
	if wantCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d %s", wantCode, wantBody)
	}
	for _, c := range [][2]string{
		{"nobody@example.com", "wrong"},
		{"nobody@example.com", DemoPassword},
		{"sofia.ramirez@example.com", "pw"}, // inactive
		{"priya.shah@example.com", "wrong"}, // no basic login
		{"priya.shah@example.com", ""},
	} {
		if code, body := answer(c[0], c[1]); code != wantCode || body != wantBody {
			t.Errorf("%s: %d %s, want the wrong-password answer %d %s", c[0], code, body, wantCode, wantBody)
		}
	}
}
