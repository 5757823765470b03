package modeldata

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Rejected is one rejected CSV row: its line in the file (1-based, the line the
// record starts on) and Anaplan's reason.
type Rejected struct {
	Line   int
	Type   string
	Reason string
}

func (r Rejected) String() string { return fmt.Sprintf("line %d: %s: %s", r.Line, r.Type, r.Reason) }

// WriteResult says what a write did.
type WriteResult struct {
	Rows     int // data rows read from the CSV
	Applied  int // items added/updated/deleted, or cells changed
	Rejected []Rejected
	Requests int
}

// Err is nil when no row was rejected.
func (r WriteResult) Err() error {
	if len(r.Rejected) == 0 {
		return nil
	}
	return fmt.Errorf("Anaplan rejected %d of %d rows (first: %s)", len(r.Rejected), r.Rows, r.Rejected[0])
}

// ItemAction is what WriteItems does with each row.
type ItemAction string

// The actions of WriteItems.
const (
	ItemsAdd    ItemAction = "add"
	ItemsUpdate ItemAction = "update"
	ItemsDelete ItemAction = "delete"
)

// ItemsCSV reads list items from CSV: columns id, name, code and parent
// (any case) are the item's; every other column is a property of that
// name. Empty cells are not sent. lines[i] is the file line of item i.
func ItemsCSV(r io.Reader) (items []anaplan.ItemInput, lines []int, err error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the CSV header: %w", headerErr(err))
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return items, lines, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading the CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		it := anaplan.ItemInput{}
		for i, v := range rec {
			if v == "" {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(header[i])) {
			case "id":
				it.ID = v
			case "name":
				it.Name = v
			case "code":
				it.Code = v
			case "parent":
				it.Parent = v
			default:
				if it.Properties == nil {
					it.Properties = map[string]string{}
				}
				it.Properties[header[i]] = v
			}
		}
		items = append(items, it)
		lines = append(lines, line)
	}
}

// WriteItems applies the CSV's items to a list.
func WriteItems(ctx context.Context, m *anaplan.ModelHandle, listID string, action ItemAction, r io.Reader, opts anaplan.WriteOptions) (WriteResult, error) {
	items, lines, err := ItemsCSV(r)
	if err != nil {
		return WriteResult{}, err
	}
	res := WriteResult{Rows: len(items)}
	if len(items) == 0 {
		return res, nil
	}
	var ir anaplan.ItemsResult
	switch action {
	case ItemsAdd:
		ir, err = m.AddListItems(ctx, listID, items, opts)
	case ItemsUpdate:
		ir, err = m.UpdateListItems(ctx, listID, items, opts)
	case ItemsDelete:
		ir, err = m.DeleteListItems(ctx, listID, items, opts)
	default:
		return res, fmt.Errorf("unknown action %q: use add, update or delete", action)
	}
	res.Applied, res.Requests = ir.Added+ir.Updated+ir.Deleted, ir.Requests
	res.Rejected = rejected(ir.Failures, lines)
	return res, err
}

// CellsOptions shape how CellsCSV and WriteCells read a cells file.
type CellsOptions struct {
	// ByCode reads the dimension columns as item codes, not names.
	ByCode bool
}

// CellsCSV reads cells from CSV: a "Line Item" column (the line item's
// name), a "Value" column, and one column per dimension, named as the
// dimension, holding item names (or codes, with ByCode). lines[i] is the
// file line of cell i.
func CellsCSV(r io.Reader, opts CellsOptions) (cells []anaplan.Cell, lines []int, err error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the CSV header: %w", headerErr(err))
	}
	lineItemCol, valueCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "line item", "lineitem":
			lineItemCol = i
		case "value":
			valueCol = i
		}
	}
	if lineItemCol < 0 || valueCol < 0 {
		return nil, nil, fmt.Errorf("the CSV header %q needs a \"Line Item\" and a \"Value\" column, the others naming dimensions", header)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return cells, lines, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading the CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		c := anaplan.Cell{LineItemName: rec[lineItemCol], Value: rec[valueCol]}
		for i, v := range rec {
			if i == lineItemCol || i == valueCol {
				continue
			}
			d := anaplan.CellDimension{DimensionName: header[i]}
			if opts.ByCode {
				d.ItemCode = v
			} else {
				d.ItemName = v
			}
			c.Dimensions = append(c.Dimensions, d)
		}
		cells = append(cells, c)
		lines = append(lines, line)
	}
}

// WriteCells writes the CSV's cells into a module. Values go as text;
// Anaplan parses them per the line item's format.
func WriteCells(ctx context.Context, m *anaplan.ModelHandle, moduleID string, r io.Reader, cellsOpts CellsOptions, opts anaplan.WriteOptions) (WriteResult, error) {
	cells, lines, err := CellsCSV(r, cellsOpts)
	if err != nil {
		return WriteResult{}, err
	}
	res := WriteResult{Rows: len(cells)}
	if len(cells) == 0 {
		return res, nil
	}
	cr, err := m.WriteCells(ctx, moduleID, cells, opts)
	res.Applied, res.Requests = cr.CellsChanged, cr.Requests
	res.Rejected = rejected(cr.Failures, lines)
	return res, err
}

func rejected(fs []anaplan.WriteFailure, lines []int) []Rejected {
	out := make([]Rejected, 0, len(fs))
	for _, f := range fs {
		line := -1
		if f.Index >= 0 && f.Index < len(lines) {
			line = lines[f.Index]
		}
		out = append(out, Rejected{Line: line, Type: f.Type, Reason: f.Details})
	}
	return out
}

func headerErr(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("the file is empty: it needs a header row")
	}
	return err
}
