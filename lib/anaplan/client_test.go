package anaplan_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	headers := make(chan http.Header, 1)
	f.answer(meKey, func(w http.ResponseWriter, r *http.Request) {
		headers <- r.Header.Clone()
		f.api(w, r)
	})
	c, _ := f.client(t, anaplan.WithUserAgent("registry-test/1.0"))
	mustMe(t, c)
	tok, _ := c.Token(t.Context())
	h := <-headers
	want := map[string]string{
		"Authorization": "AnaplanAuthToken " + tok.Value(),
		"Accept":        "application/json",
		"User-Agent":    "registry-test/1.0",
	}
	for name, value := range want {
		if got := h.Get(name); got != value {
			t.Errorf("%s = %q, want %q", name, got, value)
		}
	}
}

// Example shows the usual start: a client for credentials the program
// holds (lib/session reads them from .env and the environment), then the
// tenant's models, page by page.
func Example() {
	ctx := context.Background()
	c, err := anaplan.New(anaplan.BasicAuth("analyst@example.com", os.Getenv("MY_ANAPLAN_PASSWORD")),
		anaplan.WithTokenCache(filepath.Join(os.TempDir(), "my-tokens")))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Logout(ctx)
	for m, err := range c.ListModels(ctx, anaplan.ListOptions{Details: true, Sort: "+name"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\t%s\t%d bytes\n", m.Name, m.ActiveState, m.MemoryUsage)
	}
}
