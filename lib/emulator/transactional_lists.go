package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Handlers for lists (anaplan-api.md §6 "Lists"): the list of lists, list
// metadata, items as JSON or CSV, add/update/delete and resetIndex.

// listLists serves GET …/lists.
func (e *Emulator) listLists(w http.ResponseWriter, r *http.Request) {
	writeTxnList(e, w, r, "list", "lists", func(m *engine.Model) []engine.ObjectRef { return m.Lists() })
}

// writeTxnList answers a paged list of model objects, empty key omitted.
func writeTxnList[T any](e *Emulator, w http.ResponseWriter, r *http.Request, objectType, key string, list func(*engine.Model) []T) {
	m, bm, ok := e.txnModel(w, r, false)
	if !ok {
		return
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	var items []T
	if bm != nil {
		items = list(bm.engine)
	}
	writePage(w, r, page, modelSuccess(r, m.ID, objectType, nil), key, pageOf(page, items), len(items))
}

// listMetadataJSON is "metadata" of GET …/lists/{listId}: the engine's
// entries plus the flags Anaplan always sends.
type listMetadataJSON struct {
	engine.ListMetadata
	HasSelectiveAccess       bool `json:"hasSelectiveAccess"`
	UseTopLevelAsPageDefault bool `json:"useTopLevelAsPageDefault"`
	WorkflowEnabled          bool `json:"workflowEnabled"`
	ProductionData           bool `json:"productionData"`
}

// getList serves GET …/lists/{listId}.
func (e *Emulator) getList(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	md, err := bm.engine.ListMetadata(r.PathValue("listId"))
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Metadata listMetadataJSON `json:"metadata"`
	}{modelSuccess(r, m.ID, "list", nil), listMetadataJSON{ListMetadata: md}})
}

// maxListRead is the most items a synchronous list read returns; larger
// lists need a read request (anaplan-api.md §13).
const maxListRead = 1_000_000

// getListItems serves GET …/lists/{listId}/items[?includeAll=true], as
// JSON or, with Accept: text/csv, as CSV. Without offset/limit the whole
// list comes back (it is not paged by default); with them, a page with
// meta.paging. Properties come with includeAll=true only (OAS ListItem).
func (e *Emulator) getListItems(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	listID := r.PathValue("listId")
	size, err := bm.engine.ListSize(listID)
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	q := r.URL.Query()
	paged := q.Get("offset") != "" || q.Get("limit") != ""
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	if !paged && size > maxListRead {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf(
			"The list has %d items, more than %d: read it with a large read request (POST …/lists/%s/readRequests).", size, maxListRead, listID))
		return
	}
	lo, hi := 0, size
	if paged {
		lo, hi = page.window(size)
	}
	if csv, escaped := acceptsCSV(r); csv && !acceptsJSON(r) {
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(http.StatusOK)
		if err := bm.engine.WriteListCSV(w, listID, lo, hi, escaped); err != nil {
			e.log.Debug("emulator: list CSV write ended", "error", err)
		}
		return
	}
	var paging *pagingJSON
	if paged {
		paging = page.paging(r, hi-lo, size)
	}
	env := modelSuccess(r, m.ID, "list", paging)
	if hi == lo {
		writeJSON(w, http.StatusOK, env)
		return
	}
	e.streamListItems(w, env, bm, listID, lo, hi, queryFlag(r, "includeAll"))
}

// streamListItems writes {"meta":…,"status":…,"listItems":[…]} item by
// item: a million-item list never sits in memory as JSON or as structs.
func (e *Emulator) streamListItems(w http.ResponseWriter, env envelope, bm *bulkModel, listID string, lo, hi int, includeAll bool) {
	var head bytes.Buffer
	henc := json.NewEncoder(&head)
	henc.SetEscapeHTML(false)
	if err := henc.Encode(env); err != nil {
		e.log.Error("emulator: list items envelope", "error", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	buf := bytes.NewBuffer(bytes.TrimSuffix(bytes.TrimSpace(head.Bytes()), []byte("}")))
	buf.WriteString(`,"listItems":[`)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	flush := func() error {
		_, err := w.Write(buf.Bytes())
		buf.Reset()
		return err
	}
	first := true
	err := bm.engine.EachListItem(listID, lo, hi, includeAll, func(it *engine.ListItem) error {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		return enc.Encode(it)
	}, flush)
	if err == nil {
		buf.WriteString("]}\n")
		err = flush()
	}
	if err != nil {
		e.log.Debug("emulator: list items write ended", "error", err)
	}
}

// itemJSON is an item of an add, update or delete request. Parent is a
// pointer so "parent":"" (make top-level) differs from no parent field.
type itemJSON struct {
	ID         string            `json:"id"`
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Parent     *string           `json:"parent"`
	Properties map[string]string `json:"properties"`
	Subsets    map[string]bool   `json:"subsets"`
}

// maxItemsBody bounds an add/update/delete body: 100,000 items with
// properties fit well inside.
const maxItemsBody = 256 << 20

// readItems decodes {"items":[…]} and enforces the per-call limit.
func (e *Emulator) readItems(w http.ResponseWriter, r *http.Request) ([]engine.ItemInput, bool) {
	var body struct {
		Items []itemJSON `json:"items"`
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxItemsBody))
	if err == nil {
		err = json.Unmarshal(data, &body)
	}
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, "The request body must be a JSON object {\"items\":[…]}: "+err.Error())
		return nil, false
	}
	if len(body.Items) == 0 {
		e.writeAPIError(w, r, http.StatusBadRequest, "Expected mandatory field 'items' to be present and not empty.")
		return nil, false
	}
	if len(body.Items) > engine.MaxItemsPerCall {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf(
			"%d items in one request: at most %d are allowed. Split the request.", len(body.Items), engine.MaxItemsPerCall))
		return nil, false
	}
	out := make([]engine.ItemInput, len(body.Items))
	for i, it := range body.Items {
		out[i] = engine.ItemInput{ID: it.ID, Code: it.Code, Name: it.Name, Parent: it.Parent, Properties: it.Properties}
	}
	return out, true
}

// itemsResultJSON answers add, update and delete: the counts of the
// action, ignored, total, and failures (omitted when there are none).
type itemsResultJSON struct {
	envelope
	Added    *int             `json:"added,omitempty"`
	Updated  *int             `json:"updated,omitempty"`
	Deleted  *int             `json:"deleted,omitempty"`
	Ignored  int              `json:"ignored"`
	Total    int              `json:"total"`
	Failures []engine.Failure `json:"failures,omitempty"`
}

// postListItems serves POST …/lists/{listId}/items?action=add|delete.
// Delete answers top-level deleted/failures, the form SDK and Anaplan
// Connect decode (anaplan-api.md §6 CONFLICT), with ignored and total.
func (e *Emulator) postListItems(w http.ResponseWriter, r *http.Request) {
	action := r.URL.Query().Get("action")
	if action != "add" && action != "delete" {
		e.writeAPIError(w, r, http.StatusBadRequest, "Query parameter 'action' must be 'add' or 'delete'.")
		return
	}
	m, bm, ok := e.txnWrite(w, r)
	if !ok {
		return
	}
	items, ok := e.readItems(w, r)
	if !ok {
		return
	}
	apply := bm.engine.AddItems
	if action == "delete" {
		apply = bm.engine.DeleteItems
	}
	n, failures, err := apply(r.PathValue("listId"), items)
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	e.afterWrite(bm)
	res := itemsResultJSON{envelope: modelSuccess(r, m.ID, "list", nil), Ignored: len(failures), Total: len(items), Failures: failures}
	if action == "add" {
		res.Added = &n
	} else {
		res.Deleted = &n
	}
	writeJSON(w, http.StatusOK, res)
}

// putListItems serves PUT …/lists/{listId}/items: update.
func (e *Emulator) putListItems(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnWrite(w, r)
	if !ok {
		return
	}
	items, ok := e.readItems(w, r)
	if !ok {
		return
	}
	n, failures, err := bm.engine.UpdateItems(r.PathValue("listId"), items)
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	e.afterWrite(bm)
	writeJSON(w, http.StatusOK, itemsResultJSON{envelope: modelSuccess(r, m.ID, "list", nil),
		Updated: &n, Ignored: len(failures), Total: len(items), Failures: failures})
}

// resetListIndex serves POST …/lists/{listId}/resetIndex: 200 with no
// body, 400 while the list has items.
func (e *Emulator) resetListIndex(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.txnWrite(w, r)
	if !ok {
		return
	}
	if err := bm.engine.ResetIndex(r.PathValue("listId")); err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	e.afterWrite(bm)
	w.Header().Set("Content-Length", strconv.Itoa(0))
	w.WriteHeader(http.StatusOK)
}
