package anaplan_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestBrokenPageNamesTheURLAndTheProblem: a models page cut short by a
// proxy (complete HTTP response, broken JSON) or holding the wrong shape
// must fail with the full URL, so an admin knows which host answered,
// and, when the JSON ends early, say it looks truncated. It used to say
// `GET /models (offset 0): decoding "models": unexpected EOF`.
func TestBrokenPageNamesTheURLAndTheProblem(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(body string) string
		want string
	}{
		{"truncated", func(b string) string { return b[:len(b)/2] }, `decoding "models": the body ends early (truncated?)`},
		{"wrong shape", func(string) string { return `{"models":"all of them"}` }, `decoding "models": json: cannot unmarshal string`},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			e.Handler().ServeHTTP(rec, r)
			body := rec.Body.String()
			if r.URL.Path == "/2/0/models" {
				body = tc.edit(body)
			}
			w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write([]byte(body))
		}))
		defer srv.Close()
		c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
			anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = anaplan.Collect(c.ListModels(context.Background(), anaplan.ListOptions{}))
		if err == nil {
			t.Fatalf("%s: a broken page was accepted", tc.name)
		}
		for _, want := range []string{"GET " + srv.URL + "/2/0/models (offset 0)", tc.want} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, want)
			}
		}
	}
}
