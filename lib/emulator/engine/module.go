package engine

// maxDims bounds module dimensions so a row key is a comparable array, not
// an allocated string: enough for list-dimensioned test models.
const maxDims = 4

// rowKey is the dimension item ordinals of one module row; unused
// dimensions are 0.
type rowKey [maxDims]int32

// module stores cells by row: a row is a combination of dimension items
// that has been written, and each stored (non-formula) line item is a dense
// column over rows. One map lookup per imported row serves every line item.
type module struct {
	idx       int
	id        int64
	name      string
	dims      []*list
	lineItems []*lineItem
	byName    map[string]*lineItem

	rows map[rowKey]int32
	keys []rowKey
	cols []column // indexed by lineItem.col
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

// row returns the row for key, creating it with blank cells if needed.
func (m *module) row(key rowKey) (int32, bool) {
	if r, ok := m.rows[key]; ok {
		return r, false
	}
	r := int32(len(m.keys))
	m.rows[key] = r
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
	if r, ok := m.rows[key]; ok {
		return m.cols[li.col].get(int(r))
	}
	return value{item: -1}
}

func (m *module) truncate(n int) {
	for _, k := range m.keys[n:] {
		delete(m.rows, k)
	}
	m.keys = m.keys[:n]
	for i := range m.cols {
		m.cols[i].truncate(n)
	}
}

func (m *module) reset(capacity int) {
	m.rows = make(map[rowKey]int32, capacity)
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
