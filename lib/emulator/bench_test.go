package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// BenchmarkListModels20k pages through 20,000 models with modelDetails
// through the handler (no network), 5,000 per page, as a client would.
func BenchmarkListModels20k(b *testing.B) {
	benchmarkListModels(b, 20_000, "")
}

// BenchmarkListModels20kSorted is the same walk sorted by name, which
// sorts the whole tenant on every page.
func BenchmarkListModels20kSorted(b *testing.B) {
	benchmarkListModels(b, 20_000, "&sort=-name")
}

func benchmarkListModels(b *testing.B, n int, query string) {
	h := newHarness(b, emulator.Options{Tenant: emulator.Generate(100, n)})
	token := h.login()
	handler := h.e.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		seen := 0
		for offset := 0; offset < n; offset += 5000 {
			req := httptest.NewRequest("GET", "/2/0/models?modelDetails=true&offset="+itoa(offset)+query, nil)
			req.Header.Set("Authorization", "AnaplanAuthToken "+token)
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
			seen += 5000
		}
		if seen != n {
			b.Fatalf("walked %d", seen)
		}
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if t := emulator.Generate(500, 100_000); len(t.Models) != 100_000 {
			b.Fatal(len(t.Models))
		}
	}
}

// BenchmarkNew100k measures building the emulator (validation, indexes)
// over a 100,000-model tenant.
func BenchmarkNew100k(b *testing.B) {
	t := emulator.Generate(500, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := emulator.New(emulator.Options{Tenant: t}); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(n int) string {
	return sprintf("%d", n)
}
