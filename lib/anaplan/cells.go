package anaplan

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"slices"
	"strconv"
)

// Cell is one cell to write into a module (POST …/modules/{moduleId}/data):
// a line item (by id or name) and one coordinate per dimension that applies
// to it (Time and Versions included). Value is a string, number or bool.
type Cell struct {
	LineItemID   string          `json:"lineItemId,omitempty"`
	LineItemName string          `json:"lineItemName,omitempty"`
	Dimensions   []CellDimension `json:"dimensions,omitempty"`
	Value        any             `json:"value"`
}

// CellDimension is a cell's coordinate on one dimension: the dimension by
// id or name, its item by id, name or code.
type CellDimension struct {
	DimensionID   string `json:"dimensionId,omitempty"`
	DimensionName string `json:"dimensionName,omitempty"`
	ItemID        string `json:"itemId,omitempty"`
	ItemName      string `json:"itemName,omitempty"`
	ItemCode      string `json:"itemCode,omitempty"`
}

// CellsResult is the merged answer of a batched cell write.
type CellsResult struct {
	// CellsChanged is Anaplan's numberOfCellsChanged, summed: a cell
	// written with the value it had may not count.
	CellsChanged int
	// Failures are the cells Anaplan refused (aggregates, bad items, bad
	// values), with indexes into the caller's input, in input order.
	Failures []WriteFailure
	// Requests is how many write requests were sent.
	Requests int
}

// WriteCells writes cells into a module in batches of at most 100,000
// cells and 15 MB (see WriteOptions) and merges the answers. Writing a
// cell twice leaves it as writing it once, so a batch whose answer is lost
// is sent again like an idempotent request.
func (m *ModelHandle) WriteCells(ctx context.Context, moduleID string, cells []Cell, opts WriteOptions) (CellsResult, error) {
	return m.WriteCellsSeq(ctx, moduleID, slices.Values(cells), opts)
}

// WriteCellsSeq is WriteCells over a sequence, for writes too large to hold
// as a slice: memory holds the batch being sent and the next one, which is
// encoded meanwhile (cells is ranged over in a goroutine of its own, never
// after WriteCellsSeq returns).
func (m *ModelHandle) WriteCellsSeq(ctx context.Context, moduleID string, cells iter.Seq[Cell], opts WriteOptions) (CellsResult, error) {
	var res CellsResult
	if err := requireID("module", moduleID); err != nil {
		return res, err
	}
	p, err := m.path("modules", moduleID, "data")
	if err != nil {
		return res, err
	}
	perCall, maxBytes := opts.limits(MaxCellsPerCall)
	for b, err := range ahead(batches(cells, encodeCell, perCall, maxBytes, "[", "]")) {
		if err != nil {
			return res, err
		}
		var ans struct {
			NumberOfCellsChanged json.Number  `json:"numberOfCellsChanged"`
			Failures             failuresJSON `json:"failures"`
		}
		res.Requests++
		err := m.c.do(ctx, request{method: http.MethodPost, path: p, body: bytesBody("application/json", b.body()), repeatable: true}, &ans)
		if err != nil {
			return res, wrapf(err, "writing cells %d-%d into module %s of %s", b.start, b.start+b.n-1, moduleID, m)
		}
		if n, err := ans.NumberOfCellsChanged.Float64(); err == nil {
			res.CellsChanged += int(n)
		}
		res.Failures = append(res.Failures, ans.Failures.shift(b)...)
		if opts.Progress != nil {
			opts.Progress(b.start + b.n)
		}
	}
	slices.SortStableFunc(res.Failures, func(a, b WriteFailure) int { return a.Index - b.Index })
	return res, nil
}

// encodeCell is the JSON of one cell, written by hand for the common
// shapes (a million cells are a million encodings) and by encoding/json
// for any other value.
func encodeCell(c Cell) ([]byte, error) {
	b := make([]byte, 0, 64+48*len(c.Dimensions))
	b = append(b, '{')
	if c.LineItemID != "" {
		b = appendField(b, "lineItemId", c.LineItemID, false)
	}
	if c.LineItemName != "" {
		b = appendField(b, "lineItemName", c.LineItemName, c.LineItemID != "")
	}
	if len(c.Dimensions) > 0 {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, `"dimensions":[`...)
		for i, d := range c.Dimensions {
			if i > 0 {
				b = append(b, ',')
			}
			start := len(b)
			b = append(b, '{')
			for _, f := range [...]struct{ k, v string }{
				{"dimensionId", d.DimensionID}, {"dimensionName", d.DimensionName},
				{"itemId", d.ItemID}, {"itemName", d.ItemName}, {"itemCode", d.ItemCode},
			} {
				if f.v != "" {
					b = appendField(b, f.k, f.v, len(b) > start+1)
				}
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(b, `"value":`...)
	switch v := c.Value.(type) {
	case string:
		b = appendJSONString(b, v)
	case int:
		b = strconv.AppendInt(b, int64(v), 10)
	case int64:
		b = strconv.AppendInt(b, v, 10)
	case float64:
		enc, err := json.Marshal(v) // NaN and ±Inf are errors, as they should be
		if err != nil {
			return nil, err
		}
		b = append(b, enc...)
	case bool:
		b = strconv.AppendBool(b, v)
	default:
		enc, err := compactJSON(v)
		if err != nil {
			return nil, err
		}
		b = append(b, enc...)
	}
	return append(b, '}'), nil
}

func appendField(b []byte, key, value string, comma bool) []byte {
	if comma {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, `":`...)
	return appendJSONString(b, value)
}

// appendJSONString appends s as a JSON string: plain ASCII fast, anything
// else through encoding/json (which also replaces invalid UTF-8).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			enc, _ := compactJSON(s)
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
