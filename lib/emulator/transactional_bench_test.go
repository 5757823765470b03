package emulator_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine/enginetest"
)

// HTTP benchmarks of the transactional API over a real loopback server,
// so the client helper can compare its own reads with these figures: a
// 999,999-cell view (W1 Workspace Register, three line items), a
// 1,000,000-item list read through a large read request, and a
// 100,000-cell write.

// loadedHarness loads n workspaces (items and register cells) by import.
func loadedHarness(b *testing.B, n int, opts emulator.Options) (*harness, string) {
	b.Helper()
	h := newHarness(b, opts)
	tok := h.login()
	data := string(enginetest.WorkspacesCSV(n))
	h.putFile(tok, workspacesFile, data)
	for _, imp := range []string{importWorkspaces, "112000000002"} {
		r := h.postJSON(bulkPath("/imports/"+imp+"/tasks"), tok, `{"localeName":"en_US"}`)
		wantStatus(b, r, 200)
		h.finish()
	}
	return h, tok
}

// fetch streams a GET to a counter and returns the byte count.
func fetch(b *testing.B, h *harness, tok, path, accept string) int64 {
	req, err := http.NewRequest("GET", h.srv.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "AnaplanAuthToken "+tok)
	req.Header.Set("Accept", accept)
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		b.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

func benchmarkViewData(b *testing.B, query, accept string) {
	h, tok := loadedHarness(b, 333_333, emulator.Options{})
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		n = fetch(b, h, tok, txnPath("/views/"+moduleW1+"/data"+query), accept)
	}
	b.SetBytes(n)
	b.ReportMetric(float64(999_999*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkViewDataCSV1MCells reads a 999,999-cell view as CSV.
func BenchmarkViewDataCSV1MCells(b *testing.B) { benchmarkViewData(b, "", "text/csv") }

// BenchmarkViewDataJSON1MCells reads it as JSON (format=v1).
func BenchmarkViewDataJSON1MCells(b *testing.B) {
	benchmarkViewData(b, "?format=v1", "application/json")
}

// BenchmarkListReadRequest1M reads a 1,000,000-item list through a large
// read request: start, let it complete, fetch every page, delete.
func BenchmarkListReadRequest1M(b *testing.B) {
	h, tok := loadedHarness(b, 1_000_000, emulator.Options{})
	base := txnPath("/lists/" + listW1 + "/readRequests")
	var total int64
	b.ReportAllocs()
	for b.Loop() {
		r := h.postJSON(base, tok, `{}`)
		id := r.json(b)["listReadRequest"].(map[string]any)["requestId"].(string)
		h.clock.Advance(time.Minute)
		tok = h.login()
		st := h.get(base+"/"+id, tok).json(b)["listReadRequest"].(map[string]any)
		pages := int(st["availablePages"].(float64))
		total = 0
		for p := range pages {
			total += fetch(b, h, tok, fmt.Sprintf("%s/%s/pages/%d", base, id, p), "text/csv")
		}
		wantStatus(b, h.do("DELETE", base+"/"+id, "AnaplanAuthToken "+tok, ""), 200)
	}
	b.SetBytes(total)
	b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkCellWrite100k posts one call's worth of cells (100,000, by
// item code) to a 100,000-item module.
func BenchmarkCellWrite100k(b *testing.B) {
	const n = 100_000
	h, tok := loadedHarness(b, n, emulator.Options{})
	lines := strings.Split(string(enginetest.WorkspacesCSV(n)), "\n")[1:]
	var body bytes.Buffer
	body.WriteByte('[')
	for i := range n {
		code, _, _ := strings.Cut(lines[i], ",")
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"lineItemName":"Current Size","dimensions":[{"dimensionName":"W1 Workspaces","itemCode":%q}],"value":%d}`, code, i)
	}
	body.WriteByte(']')
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		r := h.postJSON(txnPath("/modules/"+moduleW1+"/data"), tok, body.String())
		if r.status != 200 || r.json(b)["numberOfCellsChanged"] != float64(n) {
			b.Fatalf("%d %.300s", r.status, r.body)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkListItemsJSON1M reads a 1,000,000-item list in one GET as
// JSON (the synchronous limit), streamed item by item.
func BenchmarkListItemsJSON1M(b *testing.B) {
	h, tok := loadedHarness(b, 1_000_000, emulator.Options{})
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		n = fetch(b, h, tok, txnPath("/lists/"+listW1+"/items?includeAll=true"), "application/json")
	}
	b.SetBytes(n)
	b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "items/s")
}
