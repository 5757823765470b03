package emulator

import (
	"errors"
	"net/http"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// txnModel resolves the model of a transactional route: 404 as in
// scopedModel; a model without an engine has no lists or modules, so
// needEngine answers 404 there and lists answer empty.
func (e *Emulator) txnModel(w http.ResponseWriter, r *http.Request, needEngine bool) (modelRow, *bulkModel, bool) {
	m, bm, ok := e.bulkScope(w, r, needEngine)
	if ok {
		e.txn.touch(m.ID)
	}
	return m, bm, ok
}

// txnWrite resolves the model of a write and answers 409 while an
// import, export or process holds the model (anaplan-api.md §7).
func (e *Emulator) txnWrite(w http.ResponseWriter, r *http.Request) (modelRow, *bulkModel, bool) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return m, bm, false
	}
	if bm.engine.Busy() {
		e.writeAPIError(w, r, http.StatusConflict, "The model is busy: an import, export or process is running. Retry when it has finished.")
		return m, bm, false
	}
	return m, bm, true
}

// writeEngineError maps an engine error to Anaplan's status: 404 for
// unknown objects, 400 for limits and bad selectors, else 500.
func (e *Emulator) writeEngineError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, engine.ErrNotFound):
		e.writeAPIError(w, r, http.StatusNotFound, "")
	case errors.Is(err, engine.ErrTooMany), errors.Is(err, engine.ErrBadPage), errors.Is(err, engine.ErrListNotEmpty):
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "engine: ")
		msg = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(msg, ": "+engine.ErrTooMany.Error()), ": "+engine.ErrBadPage.Error()), ": "+engine.ErrNotFound.Error())
		e.writeAPIError(w, r, http.StatusBadRequest, msg)
	default:
		e.log.Error("emulator: transactional request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		e.writeAPIError(w, r, http.StatusInternalServerError, "")
	}
}

// afterWrite persists the model's data after a transactional write, as a
// bulk run does, so a restart loses nothing.
func (e *Emulator) afterWrite(bm *bulkModel) {
	e.txn.persistMu.Lock()
	defer e.txn.persistMu.Unlock()
	e.bulk.persistModel(bm)
}

// acceptsCSV reports whether the request asks for text/csv, and whether
// in the escaped form ("text/csv;escaped=true").
func acceptsCSV(r *http.Request) (csv, escaped bool) {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		media, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(media), "text/csv") {
			return true, strings.Contains(strings.ReplaceAll(strings.ToLower(params), " ", ""), "escaped=true")
		}
	}
	return false, false
}

// acceptsJSON reports whether the request asks for application/json.
func acceptsJSON(r *http.Request) bool {
	return strings.Contains(strings.ToLower(r.Header.Get("Accept")), "application/json")
}
