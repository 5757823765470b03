package engine

import "io"

// Windowed reads for list items and large-volume read requests
// (anaplan-api.md §6 "Large-volume reads"): each call renders only the
// rows asked for, so a page of a million-item list or a million-cell view
// costs its own size, not the whole object's.

// ListItemsPage returns the items [offset, offset+limit) of a list and
// the list's size. limit < 0 means all from offset.
func (m *Model) ListItemsPage(listID string, offset, limit int) ([]ListItem, int, error) {
	l, err := m.listByID(listID)
	if err != nil {
		return nil, 0, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	total := l.len()
	lo := min(offset, total)
	hi := total
	if limit >= 0 {
		hi = min(total, lo+limit)
	}
	out := make([]ListItem, 0, hi-lo)
	for ord := lo; ord < hi; ord++ {
		out = append(out, l.item(ord))
	}
	return out, total, nil
}

func (l *list) item(ord int) ListItem {
	it := ListItem{ID: idString(l.ids[ord]), Name: l.names[ord], Code: l.codes[ord]}
	if l.parent != nil {
		it.ListID, it.ListName = idString(l.parent.id), l.parent.name
		if p := l.parents[ord]; p >= 0 {
			it.Parent, it.ParentID = l.parent.names[p], idString(l.parent.ids[p])
		}
	}
	if len(l.props) > 0 {
		it.Properties = make(map[string]string, len(l.props))
		for _, p := range l.props {
			it.Properties[p.name] = propertyText(p, p.col.get(ord))
		}
	}
	return it
}

// EachListItem calls fn for the items [lo, hi) of a list, and flush
// after every chunk of them: fn runs under the model's read lock and must
// only buffer, flush runs outside it. withProperties false leaves
// Properties nil. The item passed to fn is reused: copy what you keep.
func (m *Model) EachListItem(listID string, lo, hi int, withProperties bool, fn func(*ListItem) error, flush func() error) error {
	l, err := m.listByID(listID)
	if err != nil {
		return err
	}
	props := l.props
	if !withProperties {
		props = nil
	}
	var it ListItem
	if len(props) > 0 {
		it.Properties = make(map[string]string, len(props))
	}
	return m.streamRows(lo, hi, l.len, func(ord int) error {
		it.ID, it.Name, it.Code = idString(l.ids[ord]), l.names[ord], l.codes[ord]
		if l.parent != nil {
			it.ListID, it.ListName = idString(l.parent.id), l.parent.name
			it.Parent, it.ParentID = "", ""
			if p := l.parents[ord]; p >= 0 {
				it.Parent, it.ParentID = l.parent.names[p], idString(l.parent.ids[p])
			}
		}
		for _, p := range props {
			it.Properties[p.name] = propertyText(p, p.col.get(ord))
		}
		return fn(&it)
	}, flush)
}

// ListSize is the number of items of a list.
func (m *Model) ListSize(listID string) (int, error) {
	l, err := m.listByID(listID)
	if err != nil {
		return 0, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return l.len(), nil
}

// WriteListCSV writes items [lo, hi) of a list as CSV with a header row:
// id, name, code, parent, parentId, then one column per property.
// escaped quotes every field.
func (m *Model) WriteListCSV(w io.Writer, listID string, lo, hi int, escaped bool) error {
	l, err := m.listByID(listID)
	if err != nil {
		return err
	}
	c := newCSVOut(escaped)
	for _, h := range []string{"id", "name", "code", "parent", "parentId"} {
		c.field(h)
	}
	for _, p := range l.props {
		c.field(p.name)
	}
	c.end()
	err = m.streamRows(lo, hi, l.len, func(ord int) error {
		c.field(idString(l.ids[ord]))
		c.field(l.names[ord])
		c.field(l.codes[ord])
		parent, parentID := "", ""
		if p := l.parents[ord]; p >= 0 {
			parent, parentID = l.parent.names[p], idString(l.parent.ids[p])
		}
		c.field(parent)
		c.field(parentID)
		for _, p := range l.props {
			c.field(propertyText(p, p.col.get(ord)))
		}
		c.end()
		return nil
	}, func() error { return c.drain(w) })
	if err != nil {
		return err
	}
	return c.drain(w)
}

// ViewRowCount is the number of rows of a view's tabular layout: every
// combination of its module's dimension items.
func (m *Model) ViewRowCount(viewID string) (int, error) {
	v, err := m.viewByID(viewID)
	if err != nil {
		return 0, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	n := 1
	for _, l := range v.mod.dims {
		n *= l.len()
	}
	return n, nil
}

// WriteViewTabularCSV writes rows [lo, hi) of a view in the
// TABULAR_MULTI_COLUMN layout: one column per dimension (item names),
// then one per line item, with a header row. Row r is the r-th
// combination of dimension items, the first dimension varying slowest.
func (m *Model) WriteViewTabularCSV(w io.Writer, viewID string, lo, hi int, escaped bool) error {
	v, err := m.viewByID(viewID)
	if err != nil {
		return err
	}
	dims := v.mod.dims
	c := newCSVOut(escaped)
	for _, l := range dims {
		c.field(l.name)
	}
	for _, li := range v.lineItems {
		c.field(li.name)
	}
	c.end()
	total := func() int {
		n := 1
		for _, l := range dims {
			n *= l.len()
		}
		return n
	}
	var key rowKey
	err = m.streamRows(lo, hi, total, func(r int) error {
		rest := r
		for i := len(dims) - 1; i >= 0; i-- {
			key[i] = int32(rest % dims[i].len())
			rest /= dims[i].len()
		}
		for i, l := range dims {
			c.field(l.names[key[i]])
		}
		for _, li := range v.lineItems {
			c.field(li.text(v.mod.cell(li, key)))
		}
		c.end()
		return nil
	}, func() error { return c.drain(w) })
	if err != nil {
		return err
	}
	return c.drain(w)
}
