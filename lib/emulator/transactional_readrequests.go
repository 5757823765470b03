package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Large-volume read requests for lists and views (anaplan-api.md §6
// "Large-volume reads"): POST starts a request, GET reports its state and
// availablePages, pages are CSV, DELETE ends it. Progress is derived from
// the emulator's clock (Options.Now) over Options.TaskDuration, like a
// task: IN_PROGRESS with availablePages growing until it is COMPLETE, so
// tests advance the clock instead of sleeping. Pages are rendered when
// fetched, from the model as it is then (UNVERIFIED: Anaplan reads a
// consistent copy); each page is a CSV with its own header row.

// readIdleExpiry is how long an untouched read request lives (H:lrr):
// creating it and fetching a page whose number is divisible by 100 reset
// the timer.
const readIdleExpiry = 30 * time.Minute

// DefaultReadPageRows is the number of rows (list items, or view rows in
// the tabular layout) per read request page when Options.ReadPageRows is 0.
const DefaultReadPageRows = 50_000

type readKind int

const (
	readList readKind = iota
	readView
)

func (k readKind) param() string {
	if k == readList {
		return "listId"
	}
	return "viewId"
}

func (k readKind) key() string {
	if k == readList {
		return "listReadRequest"
	}
	return "viewReadRequest"
}

// readRequest is one large read.
type readRequest struct {
	id         string
	kind       readKind
	modelID    string
	objectID   string
	created    time.Time
	lastAccess time.Time
	rows       int
	pages      int
}

// readRequestJSON is listReadRequest / viewReadRequest. viewId is a JSON
// number, as in Anaplan's examples (anaplan-api.md §3); listId is a
// string, as the OAS ListReadRequest schema has it.
type readRequestJSON struct {
	RequestID      string       `json:"requestId"`
	ListID         *string      `json:"listId,omitempty"`
	ViewID         *json.Number `json:"viewId,omitempty"`
	RequestState   string       `json:"requestState"`
	URL            string       `json:"url"`
	AvailablePages *int         `json:"availablePages,omitempty"`
	Successful     *bool        `json:"successful,omitempty"`
}

// progress is the request's state and available pages at now.
func (rr *readRequest) progress(now time.Time, d time.Duration) (string, int) {
	elapsed := now.Sub(rr.created)
	if elapsed >= d {
		return "COMPLETE", rr.pages
	}
	if elapsed < 0 {
		elapsed = 0
	}
	return "IN_PROGRESS", int(int64(rr.pages) * int64(elapsed) / int64(d))
}

func (e *Emulator) readRequestJSON(r *http.Request, rr *readRequest, detail bool) readRequestJSON {
	state, avail := rr.progress(e.now(), e.bulk.duration)
	u := baseURL(r) + strings.TrimSuffix(r.URL.EscapedPath(), "/")
	if !strings.HasSuffix(u, "/readRequests/"+rr.id) {
		u = strings.TrimSuffix(u, "/readRequests") + "/readRequests/" + rr.id
	}
	j := readRequestJSON{RequestID: rr.id, RequestState: state, URL: u}
	if detail {
		if rr.kind == readList {
			id := rr.objectID
			j.ListID = &id
		} else {
			n := json.Number(rr.objectID)
			j.ViewID = &n
		}
		j.AvailablePages = &avail
		if state == "COMPLETE" {
			ok := true
			j.Successful = &ok
		}
	}
	return j
}

func (e *Emulator) writeReadRequest(w http.ResponseWriter, r *http.Request, modelID string, rr *readRequest, detail bool) {
	writeEnvelopeWith(w, modelSuccess(r, modelID, rr.kind.key(), nil), rr.kind.key(), e.readRequestJSON(r, rr, detail), true)
}

// startReadRequest serves POST …/{lists/{listId}|views/{viewId}}/readRequests.
func (e *Emulator) startReadRequest(kind readKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, bm, ok := e.txnModel(w, r, true)
		if !ok {
			return
		}
		objectID := r.PathValue(kind.param())
		var body struct {
			ExportType string `json:"exportType"`
		}
		if _, err := decodeBody(w, r, &body); err != nil {
			e.writeBulkError(w, r, err)
			return
		}
		var rows int
		var err error
		if kind == readList {
			rows, err = bm.engine.ListSize(objectID)
		} else {
			switch body.ExportType {
			case "", "TABULAR_MULTI_COLUMN", "TABULAR_SINGLE_COLUMN", "GRID_ALL_PAGES", "GRID_CURRENT_PAGE":
			default:
				e.writeAPIError(w, r, http.StatusBadRequest, "Unknown exportType '"+body.ExportType+
					"': use TABULAR_MULTI_COLUMN, TABULAR_SINGLE_COLUMN, GRID_ALL_PAGES or GRID_CURRENT_PAGE.")
				return
			}
			rows, err = bm.engine.ViewRowCount(objectID)
		}
		if err != nil {
			e.writeEngineError(w, r, err)
			return
		}
		per := e.txn.pageRows
		rr := &readRequest{kind: kind, modelID: m.ID, objectID: objectID, rows: rows,
			pages: max(1, (rows+per-1)/per), created: e.now()}
		rr.lastAccess = rr.created
		e.txn.addRead(rr, e.now())
		e.writeReadRequest(w, r, m.ID, rr, false)
	}
}

// lookupRead finds a live read request under its own list or view.
func (e *Emulator) lookupRead(w http.ResponseWriter, r *http.Request, kind readKind) (modelRow, *readRequest, bool) {
	m, _, ok := e.txnModel(w, r, true)
	if !ok {
		return m, nil, false
	}
	rr := e.txn.read(r.PathValue("requestId"), e.now())
	if rr == nil || rr.kind != kind || rr.modelID != m.ID || rr.objectID != r.PathValue(kind.param()) {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return m, nil, false
	}
	return m, rr, true
}

// getReadRequest serves GET …/readRequests/{requestId}.
func (e *Emulator) getReadRequest(kind readKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, rr, ok := e.lookupRead(w, r, kind)
		if ok {
			e.writeReadRequest(w, r, m.ID, rr, true)
		}
	}
}

// deleteReadRequest serves DELETE …/readRequests/{requestId}: the
// request as it ends (CANCELLED while in progress, else COMPLETE), then
// it is gone.
func (e *Emulator) deleteReadRequest(kind readKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, rr, ok := e.lookupRead(w, r, kind)
		if !ok {
			return
		}
		e.txn.removeRead(rr.id)
		j := e.readRequestJSON(r, rr, true)
		if j.RequestState != "COMPLETE" {
			j.RequestState = "CANCELLED"
		}
		j.AvailablePages, j.Successful = nil, nil
		writeEnvelopeWith(w, modelSuccess(r, m.ID, kind.key(), nil), kind.key(), j, true)
	}
}

// getReadPage serves GET …/readRequests/{requestId}/pages/{pageNo}: CSV
// (quoted throughout with Accept: text/csv;escaped=true). A page not yet
// available, or past the last, is 404.
func (e *Emulator) getReadPage(kind readKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, rr, ok := e.lookupRead(w, r, kind)
		if !ok {
			return
		}
		n, err := strconv.Atoi(r.PathValue("pageNo"))
		_, avail := rr.progress(e.now(), e.bulk.duration)
		if err != nil || n < 0 || n >= avail {
			e.writeAPIError(w, r, http.StatusNotFound, "")
			return
		}
		if n%100 == 0 {
			e.txn.touchRead(rr.id, e.now())
		}
		bm := e.bulk.model(rr.modelID)
		per := e.txn.pageRows
		lo, hi := n*per, min(rr.rows, (n+1)*per)
		_, escaped := acceptsCSV(r)
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(http.StatusOK)
		if kind == readList {
			err = bm.engine.WriteListCSV(w, rr.objectID, lo, hi, escaped)
		} else {
			err = bm.engine.WriteViewTabularCSV(w, rr.objectID, lo, hi, escaped)
		}
		if err != nil {
			e.log.Debug("emulator: read page write ended", "error", err)
		}
	}
}

// readRequestID is a deterministic 32-uppercase-hex id.
func readRequestID(seq int64) string {
	sum := sha256.Sum256([]byte("emulator read request " + strconv.FormatInt(seq, 10)))
	return strings.ToUpper(hex.EncodeToString(sum[:16]))
}
