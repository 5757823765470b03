package engine

import "slices"

// maxDims bounds module dimensions so a row key is a comparable array, not
// an allocated string: enough for list-dimensioned test models.
const maxDims = 4

// rowKey is the dimension item ordinals of one module row; unused
// dimensions are 0.
type rowKey [maxDims]int32

// module stores cells by row: a row is a combination of dimension items
// that has been written, and each stored (non-formula) line item is a dense
// column over rows. One row lookup per imported row serves every line item:
// a map for several dimensions, a slice indexed by item for one (the common
// case, and a map lookup less per row).
type module struct {
	idx       int
	id        int64
	name      string
	dims      []*list
	lineItems []*lineItem
	byName    map[string]*lineItem

	rows   map[rowKey]int32 // several dimensions
	byItem []int32          // one dimension: row of each item ordinal, -1 for none
	keys   []rowKey
	cols   []column // indexed by lineItem.col
}

type lineItem struct {
	id      int64
	name    string
	format  format
	list    *list    // LIST format: the list its values are items of
	formula *formula // nil for input line items
	col     int      // index into module.cols; -1 for formula line items
	module  *module
}

func (m *module) dimIndex(listName string) int {
	for i, d := range m.dims {
		if d.name == listName {
			return i
		}
	}
	return -1
}

// lookup finds the row of key.
func (m *module) lookup(key rowKey) (int32, bool) {
	if m.rows != nil {
		r, ok := m.rows[key]
		return r, ok
	}
	if int(key[0]) < len(m.byItem) && m.byItem[key[0]] >= 0 {
		return m.byItem[key[0]], true
	}
	return -1, false
}

// row returns the row for key, creating it with blank cells if needed.
func (m *module) row(key rowKey) (int32, bool) {
	if r, ok := m.lookup(key); ok {
		return r, false
	}
	r := int32(len(m.keys))
	if m.rows != nil {
		m.rows[key] = r
	} else {
		for len(m.byItem) <= int(key[0]) {
			m.byItem = append(m.byItem, -1)
		}
		m.byItem[key[0]] = r
	}
	m.keys = append(m.keys, key)
	for i := range m.cols {
		m.cols[i].appendBlank()
	}
	return r, true
}

// cell reads a line item at a row key, evaluating formulas; a row that was
// never written reads as blank.
func (m *module) cell(li *lineItem, key rowKey) value {
	if li.formula != nil {
		return li.formula.eval(m, key)
	}
	if r, ok := m.lookup(key); ok {
		return m.cols[li.col].get(int(r))
	}
	return value{item: -1}
}

// reserve makes room for n more rows (see list.reserve).
func (m *module) reserve(n int) {
	want := len(m.keys) + n
	if cap(m.keys) >= want {
		return
	}
	m.keys = slices.Grow(m.keys, n)
	for i := range m.cols {
		m.cols[i].grow(n)
	}
	if m.rows != nil && n > len(m.rows) {
		m.rows = regrow(m.rows, want)
	}
	if need := m.dims[0].len() - len(m.byItem); m.rows == nil && need > 0 {
		m.byItem = slices.Grow(m.byItem, need)
	}
}

func (m *module) truncate(n int) {
	for _, k := range m.keys[n:] {
		if m.rows != nil {
			delete(m.rows, k)
		} else {
			m.byItem[k[0]] = -1
		}
	}
	m.keys = m.keys[:n]
	for i := range m.cols {
		m.cols[i].truncate(n)
	}
}

func (m *module) reset(capacity int) {
	m.rows, m.byItem = nil, nil
	if len(m.dims) > 1 {
		m.rows = make(map[rowKey]int32, capacity)
	}
	m.keys = make([]rowKey, 0, capacity)
	for i, li := range m.lineItems {
		if li.col >= 0 {
			m.cols[li.col] = newColumn(m.lineItems[i].format, capacity)
		}
	}
}

// cellSnapshot is a cell's value before an import overwrote it.
type cellSnapshot struct {
	row int32
	col int
	old value
}
