package emulator_test

import (
	"maps"
	"net/http"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestStatsCountRequestsByRoutePattern(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	token := h.login()
	wantStatus(t, h.get("/2/0/models/"+emulator.RegistryModelID, token), http.StatusOK)
	wantStatus(t, h.get("/2/0/models/"+emulator.RegistryModelID+"/", token), http.StatusOK)
	wantStatus(t, h.get("/2/0/models/no%2Fsuch", token), http.StatusNotFound) // an encoded slash stays in its segment
	wantStatus(t, h.do("DELETE", "/2/0/models/"+emulator.RegistryModelID, "AnaplanAuthToken "+token, ""), http.StatusMethodNotAllowed)
	wantStatus(t, h.get("/2/0/workspaces/"+emulator.RegistryWorkspaceID+"/models/"+emulator.RegistryModelID, token), http.StatusMethodNotAllowed)
	wantStatus(t, h.get("/2/0/nothing/here", token), http.StatusNotFound)
	wantStatus(t, h.get("/2/0/users/me", ""), http.StatusUnauthorized)

	want := map[string]int{
		"POST /token/authenticate":                           1,
		"GET /2/0/models/{modelId}":                          3,
		"DELETE /2/0/models/{modelId}":                       1,
		"GET /2/0/workspaces/{workspaceId}/models/{modelId}": 1,
		"GET (unmatched)":                                    1,
		"GET /2/0/users/me":                                  1,
	}
	s := h.e.Stats()
	if !maps.Equal(s.Requests, want) {
		t.Errorf("Requests = %v\nwant       %v", s.Requests, want)
	}
	if !maps.Equal(s.Handled, want) {
		t.Errorf("without faults every request is handled: Handled = %v", s.Handled)
	}
	if len(s.Faults) != 0 {
		t.Errorf("Faults = %v, want none", s.Faults)
	}
	// A snapshot is a copy.
	s.Requests["GET /2/0/users/me"] = 99
	if h.e.Stats().Requests["GET /2/0/users/me"] != 1 {
		t.Error("Stats shares its maps with the emulator")
	}
}

func TestStatsAreExactUnderConcurrency(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{RateLimit: 0.5, ExemptAuth: true}})
	token := h.login()
	const workers, each = 8, 40
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		limited int
	)
	for range workers {
		wg.Go(func() {
			for range each {
				o := h.try(h.srv.Client(), "GET", "/2/0/workspaces", "AnaplanAuthToken "+token)
				mu.Lock()
				if o.status == http.StatusTooManyRequests {
					limited++
				}
				mu.Unlock()
				_ = h.e.Stats() // snapshots race with counting
			}
		})
	}
	wg.Wait()
	s := h.e.Stats()
	if s.Requests["GET /2/0/workspaces"] != workers*each || s.Faults[emulator.FaultRateLimit] != limited ||
		s.Handled["GET /2/0/workspaces"] != workers*each-limited || limited == 0 {
		t.Errorf("stats = %+v; client saw %d rate limits of %d", s, limited, workers*each)
	}
}
