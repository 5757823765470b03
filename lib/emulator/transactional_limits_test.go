package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/emulator/engine/enginetest"
)

// A view over 1,000,000 cells is refused with a message pointing at read
// requests; the same data reads fine through one.
func TestTxnViewOverAMillionCellsIs400(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	h.putFile(tok, workspacesFile, string(enginetest.WorkspacesCSV(333_334))) // × 3 line items = 1,000,002 cells
	h.runTask(tok, "imports", importWorkspaces)
	r := h.get(txnPath("/views/"+moduleW1+"/data"), tok)
	wantStatus(t, r, http.StatusBadRequest)
	if !strings.Contains(string(r.body), "readRequests") {
		t.Errorf("message does not say what to do: %s", r.body)
	}
	wantStatus(t, h.get(txnPath("/views/"+moduleW1+"/data?exportType=TABULAR_MULTI_COLUMN"), tok), http.StatusBadRequest)
	wantStatus(t, h.postJSON(txnPath("/views/"+moduleW1+"/readRequests"), tok, `{"exportType":"TABULAR_MULTI_COLUMN"}`), http.StatusOK)
}

func TestTxnCellWriteOver100kCellsIs400(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	cell := `{"lineItemName":"Name","dimensions":[],"value":1}`
	body := "[" + strings.Repeat(cell+",", 100_000) + cell + "]"
	r := h.postJSON(txnPath("/modules/"+moduleW2+"/data"), tok, body)
	wantStatus(t, r, http.StatusBadRequest)
	if !strings.Contains(string(r.body), "100000") {
		t.Errorf("message does not name the limit: %s", r.body)
	}
}
