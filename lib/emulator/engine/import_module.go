package engine

import (
	"fmt"
	"slices"
)

// moduleImporter loads rows into a module (MODULE_DATA): the dimension
// columns name the cell's items (by code, or by name on plain lists), the
// line item columns its values. A row is applied whole or not at all.
//
// Rows repeating the same items aggregate, as the community guide on import
// errors describes ("having the same code in the source will automatically
// aggregate data"): numbers add up; text and list values take the later row.
type moduleImporter struct {
	mod       *module
	dimCols   []int
	items     []*lineItem
	itemCols  []int
	vals      []value // scratch: the row's parsed values
	oldRows   int
	firstLine []int32 // per module row: line that wrote it in this import, 0 if none
	changed   []cellSnapshot
	prev      rowKey // the previous row's items, to guess the next (list.lookupAfter)
}

func newModuleImporter(imp *importAction, src *source, u *undoLog) (*moduleImporter, []string) {
	names := append([]string(nil), imp.dimCols...)
	for _, im := range imp.itemCols {
		names = append(names, im.column)
	}
	idx, missing := src.columns(names...)
	if len(missing) > 0 {
		return nil, missing
	}
	mod := imp.module
	mi := &moduleImporter{
		mod: mod, dimCols: idx[:len(imp.dimCols)], itemCols: idx[len(imp.dimCols):],
		vals: make([]value, len(imp.itemCols)), oldRows: len(mod.keys),
		firstLine: make([]int32, len(mod.keys)),
	}
	for _, im := range imp.itemCols {
		mi.items = append(mi.items, im.lineItem)
	}
	u.add(func() {
		for i := len(mi.changed) - 1; i >= 0; i-- {
			s := mi.changed[i]
			mod.cols[s.col].set(int(s.row), s.old)
		}
		mod.truncate(mi.oldRows)
	})
	return mi, nil
}

func (mi *moduleImporter) reserve(rows int) {
	mi.mod.reserve(rows)
	mi.firstLine = slices.Grow(mi.firstLine, rows)
}

func (mi *moduleImporter) importRow(r row, c *counts) string {
	f := r.fields
	var key rowKey
	for i, l := range mi.mod.dims {
		k := field(f, mi.dimCols[i])
		ord, ok := l.lookupAfter(k, mi.prev[i])
		if !ok {
			return fmt.Sprintf("Item not located in %s list: %s", l.name, k)
		}
		key[i] = ord
	}
	mi.prev = key
	for i, li := range mi.items {
		s := field(f, mi.itemCols[i])
		switch li.format {
		case fNumber:
			n, ok := parseNumber(s)
			if !ok {
				return fmt.Sprintf("Invalid number: %q for line item %s", s, li.name)
			}
			mi.vals[i] = value{num: n}
		case fList:
			mi.vals[i] = value{item: -1}
			if s != "" {
				ord, ok := li.list.lookup(s)
				if !ok {
					return fmt.Sprintf("Item not located in %s list: %s (line item %s)", li.list.name, s, li.name)
				}
				mi.vals[i] = value{item: ord}
			}
		default:
			mi.vals[i] = value{text: s}
		}
	}

	rowIdx, created := mi.mod.row(key)
	if created {
		mi.firstLine = append(mi.firstLine, 0)
		c.created++
	} else {
		c.updated++
	}
	again := mi.firstLine[rowIdx] != 0
	for i, li := range mi.items {
		col := &mi.mod.cols[li.col]
		v := mi.vals[i]
		switch {
		case again && li.format == fNumber:
			v.num += col.num[rowIdx]
		case !again && int(rowIdx) < mi.oldRows:
			mi.changed = append(mi.changed, cellSnapshot{row: rowIdx, col: li.col, old: col.get(int(rowIdx))})
		}
		col.set(int(rowIdx), v)
	}
	mi.firstLine[rowIdx] = int32(max(r.line, 1))
	return ""
}
