package anaplan_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// busyFaults is the busy tenant: 15% 429, 10% 5xx, 1% drops.
func busyFaults(seed int64) emulator.Faults {
	return emulator.Faults{RateLimit: 0.15, ErrorRate: 0.10, DropRate: 0.01, Seed: seed}
}

// TestDefaultRetryPolicyOutlastsABusyTenant replays seeds on which the
// long soak (go run ./scripts/soak) saw the registry script give up with
// the old default of 5 attempts: a request failed five times in a row,
// which under 26% faults happens to about one request in 850, so to one
// cron run in 200. Fault decisions depend only on the seed and each URL's
// request count, so these seeds fault the same requests here, and the
// client's waits are recorded rather than slept.
func TestDefaultRetryPolicyOutlastsABusyTenant(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		seed int64
		call string
	}{
		{1583804465, "authenticate"}, // 429 five times
		{568836646, "authenticate"},  // 5xx and 429, five in a row
		{173557140, "authenticate"},
		{1356705607, "models"}, // GET /2/0/models?limit=5000&modelDetails=true&offset=0
		{1347737282, "models"},
	} {
		e, err := emulator.New(emulator.Options{Faults: busyFaults(tc.seed)})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(e.Handler())
		defer srv.Close()
		var w waits
		c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
			anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithSleep(w.sleep))
		if err != nil {
			t.Fatal(err)
		}
		route := "POST /token/authenticate"
		if tc.call == "models" {
			route = "GET /2/0/models"
			_, err = anaplan.Collect(c.ListModels(context.Background(), anaplan.ListOptions{Details: true}))
		} else {
			_, err = c.Token(context.Background())
		}
		if err != nil {
			t.Errorf("seed %d: %s failed with the default retry policy: %v", tc.seed, tc.call, err)
			continue
		}
		// The seed is a hard case: the old default would have given up.
		if n := e.Stats().Requests[route]; n <= 5 {
			t.Errorf("seed %d: %s took %d attempts; this seed no longer needs more than 5", tc.seed, route, n)
		}
		if n := len(w.all()); n < 5 {
			t.Errorf("seed %d: %d waits recorded", tc.seed, n)
		}
	}
}
