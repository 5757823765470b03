package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// Transactional cell writes (anaplan-api.md §6 "Write cells"): each cell
// names its line item and one item per module dimension, by id or by
// name/code; each is written or rejected on its own.

// MaxCellsPerCall is Anaplan's documented limit on cells per write
// (H:cells; the OAS text says 1,000, anaplan-api.md §6 CONFLICT).
const MaxCellsPerCall = 100_000

// CellInput is one cell of a write.
type CellInput struct {
	LineItemID   string
	LineItemName string
	Dimensions   []CellDimension
	// Value is a string, a float64 or a bool, as decoded from JSON.
	Value any
}

// CellDimension names the item of one dimension: the dimension by id or
// name, the item by id, name or code.
type CellDimension struct {
	DimensionID   string
	DimensionName string
	ItemID        string
	ItemName      string
	ItemCode      string
}

// WriteCells writes cells of a module and reports how many were written
// and which were rejected: unknown line items or items, formula line
// items, aggregates (items of a parent list in the hierarchy) and values
// of the wrong format.
func (m *Model) WriteCells(moduleID string, cells []CellInput) (changed int, failures []Failure, err error) {
	mod, err := m.moduleByID(moduleID)
	if err != nil {
		return 0, nil, err
	}
	if len(cells) > MaxCellsPerCall {
		return 0, nil, fmt.Errorf("engine: %d cells in one call, the limit is %d: split the request: %w", len(cells), MaxCellsPerCall, ErrTooMany)
	}
	defer m.lock()()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, c := range cells {
		if f := m.writeCell(mod, c); f != "" {
			failures = append(failures, failure(i, f))
			continue
		}
		changed++
	}
	return changed, failures, nil
}

func (m *Model) writeCell(mod *module, c CellInput) string {
	li := findLineItem(mod, c.LineItemID, c.LineItemName)
	if li == nil {
		return failNotFound + "|line item '" + c.LineItemID + c.LineItemName + "' not found in module " + mod.name
	}
	if li.formula != nil {
		return failNotWritable + "|line item " + li.name + " has a formula and cannot be written"
	}
	key, f := resolveKey(mod, c.Dimensions)
	if f != "" {
		return f
	}
	v, f := parseCellValue(li, c.Value)
	if f != "" {
		return f
	}
	r, _ := mod.row(key)
	mod.cols[li.col].set(int(r), v)
	return ""
}

func findLineItem(mod *module, id, name string) *lineItem {
	for _, li := range mod.lineItems {
		if (id != "" && idString(li.id) == id) || (id == "" && name != "" && strings.EqualFold(li.name, name)) {
			return li
		}
	}
	return nil
}

// resolveKey finds the item of every module dimension.
func resolveKey(mod *module, dims []CellDimension) (rowKey, string) {
	var key rowKey
	seen := make([]bool, len(mod.dims))
	for _, d := range dims {
		i := -1
		for j, l := range mod.dims {
			if (d.DimensionID != "" && idString(l.id) == d.DimensionID) ||
				(d.DimensionID == "" && strings.EqualFold(l.name, d.DimensionName)) {
				i = j
			}
		}
		if i < 0 {
			return key, failNotFound + "|dimension '" + d.DimensionID + d.DimensionName + "' is not a dimension of module " + mod.name
		}
		l := mod.dims[i]
		ord, ok := findDimensionItem(l, d)
		if !ok {
			if isAggregate(l, d) {
				return key, failNotWritable + "|aggregate cells are not writable: '" + d.ItemID + d.ItemName + d.ItemCode + "' is not an item of list " + l.name
			}
			return key, failNotFound + "|Item not located in " + l.name + " list: " + d.ItemID + d.ItemName + d.ItemCode
		}
		key[i], seen[i] = ord, true
	}
	for i, ok := range seen {
		if !ok {
			return key, failIncompleteData + "|no item given for dimension " + mod.dims[i].name
		}
	}
	return key, ""
}

func findDimensionItem(l *list, d CellDimension) (int32, bool) {
	switch {
	case d.ItemID != "":
		return l.ordinalOf(d.ItemID)
	case d.ItemCode != "":
		ord, ok := l.byCode[d.ItemCode]
		return ord, ok
	default:
		return l.findByName(d.ItemName)
	}
}

// findByName finds an item by name: exact first, then case-insensitive.
func (l *list) findByName(name string) (int32, bool) {
	if l.byName != nil {
		if ord, ok := l.byName[name]; ok {
			return ord, true
		}
	}
	for ord, n := range l.names {
		if strings.EqualFold(n, name) {
			return int32(ord), true
		}
	}
	return -1, false
}

// isAggregate reports whether the item names an item of an ancestor list
// (a parent in the hierarchy): a cell that Anaplan computes by summary.
func isAggregate(l *list, d CellDimension) bool {
	for p := l.parent; p != nil; p = p.parent {
		if _, ok := findDimensionItem(p, d); ok {
			return true
		}
	}
	return false
}

func parseCellValue(li *lineItem, v any) (value, string) {
	bad := failIncorrectFormat + "|incorrect format -- line item:" + li.name + ", value:" + fmt.Sprint(v)
	switch li.format {
	case fNumber:
		switch x := v.(type) {
		case float64:
			return value{num: x, item: -1}, ""
		case string:
			n, err := parseNumberText(x)
			if err != nil {
				return value{}, bad
			}
			return value{num: n, item: -1}, ""
		}
		return value{}, bad
	case fList:
		s, ok := v.(string)
		if !ok {
			return value{}, bad
		}
		if s == "" {
			return value{item: -1}, ""
		}
		if ord, ok := li.list.lookup(s); ok {
			return value{item: ord}, ""
		}
		if ord, ok := li.list.findByName(s); ok {
			return value{item: ord}, ""
		}
		return value{}, failIncorrectFormat + "|Item not located in " + li.list.name + " list: " + s
	default:
		switch x := v.(type) {
		case string:
			return value{text: x, item: -1}, ""
		case float64:
			return value{text: formatNumber(x), item: -1}, ""
		case bool:
			return value{text: strconv.FormatBool(x), item: -1}, ""
		}
		return value{}, bad
	}
}
