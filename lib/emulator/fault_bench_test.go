package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkSimpleGET measures the traffic layer's overhead on the
// cheapest authenticated route: the router alone, the zero Faults (Stats
// counting only), and active Faults that decide on every request but
// practically never inject.
func BenchmarkSimpleGET(b *testing.B) {
	for _, bc := range []struct {
		name   string
		faults Faults
		bare   bool
	}{
		{name: "router-only", bare: true},
		{name: "faults-off"},
		{name: "faults-on", faults: Faults{RateLimit: 1e-12, Seed: 1}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e, err := New(Options{Faults: bc.faults})
			if err != nil {
				b.Fatal(err)
			}
			token, _ := e.store.issueToken(DemoUserID, time.Now(), time.Hour)
			handler := e.Handler()
			if bc.bare {
				handler = e.logRequests(e.recoverPanics(e.router))
			}
			req := httptest.NewRequest("GET", "/2/0/users/me", nil)
			req.Header.Set("Authorization", "AnaplanAuthToken "+token)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkTrafficLayer isolates the layer: the same request through it
// to a handler that does nothing, so the cost is not lost in the noise
// of a real route.
func BenchmarkTrafficLayer(b *testing.B) {
	for _, bc := range []struct {
		name   string
		faults Faults
	}{
		{name: "faults-off"},
		{name: "faults-on", faults: Faults{RateLimit: 1e-12, Seed: 1}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e, err := New(Options{Faults: bc.faults})
			if err != nil {
				b.Fatal(err)
			}
			token, _ := e.store.issueToken(DemoUserID, time.Now(), time.Hour)
			handler := e.traffic.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			req := httptest.NewRequest("GET", "/2/0/workspaces/"+RegistryWorkspaceID+"/models", nil)
			req.Header.Set("Authorization", "AnaplanAuthToken "+token)
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				handler.ServeHTTP(w, req)
			}
		})
	}
}
