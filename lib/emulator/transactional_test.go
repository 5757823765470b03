package emulator_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The Model Registry's transactional objects (engine definition order).
const (
	listW1       = "101000000000"
	listW2       = "101000000001"
	moduleW1     = "102000000000"
	moduleW2     = "102000000001"
	liW2Name     = "206000000004"
	liW2Size     = "206000000005"
	liW2Space    = "206000000003" // formula: PARENT(ITEM('W2 Models'))
	liW1Allowanc = "206000000001"
)

// txnPath is a path under the Model Registry in the short model form.
func txnPath(rest string) string { return "/2/0/models/" + emulator.RegistryModelID + rest }

// accept does an authenticated request with an Accept header.
func (h *harness) accept(method, path, token, accept, body string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// seedRegistry adds two workspaces and three models transactionally.
func seedRegistry(t *testing.T, h *harness, token string) {
	t.Helper()
	r := h.postJSON(txnPath("/lists/"+listW1+"/items?action=add"), token,
		`{"items":[{"code":"W1","name":"Admin Tools","properties":{"Workspace Name":"Admin Tools"}},
		{"code":"W2","name":"Finance","properties":{"Workspace Name":"Finance"}}]}`)
	wantStatus(t, r, 200)
	r = h.postJSON(txnPath("/lists/"+listW2+"/items?action=add"), token,
		`{"items":[{"code":"M1","name":"Model Registry","parent":"W1"},
		{"code":"M2","name":"FP&A","parent":"W2"},{"code":"M3","name":"Sales, EMEA","parent":"W2"}]}`)
	wantStatus(t, r, 200)
	if got := r.json(t)["added"]; got != float64(3) {
		t.Fatalf("added = %v, body %s", got, r.body)
	}
}

func TestTxnListItemsAddReportsFailuresByRequestIndex(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	r := h.postJSON(txnPath("/lists/"+listW2+"/items?action=add"), tok,
		`{"items":[{"code":"M4","name":"New","parent":"W1"},{"code":"M1","name":"Again"},
		{"code":"M5","parent":"NOPE"},{"code":"M6","properties":{"No Such":"x"}}]}`)
	wantStatus(t, r, 200)
	body := r.json(t)
	if body["added"] != float64(1) || body["ignored"] != float64(3) || body["total"] != float64(4) {
		t.Fatalf("counts: %s", r.body)
	}
	failures := body["failures"].([]any)
	for i, want := range []float64{1, 2, 3} {
		if got := failures[i].(map[string]any)["requestIndex"]; got != want {
			t.Errorf("failure %d requestIndex = %v, want %v (%s)", i, got, want, r.body)
		}
	}
	// A clean add omits failures.
	r = h.postJSON(txnPath("/lists/"+listW2+"/items?action=add"), tok, `{"items":[{"code":"M7","name":"Seven"}]}`)
	if _, ok := r.json(t)["failures"]; ok {
		t.Errorf("failures present on a clean add: %s", r.body)
	}
}

func TestTxnListItemsReadJSONAndCSV(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	r := h.get(txnPath("/lists/"+listW2+"/items?includeAll=true"), tok)
	wantStatus(t, r, 200)
	items := r.json(t)["listItems"].([]any)
	if len(items) != 3 {
		t.Fatalf("items: %s", r.body)
	}
	m2 := items[1].(map[string]any)
	if m2["code"] != "M2" || m2["name"] != "FP&A" || m2["parent"] != "Finance" || m2["listName"] != "W1 Workspaces" {
		t.Errorf("item M2 = %v", m2)
	}
	if _, ok := m2["properties"]; !ok {
		t.Errorf("includeAll=true: no properties in %v", m2)
	}
	plain := h.get(txnPath("/lists/"+listW2+"/items"), tok).json(t)["listItems"].([]any)
	if _, ok := plain[0].(map[string]any)["properties"]; ok {
		t.Errorf("properties without includeAll: %v", plain[0])
	}
	c := h.accept("GET", txnPath("/lists/"+listW2+"/items"), tok, "text/csv", "")
	wantStatus(t, c, 200)
	recs, err := csv.NewReader(strings.NewReader(string(c.body))).ReadAll()
	if err != nil {
		t.Fatalf("CSV %q: %v", c.body, err)
	}
	if len(recs) != 4 || recs[0][1] != "name" || recs[3][1] != "Sales, EMEA" || recs[3][3] != "Finance" {
		t.Errorf("CSV records %q", recs)
	}
	esc := h.accept("GET", txnPath("/lists/"+listW2+"/items"), tok, "text/csv;escaped=true", "")
	if !strings.HasPrefix(string(esc.body), `"id","name","code"`) {
		t.Errorf("escaped CSV does not quote every field: %q", esc.body)
	}
	paged := h.get(txnPath("/lists/"+listW2+"/items?limit=2&offset=1"), tok).json(t)
	if n := len(paged["listItems"].([]any)); n != 2 || paged["meta"].(map[string]any)["paging"].(map[string]any)["totalSize"] != float64(3) {
		t.Errorf("paged read: %v", paged)
	}
}

func TestTxnListItemsUpdateDeleteAndResetIndex(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	r := h.do("PUT", txnPath("/lists/"+listW2+"/items"), "AnaplanAuthToken "+tok,
		`{"items":[{"code":"M3","name":"Sales EMEA","parent":"W1"},{"code":"NOPE","name":"x"}]}`)
	wantStatus(t, r, 200)
	if b := r.json(t); b["updated"] != float64(1) || b["ignored"] != float64(1) || b["failures"].([]any)[0].(map[string]any)["requestIndex"] != float64(1) {
		t.Fatalf("update: %s", r.body)
	}
	items := h.get(txnPath("/lists/"+listW2+"/items"), tok).json(t)["listItems"].([]any)
	if m3 := items[2].(map[string]any); m3["name"] != "Sales EMEA" || m3["parent"] != "Admin Tools" {
		t.Errorf("after update: %v", m3)
	}
	wantStatus(t, h.postJSON(txnPath("/lists/"+listW2+"/resetIndex"), tok, ""), http.StatusBadRequest)
	r = h.postJSON(txnPath("/lists/"+listW2+"/items?action=delete"), tok,
		`{"items":[{"code":"M1"},{"code":"Region 1"},{"id":"`+itemID(t, h, tok, listW2, 1)+`"},{"name":"Sales EMEA"}]}`)
	wantStatus(t, r, 200)
	b := r.json(t)
	if b["deleted"] != float64(2) || b["failures"].([]any)[0].(map[string]any)["failureMessageDetails"] != "Code 'Region 1' not found" {
		t.Fatalf("delete: %s", r.body)
	}
	// A numbered list's items are identified by id or code, not by name.
	if f := b["failures"].([]any)[1].(map[string]any); f["requestIndex"] != float64(3) || f["failureType"] != "INCOMPLETE_DATA" {
		t.Errorf("delete by name in a numbered list: %v", f)
	}
	wantStatus(t, h.postJSON(txnPath("/lists/"+listW2+"/items?action=delete"), tok, `{"items":[{"code":"M3"}]}`), 200)
	if _, ok := h.get(txnPath("/lists/"+listW2+"/items"), tok).json(t)["listItems"]; ok {
		t.Errorf("items left after deleting all")
	}
	r = h.postJSON(txnPath("/lists/"+listW2+"/resetIndex"), tok, "")
	wantStatus(t, r, http.StatusOK)
	if len(r.body) != 0 {
		t.Errorf("resetIndex body %q", r.body)
	}
	r = h.postJSON(txnPath("/lists/"+listW2+"/items?action=add"), tok, `{"items":[{"code":"M9"}]}`)
	wantStatus(t, r, 200)
	if id := itemID(t, h, tok, listW2, 0); id != "201000000001" {
		t.Errorf("first item after resetIndex has id %s, want 201000000001", id)
	}
}

// itemID is the id of the n-th item of a list.
func itemID(t *testing.T, h *harness, tok, listID string, n int) string {
	t.Helper()
	items := h.get(txnPath("/lists/"+listID+"/items"), tok).json(t)["listItems"].([]any)
	return items[n].(map[string]any)["id"].(string)
}

func TestTxnListWritesOverTheLimitAre400(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := range 100_001 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"code":"C%d"}`, i)
	}
	b.WriteString("]}")
	r := h.postJSON(txnPath("/lists/"+listW1+"/items?action=add"), tok, b.String())
	wantStatus(t, r, http.StatusBadRequest)
	if !strings.Contains(string(r.body), "100000") {
		t.Errorf("message does not name the limit: %s", r.body)
	}
	if _, ok := h.get(txnPath("/lists/"+listW1+"/items"), tok).json(t)["listItems"]; ok {
		t.Error("a rejected call added items")
	}
}

func TestTxnCellWritesByIDAndByName(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	m1 := itemID(t, h, tok, listW2, 0)
	w1 := itemID(t, h, tok, listW1, 0)
	body := `[
	 {"lineItemId":"` + liW2Size + `","dimensions":[{"dimensionId":"` + listW2 + `","itemId":"` + m1 + `"}],"value":125829120},
	 {"lineItemName":"Name","dimensions":[{"dimensionName":"W2 Models","itemCode":"M2"}],"value":"FP&A"},
	 {"lineItemName":"current size","dimensions":[{"dimensionName":"w2 models","itemName":"sales, emea"}],"value":"42"},
	 {"lineItemId":"` + liW2Space + `","dimensions":[{"dimensionId":"` + listW2 + `","itemId":"` + m1 + `"}],"value":"W2"},
	 {"lineItemId":"` + liW2Size + `","dimensions":[{"dimensionId":"` + listW2 + `","itemId":"` + w1 + `"}],"value":1},
	 {"lineItemId":"` + liW2Size + `","dimensions":[{"dimensionId":"` + listW2 + `","itemCode":"M2"}],"value":"lots"}
	]`
	r := h.postJSON(txnPath("/modules/"+moduleW2+"/data"), tok, body)
	wantStatus(t, r, 200)
	res := r.json(t)
	if res["numberOfCellsChanged"] != float64(3) {
		t.Fatalf("changed: %s", r.body)
	}
	f := res["failures"].([]any)
	if len(f) != 3 {
		t.Fatalf("failures: %s", r.body)
	}
	for i, want := range []float64{3, 4, 5} {
		if f[i].(map[string]any)["requestIndex"] != want {
			t.Errorf("failure %d: %v", i, f[i])
		}
	}
	if !strings.Contains(f[1].(map[string]any)["failureMessageDetails"].(string), "aggregate") {
		t.Errorf("aggregate failure does not say so: %v", f[1])
	}

	// The view reads back what was written, formulas included.
	c := h.accept("GET", txnPath("/views/"+moduleW2+"/data"), tok, "text/csv", "")
	wantStatus(t, c, 200)
	recs, err := csv.NewReader(strings.NewReader(string(c.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"", "Workspace", "Name", "Current Size"}, {"Model Registry", "Admin Tools", "", "125829120"},
		{"FP&A", "Finance", "FP&A", "0"}, {"Sales, EMEA", "Finance", "", "42"}}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("view CSV = %q, want %q", recs, want)
	}
	j := h.accept("GET", txnPath("/views/"+moduleW2+"/data?format=v1"), tok, "application/json", "")
	wantStatus(t, j, 200)
	var grid struct {
		Pages             []string   `json:"pages"`
		ColumnCoordinates [][]string `json:"columnCoordinates"`
		Rows              []struct {
			RowCoordinates []string `json:"rowCoordinates"`
			Cells          []string `json:"cells"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(j.body, &grid); err != nil {
		t.Fatalf("JSON view data %s: %v", j.body, err)
	}
	if grid.Pages == nil || len(grid.ColumnCoordinates) != 3 || len(grid.Rows) != 3 || grid.Rows[2].Cells[2] != "42" || grid.Rows[2].RowCoordinates[0] != "Sales, EMEA" {
		t.Errorf("JSON view data = %+v", grid)
	}
	// Without format=v1 the answer stays CSV.
	if ct := h.accept("GET", txnPath("/views/"+moduleW2+"/data"), tok, "application/json", "").header.Get("Content-Type"); ct != "text/csv" {
		t.Errorf("Accept JSON without format=v1: Content-Type %q", ct)
	}
	esc := h.accept("GET", txnPath("/views/"+moduleW2+"/data"), tok, "text/csv;escaped=true", "")
	if !strings.HasPrefix(string(esc.body), `"","Workspace"`) {
		t.Errorf("escaped view CSV: %q", esc.body)
	}
}

func TestTxnCellWriteOver15MBIs400(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	big := `[{"lineItemName":"Name","dimensions":[],"value":"` + strings.Repeat("x", 15<<20) + `"}]`
	wantStatus(t, h.postJSON(txnPath("/modules/"+moduleW2+"/data"), tok, big), http.StatusBadRequest)
}

func TestTxnViewsAndMetadata(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	views := h.get(txnPath("/views"), tok).json(t)["views"].([]any)
	if len(views) != 2 || views[1].(map[string]any)["id"] != moduleW2 || views[1].(map[string]any)["name"] != "W2 Model Register" {
		t.Fatalf("views: %v", views)
	}
	md := h.get(txnPath("/views/"+moduleW2), tok).json(t)
	if md["viewName"] != "W2 Model Register" || md["rows"].([]any)[0].(map[string]any)["id"] != listW2 {
		t.Errorf("view metadata: %v", md)
	}
	if _, ok := md["pages"]; ok {
		t.Errorf("empty pages axis present: %v", md)
	}
	wantStatus(t, h.get(txnPath("/views/"+liW2Name), tok), 200) // a line item id stands in for a view
	wantStatus(t, h.get(txnPath("/views/999000000000"), tok), http.StatusNotFound)
	wantStatus(t, h.get(txnPath("/views/"+moduleW2+"/data?pages="+listW1+":1"), tok), http.StatusBadRequest)
	li := h.get(txnPath("/modules/"+moduleW2+"/lineItems?includeAll=true"), tok).json(t)["items"].([]any)
	if len(li) != 3 || li[0].(map[string]any)["formula"] != "PARENT(ITEM('W2 Models'))" {
		t.Errorf("line items: %v", li)
	}
	all := h.get(txnPath("/lineItems"), tok).json(t)["items"].([]any)
	if len(all) != 6 {
		t.Errorf("model line items: %d", len(all))
	}
	if _, ok := all[0].(map[string]any)["format"]; ok {
		t.Errorf("format without includeAll: %v", all[0])
	}
	dims := h.get(txnPath("/lineItems/"+liW2Name+"/dimensions"), tok).json(t)["dimensions"].([]any)
	if len(dims) != 1 || dims[0].(map[string]any)["name"] != "W2 Models" {
		t.Errorf("line item dimensions: %v", dims)
	}
}

func TestTxnDimensionItemsLookupIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	all := h.get(txnPath("/dimensions/"+listW2+"/items"), tok).json(t)["items"].([]any)
	if len(all) != 3 || all[0].(map[string]any)["code"] != "M1" {
		t.Fatalf("items: %v", all)
	}
	r := h.postJSON(txnPath("/dimensions/"+listW2+"/items"), tok, `{"names":["fp&a"],"codes":["m3"]}`)
	found := r.json(t)["items"].([]any)
	if len(found) != 2 || found[0].(map[string]any)["name"] != "FP&A" || found[1].(map[string]any)["code"] != "M3" {
		t.Errorf("lookup: %s", r.body)
	}
	wantStatus(t, h.postJSON(txnPath("/dimensions/"+listW2+"/items"), tok, `{}`), http.StatusBadRequest)
	items := h.get(txnPath("/lineItems/"+liW2Name+"/dimensions/"+listW2+"/items"), tok).json(t)["items"].([]any)
	if len(items) != 3 {
		t.Errorf("line item dimension items: %v", items)
	}
	wantStatus(t, h.get(txnPath("/views/"+moduleW2+"/dimensions/"+listW1+"/items"), tok), http.StatusNotFound)
}

func TestTxnWritesWhileAnImportRunsAre409(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	h.putFile(tok, workspacesFile, workspacesCSV)
	h.putFile(tok, modelsFile, modelsCSV)
	emulator.HoldEngine(h.e, emulator.RegistryModelID, func() {
		wantStatus(t, h.postJSON(txnPath("/lists/"+listW1+"/items?action=add"), tok, `{"items":[{"code":"X"}]}`), http.StatusConflict)
	})
	wantStatus(t, h.postJSON(txnPath("/lists/"+listW1+"/items?action=add"), tok, `{"items":[{"code":"X"}]}`), http.StatusOK)
}

func TestTxnBuiltInDimensionsAndTabularViewData(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	wantStatus(t, h.get(txnPath("/dimensions/20000000003/items"), tok), http.StatusBadRequest)
	v := h.get(txnPath("/dimensions/20000000020/items"), tok).json(t)["items"].([]any)
	if len(v) != 2 || v[0].(map[string]any)["name"] != "Actual" {
		t.Errorf("versions: %v", v)
	}
	u := h.postJSON(txnPath("/dimensions/101999999999/items"), tok, `{"names":["`+strings.ToUpper(emulator.DemoUser)+`"]}`)
	if items := u.json(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != emulator.DemoUser {
		t.Errorf("users lookup: %s", u.body)
	}
	c := h.accept("GET", txnPath("/views/"+moduleW2+"/data?exportType=TABULAR_MULTI_COLUMN&moduleId="+moduleW2), tok, "text/csv", "")
	wantStatus(t, c, 200)
	if !strings.HasPrefix(string(c.body), "W2 Models,Workspace,Name,Current Size\r\nModel Registry,Admin Tools,,0\r\n") {
		t.Errorf("tabular view data: %q", c.body)
	}
}
