package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Handlers for modules, line items, views, view data and dimension items
// (anaplan-api.md §6).

// listModules serves GET …/modules.
func (e *Emulator) listModules(w http.ResponseWriter, r *http.Request) {
	writeTxnList(e, w, r, "module", "modules", func(m *engine.Model) []engine.ObjectRef { return m.Modules() })
}

// lineItemJSON is an entry of GET …/lineItems: moduleId, moduleName, id
// and name; includeAll=true adds the metadata the engine knows.
type lineItemJSON struct {
	ModuleID       string              `json:"moduleId"`
	ModuleName     string              `json:"moduleName"`
	ID             string              `json:"id"`
	Name           string              `json:"name"`
	Format         string              `json:"format,omitempty"`
	FormatMetadata *formatMetadataJSON `json:"formatMetadata,omitempty"`
	Formula        string              `json:"formula,omitempty"`
	AppliesTo      []engine.ObjectRef  `json:"appliesTo,omitempty"`
	IsSummary      *bool               `json:"isSummary,omitempty"`
}

type formatMetadataJSON struct {
	DataType string `json:"dataType"`
}

// listLineItems serves GET …/lineItems and …/modules/{moduleId}/lineItems.
func (e *Emulator) listLineItems(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, r.PathValue("moduleId") != "")
	if !ok {
		return
	}
	var items []engine.LineItem
	if bm != nil {
		var err error
		if items, err = bm.engine.LineItems(r.PathValue("moduleId")); err != nil {
			e.writeEngineError(w, r, err)
			return
		}
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	all := queryFlag(r, "includeAll")
	out := rendered(pageOf(page, items), func(li engine.LineItem) lineItemJSON {
		j := lineItemJSON{ModuleID: li.ModuleID, ModuleName: li.ModuleName, ID: li.ID, Name: li.Name}
		if all {
			f := false
			j.Format, j.Formula, j.AppliesTo, j.IsSummary = li.Format, li.Formula, li.AppliesTo, &f
			j.FormatMetadata = &formatMetadataJSON{DataType: li.Format}
		}
		return j
	})
	writePage(w, r, page, modelSuccess(r, m.ID, "lineItem", nil), "items", out, len(items))
}

// lineItemDimensions serves GET …/lineItems/{lineItemId}/dimensions.
func (e *Emulator) lineItemDimensions(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	dims, err := bm.engine.LineItemDimensions(r.PathValue("lineItemId"))
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	writeEnvelopeWith(w, modelSuccess(r, m.ID, "dimension", nil), "dimensions", dims, len(dims) > 0)
}

// objectDimensionItems serves the items of a dimension of a line item or
// a view (param names which).
func (e *Emulator) objectDimensionItems(param string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, bm, ok := e.txnModel(w, r, true)
		if !ok {
			return
		}
		items, err := bm.engine.ObjectDimensionItems(r.PathValue(param), r.PathValue("dimensionId"))
		if err != nil {
			e.writeEngineError(w, r, err)
			return
		}
		writeEnvelopeWith(w, modelSuccess(r, m.ID, "dimension", nil), "items", items, len(items) > 0)
	}
}

// listViews serves GET …/views and …/modules/{moduleId}/views: each
// module's default view (includesubsidiaryviews adds nothing: the engine
// has no saved views).
func (e *Emulator) listViews(w http.ResponseWriter, r *http.Request) {
	moduleID := r.PathValue("moduleId")
	m, bm, ok := e.txnModel(w, r, moduleID != "")
	if !ok {
		return
	}
	var views []engine.View
	if bm != nil {
		views = bm.engine.Views()
		if moduleID != "" {
			var err error
			if views, err = bm.engine.ModuleViews(moduleID); err != nil {
				e.writeEngineError(w, r, err)
				return
			}
		}
	}
	page, ok := e.readPage(w, r)
	if !ok {
		return
	}
	writePage(w, r, page, modelSuccess(r, m.ID, "view", nil), "views", pageOf(page, views), len(views))
}

// getView serves GET …/views/{viewId}: the view's axes.
func (e *Emulator) getView(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	md, err := bm.engine.ViewMetadata(r.PathValue("viewId"))
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		engine.ViewMetadata
	}{modelSuccess(r, m.ID, "view", nil), md})
}

// parsePages reads pages=<dimId>:<itemId>, repeated or comma-joined.
func parsePages(r *http.Request) ([]engine.PageSelector, string) {
	var out []engine.PageSelector
	for _, v := range r.URL.Query()["pages"] {
		for sel := range strings.SplitSeq(v, ",") {
			sel = strings.TrimSpace(sel)
			if sel == "" {
				continue
			}
			dim, item, ok := strings.Cut(sel, ":")
			if !ok || dim == "" || item == "" {
				return nil, "Invalid page selector [" + sel + "]"
			}
			out = append(out, engine.PageSelector{DimensionID: dim, ItemID: item})
		}
	}
	return out, ""
}

// viewDataRowJSON is a row of the JSON (format=v1) view data.
type viewDataRowJSON struct {
	RowCoordinates []string `json:"rowCoordinates"`
	Cells          []string `json:"cells"`
}

// getViewData serves GET …/views/{viewId}/data: CSV by default
// (text/csv;escaped=true quotes every field), JSON only with Accept:
// application/json and format=v1. Rows stream out as they are read; over
// 1,000,000 cells is 400.
func (e *Emulator) getViewData(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	pages, bad := parsePages(r)
	if bad != "" {
		e.writeAPIError(w, r, http.StatusBadRequest, bad)
		return
	}
	viewID := r.PathValue("viewId")
	if xt := r.URL.Query().Get("exportType"); strings.HasPrefix(xt, "TABULAR_") {
		e.writeTabularViewData(w, r, bm, viewID)
		return
	}
	asJSON := acceptsJSON(r) && r.URL.Query().Get("format") == "v1"
	tw := &trackedWriter{ResponseWriter: w}
	w = tw
	_, escaped := acceptsCSV(r)
	err := bm.engine.ReadView(viewID, pages, func(g *engine.ViewGrid) error {
		if !asJSON {
			w.Header().Set("Content-Type", "text/csv")
			w.WriteHeader(http.StatusOK)
			return g.WriteCSV(w, escaped)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		return writeViewJSON(w, g)
	})
	if err != nil && !tw.wrote {
		e.writeEngineError(w, r, err)
	}
}

// writeTabularViewData answers view data with exportType=TABULAR_…: the
// tabular layout (one row per combination of dimension items, every line
// item a column) as CSV, within the same 1,000,000-cell limit.
func (e *Emulator) writeTabularViewData(w http.ResponseWriter, r *http.Request, bm *bulkModel, viewID string) {
	rows, err := bm.engine.ViewRowCount(viewID)
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	md, _ := bm.engine.ViewMetadata(viewID)
	lineItems, _ := bm.engine.LineItems(md.ViewID)
	if len(lineItems) == 0 {
		lineItems = make([]engine.LineItem, 1) // a line item standing in for its view
	}
	if cells := rows * len(lineItems); cells > engine.MaxViewCells {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf(
			"The view has %d cells, more than %d: use a large read request (POST …/views/%s/readRequests).", cells, engine.MaxViewCells, viewID))
		return
	}
	_, escaped := acceptsCSV(r)
	w.Header().Set("Content-Type", "text/csv")
	w.WriteHeader(http.StatusOK)
	if err := bm.engine.WriteViewTabularCSV(w, viewID, 0, rows, escaped); err != nil {
		e.log.Debug("emulator: tabular view data write ended", "error", err)
	}
}

// writeViewJSON streams {"pages":[…],"columnCoordinates":[[…]],"rows":[…]},
// a chunk of rows at a time.
func writeViewJSON(w http.ResponseWriter, g *engine.ViewGrid) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	pages := g.Pages
	if pages == nil {
		pages = []string{}
	}
	cols := make([][]string, len(g.Columns))
	for i, c := range g.Columns {
		cols[i] = []string{c}
	}
	buf.WriteString(`{"pages":`)
	_ = enc.Encode(pages)
	buf.WriteString(`,"columnCoordinates":`)
	_ = enc.Encode(cols)
	buf.WriteString(`,"rows":[`)
	first := true
	flush := func() error {
		_, err := w.Write(buf.Bytes())
		buf.Reset()
		return err
	}
	err := g.EachRow(func(label string, cells []string) error {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		return enc.Encode(viewDataRowJSON{RowCoordinates: []string{label}, Cells: cells})
	}, flush)
	if err != nil {
		return err
	}
	buf.WriteString("]}\n")
	return flush()
}

// getDimensionItems serves GET …/dimensions/{dimensionId}/items.
func (e *Emulator) getDimensionItems(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	if items, builtin, refuse := e.builtinDimension(r.PathValue("dimensionId")); builtin {
		if refuse != "" {
			e.writeAPIError(w, r, http.StatusBadRequest, refuse)
			return
		}
		writeEnvelopeWith(w, modelSuccess(r, m.ID, "dimension", nil), "items", items, len(items) > 0)
		return
	}
	items, err := bm.engine.DimensionItems(r.PathValue("dimensionId"))
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	writeEnvelopeWith(w, modelSuccess(r, m.ID, "dimension", nil), "items", items, len(items) > 0)
}

// lookupDimensionItems serves POST …/dimensions/{dimensionId}/items
// {"names":[…],"codes":[…]}: matching items, case-insensitively.
func (e *Emulator) lookupDimensionItems(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.txnModel(w, r, true)
	if !ok {
		return
	}
	var body struct {
		Names []string `json:"names"`
		Codes []string `json:"codes"`
	}
	if _, err := decodeBody(w, r, &body); err != nil {
		e.writeBulkError(w, r, err)
		return
	}
	if len(body.Names) == 0 && len(body.Codes) == 0 {
		e.writeAPIError(w, r, http.StatusBadRequest, "Expected at least one of 'names' or 'codes' to be present and not empty.")
		return
	}
	if items, builtin, _ := e.builtinDimension(r.PathValue("dimensionId")); builtin {
		found := matchDimensionItems(items, body.Names, body.Codes)
		writeEnvelopeWith(w, modelSuccess(r, m.ID, "dimension", nil), "items", found, len(found) > 0)
		return
	}
	items, err := bm.engine.LookupDimensionItems(r.PathValue("dimensionId"), body.Names, body.Codes)
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	writeEnvelopeWith(w, modelSuccess(r, m.ID, "dimension", nil), "items", items, len(items) > 0)
}
