package emulator_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// One model engine serves the bulk API and the transactional API: what
// an import writes a transactional read sees, what a transactional write
// changes an export shows, next to the imported data.
func TestBulkAndTransactionalShareOneEngine(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	h.putFile(tok, workspacesFile, workspacesCSV)
	h.putFile(tok, modelsFile, modelsCSV)
	_, task := h.runTask(tok, "processes", processLoad)
	if task["result"].(map[string]any)["successful"] != true {
		t.Fatalf("load process: %v", task)
	}
	// Imported items and cells, read transactionally.
	items := h.get(txnPath("/lists/"+listW2+"/items"), tok).json(t)["listItems"].([]any)
	if len(items) != 3 || items[2].(map[string]any)["name"] != "Sales, EMEA" || items[2].(map[string]any)["parent"] != "Finance" {
		t.Fatalf("imported items read transactionally: %v", items)
	}
	// Transactional writes next to them.
	wantStatus(t, h.postJSON(txnPath("/lists/"+listW2+"/items?action=add"), tok,
		`{"items":[{"code":"M4","name":"Added by API","parent":"W1"}]}`), http.StatusOK)
	r := h.postJSON(txnPath("/modules/"+moduleW2+"/data"), tok, `[
		{"lineItemName":"Current Size","dimensions":[{"dimensionName":"W2 Models","itemCode":"M4"}],"value":99},
		{"lineItemName":"Current Size","dimensions":[{"dimensionName":"W2 Models","itemCode":"M2"}],"value":"600000000"}]`)
	if r.json(t)["numberOfCellsChanged"] != float64(2) {
		t.Fatalf("cell write: %s", r.body)
	}
	// The export shows both.
	h.runTask(tok, "exports", exportModels)
	out := h.get(bulkPath("/files/"+exportModels), tok)
	wantStatus(t, out, http.StatusOK)
	recs, err := csv.NewReader(strings.NewReader(string(out.body))).ReadAll()
	if err != nil {
		t.Fatalf("export %q: %v", out.body, err)
	}
	byCode := map[string][]string{}
	for _, rec := range recs[1:] {
		byCode[rec[1]] = rec
	}
	if got := byCode["M4"]; got == nil || got[0] != "Added by API" || got[2] != "Admin Tools" || got[len(got)-1] != "99" {
		t.Errorf("export row of the API-added item = %q (all %q)", got, recs)
	}
	if got := byCode["M2"]; got == nil || got[len(got)-1] != "600000000" {
		t.Errorf("export row of the API-changed cell = %q", got)
	}
	// And an import after the writes updates the same items.
	h.putFile(tok, modelsFile, "Code,Name,Workspace,currentSize\r\nM4,Renamed by import,W2,5\r\n")
	h.runTask(tok, "imports", importModels)
	items = h.get(txnPath("/lists/"+listW2+"/items"), tok).json(t)["listItems"].([]any)
	if last := items[len(items)-1].(map[string]any); last["name"] != "Renamed by import" || last["parent"] != "Finance" {
		t.Errorf("item after import = %v", last)
	}
}

// Transactional writes persist like bulk runs: a new emulator on the same
// StateDir reads them back.
func TestTxnWritesSurviveARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := newHarness(t, emulator.Options{StateDir: dir})
	tok := h.login()
	seedRegistry(t, h, tok)
	wantStatus(t, h.postJSON(txnPath("/modules/"+moduleW2+"/data"), tok,
		`[{"lineItemName":"Name","dimensions":[{"dimensionName":"W2 Models","itemCode":"M1"}],"value":"kept"}]`), 200)
	if err := h.e.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, emulator.Options{StateDir: dir})
	tok2 := h2.login()
	c := h2.accept("GET", txnPath("/views/"+moduleW2+"/data"), tok2, "text/csv", "")
	if !strings.Contains(string(c.body), "Model Registry,Admin Tools,kept,0") {
		t.Errorf("after restart: %q", c.body)
	}
}

func TestLargeReadRequestsPageByPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{ReadPageRows: 2, TaskDuration: 10 * time.Second})
	tok := h.login()
	seedRegistry(t, h, tok)
	wantStatus(t, h.postJSON(txnPath("/lists/"+listW2+"/items?action=add"), tok,
		`{"items":[{"code":"M4","name":"Four"},{"code":"M5","name":"Five"},{"code":"M6","name":"Six"}]}`), 200)
	base := txnPath("/lists/" + listW2 + "/readRequests")
	r := h.postJSON(base, tok, `{}`)
	wantStatus(t, r, 200)
	rr := r.json(t)["listReadRequest"].(map[string]any)
	id := rr["requestId"].(string)
	if rr["requestState"] != "IN_PROGRESS" || !strings.HasSuffix(rr["url"].(string), "/readRequests/"+id) {
		t.Fatalf("started: %v", rr)
	}
	state := func() map[string]any {
		r := h.get(base+"/"+id, tok)
		wantStatus(t, r, 200)
		return r.json(t)["listReadRequest"].(map[string]any)
	}
	// 6 items, 2 a page: 3 pages, a third of them ready after a third of the time.
	wantStatus(t, h.get(base+"/"+id+"/pages/0", tok), http.StatusNotFound)
	h.clock.Advance(4 * time.Second)
	if s := state(); s["requestState"] != "IN_PROGRESS" || s["availablePages"] != float64(1) || s["listId"] != listW2 {
		t.Fatalf("after 4s: %v", s)
	}
	page0 := h.accept("GET", base+"/"+id+"/pages/0", tok, "text/csv", "")
	wantStatus(t, page0, 200)
	wantStatus(t, h.get(base+"/"+id+"/pages/1", tok), http.StatusNotFound)
	h.clock.Advance(6 * time.Second)
	if s := state(); s["requestState"] != "COMPLETE" || s["availablePages"] != float64(3) || s["successful"] != true {
		t.Fatalf("after 10s: %v", s)
	}
	var codes []string
	for p := range 3 {
		page := h.accept("GET", base+"/"+id+"/pages/"+string(rune('0'+p)), tok, "text/csv", "")
		wantStatus(t, page, 200)
		recs, err := csv.NewReader(strings.NewReader(string(page.body))).ReadAll()
		if err != nil || recs[0][0] != "id" || len(recs) != 3 {
			t.Fatalf("page %d: %q %v", p, page.body, err)
		}
		for _, rec := range recs[1:] {
			codes = append(codes, rec[2])
		}
	}
	if strings.Join(codes, ",") != "M1,M2,M3,M4,M5,M6" {
		t.Errorf("pages hold %v", codes)
	}
	wantStatus(t, h.get(base+"/"+id+"/pages/3", tok), http.StatusNotFound)
	d := h.do("DELETE", base+"/"+id, "AnaplanAuthToken "+tok, "")
	wantStatus(t, d, 200)
	if s := d.json(t)["listReadRequest"].(map[string]any)["requestState"]; s != "COMPLETE" {
		t.Errorf("delete of a complete request: %v", s)
	}
	wantStatus(t, h.get(base+"/"+id, tok), http.StatusNotFound)

	// A request deleted while in progress is CANCELLED.
	id2 := h.postJSON(base, tok, `{}`).json(t)["listReadRequest"].(map[string]any)["requestId"].(string)
	d = h.do("DELETE", base+"/"+id2, "AnaplanAuthToken "+tok, "")
	if s := d.json(t)["listReadRequest"].(map[string]any)["requestState"]; s != "CANCELLED" {
		t.Errorf("delete in progress: %v", s)
	}
}

func TestIdleReadRequestsAreReclaimed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	base := txnPath("/views/" + moduleW2 + "/readRequests")
	start := func() string {
		r := h.postJSON(base, tok, `{"exportType":"TABULAR_MULTI_COLUMN"}`)
		wantStatus(t, r, 200)
		return r.json(t)["viewReadRequest"].(map[string]any)["requestId"].(string)
	}
	idle, kept := start(), start()
	h.clock.Advance(20 * time.Minute)
	tok = h.login()
	wantStatus(t, h.get(base+"/"+kept+"/pages/0", tok), 200) // page 0 is divisible by 100: resets the timer
	h.clock.Advance(15 * time.Minute)
	tok = h.login()
	wantStatus(t, h.get(base+"/"+idle, tok), http.StatusNotFound)
	r := h.get(base+"/"+kept, tok)
	wantStatus(t, r, 200)
	if v := r.json(t)["viewReadRequest"].(map[string]any)["viewId"]; v != float64(102000000001) {
		t.Errorf("viewId = %v (a JSON number)", v)
	}
	wantStatus(t, h.postJSON(base, tok, `{"exportType":"PIE_CHART"}`), http.StatusBadRequest)
}
