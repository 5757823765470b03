package engine

import (
	"bytes"
	"encoding/csv"
	"fmt"
)

// ExportMetadata is GET …/exports/{id} "exportMetadata".
type ExportMetadata struct {
	ColumnCount  int      `json:"columnCount"`
	DataTypes    []string `json:"dataTypes"`
	Delimiter    string   `json:"delimiter"`
	Encoding     string   `json:"encoding"`
	ExportFormat string   `json:"exportFormat"`
	HeaderNames  []string `json:"headerNames"`
	ListNames    []string `json:"listNames"`
	RowCount     int      `json:"rowCount"`
	Separator    string   `json:"separator"`
	Layout       string   `json:"layout"`
}

// RunExport produces an export's CSV (which the HTTP layer stores as the
// file whose id is the export id) and its task result.
//
// TABULAR_MULTI_COLUMN: one row per combination of dimension items, in
// list order; a column per dimension with the item's name (followed by its
// code when the export includes codes), then one column per line item.
// Numbers are plain decimals, list-formatted values are item names, formulas
// are evaluated.
func (m *Model) RunExport(exportID string) ([]byte, Result, error) {
	e := m.exportByID(exportID)
	if e == nil {
		return nil, Result{}, fmt.Errorf("engine: export %q: %w", exportID, ErrNotFound)
	}
	defer m.lock()()
	m.mu.RLock()
	defer m.mu.RUnlock()
	r := m.runExport(e)
	return r.Output, r, nil
}

// ExportMetadata describes an export's columns and current row count.
func (m *Model) ExportMetadata(exportID string) (ExportMetadata, error) {
	e := m.exportByID(exportID)
	if e == nil {
		return ExportMetadata{}, fmt.Errorf("engine: export %q: %w", exportID, ErrNotFound)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	md := ExportMetadata{
		Delimiter: `"`, Encoding: "UTF-8", ExportFormat: "text/csv", Separator: ",",
		Layout: "TABULAR_MULTI_COLUMN", RowCount: 1,
	}
	for _, l := range e.module.dims {
		md.ListNames = append(md.ListNames, l.name)
		md.RowCount *= l.len()
	}
	md.HeaderNames = e.header()
	for range e.module.dims {
		md.DataTypes = append(md.DataTypes, "ENTITY")
		if e.includeCodes {
			md.DataTypes = append(md.DataTypes, "TEXT")
		}
	}
	for _, li := range e.module.lineItems {
		t := li.format.String()
		if li.format == fList {
			t = "ENTITY"
		}
		md.DataTypes = append(md.DataTypes, t)
	}
	md.ColumnCount = len(md.HeaderNames)
	return md, nil
}

// header is the export's column names. With codes, a single-dimension
// module names the code column "Code"; with more dimensions each is
// "<List> Code" so the columns stay distinct.
func (e *export) header() []string {
	var h []string
	mod := e.module
	for _, l := range mod.dims {
		h = append(h, l.name)
		if e.includeCodes {
			if len(mod.dims) == 1 {
				h = append(h, "Code")
			} else {
				h = append(h, l.name+" Code")
			}
		}
	}
	for _, li := range mod.lineItems {
		h = append(h, li.name)
	}
	return h
}

func (m *Model) runExport(e *export) Result {
	mod := e.module
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(e.header())
	rows := 0
	rec := make([]string, 0, len(e.header()))
	forEachKey(mod.dims, func(key rowKey) {
		rec = rec[:0]
		for i, l := range mod.dims {
			rec = append(rec, l.names[key[i]])
			if e.includeCodes {
				rec = append(rec, l.codes[key[i]])
			}
		}
		for _, li := range mod.lineItems {
			rec = append(rec, li.text(mod.cell(li, key)))
		}
		w.Write(rec)
		rows++
	})
	w.Flush()
	return Result{
		Successful: true,
		ObjectID:   idString(e.id),
		ObjectName: e.name,
		// exportSucceeded is the detail type clients look for (JW's
		// ProcessParser); its message text is the emulator's (UNVERIFIED).
		Details:       []Detail{{Type: "exportSucceeded", LocalMessageText: fmt.Sprintf("%s: %d rows exported", e.name, rows)}},
		Output:        buf.Bytes(),
		RowsProcessed: rows,
		RowsSucceeded: rows,
	}
}

// forEachKey calls fn for every combination of items of dims, the first
// dimension varying slowest.
func forEachKey(dims []*list, fn func(rowKey)) {
	for _, l := range dims {
		if l.len() == 0 {
			return
		}
	}
	var key rowKey
	for {
		fn(key)
		i := len(dims) - 1
		for ; i >= 0; i-- {
			key[i]++
			if int(key[i]) < dims[i].len() {
				break
			}
			key[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

// text formats a value of the line item as exports and cell reads show it.
func (li *lineItem) text(v value) string {
	switch li.format {
	case fNumber:
		return formatNumber(v.num)
	case fList:
		if v.item < 0 {
			return ""
		}
		return li.list.names[v.item]
	default:
		return v.text
	}
}
