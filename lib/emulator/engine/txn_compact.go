package engine

// compact removes the items marked in remove from l. Items are dense
// (an item is its ordinal), so every structure holding ordinals of l is
// renumbered: the list itself, its child lists' parents, module rows
// dimensioned by l and list-formatted cells naming its items. One pass
// over each, O(size) per delete call. The caller holds m.mu.
func (m *Model) compact(l *list, remove []bool) {
	remap := make([]int32, len(remove))
	next := int32(0)
	for ord, gone := range remove {
		if gone {
			remap[ord] = -1
			continue
		}
		remap[ord] = next
		next++
	}
	keep := func(ord int) bool { return !remove[ord] }

	l.ids = filter(l.ids, keep)
	l.codes = filter(l.codes, keep)
	l.names = filter(l.names, keep)
	l.parents = filter(l.parents, keep)
	for _, p := range l.props {
		p.col.filter(keep)
	}
	l.byCode = make(map[string]int32, len(l.ids))
	for ord, c := range l.codes {
		if c != "" {
			l.byCode[c] = int32(ord)
		}
	}
	if l.byName != nil {
		l.byName = make(map[string]int32, len(l.ids))
		for ord, n := range l.names {
			l.byName[n] = int32(ord)
		}
	}

	for _, child := range m.lists {
		if child.parent != l {
			continue
		}
		for i, p := range child.parents {
			if p >= 0 {
				child.parents[i] = remap[p]
			}
		}
	}
	for _, mod := range m.modules {
		for _, li := range mod.lineItems {
			if li.list == l && li.col >= 0 {
				c := &mod.cols[li.col]
				for i, v := range c.item {
					if v >= 0 {
						c.item[i] = remap[v]
					}
				}
			}
		}
		if d := mod.dimIndexOf(l); d >= 0 {
			mod.dropRows(d, remap)
		}
	}
}

func (mod *module) dimIndexOf(l *list) int {
	for i, d := range mod.dims {
		if d == l {
			return i
		}
	}
	return -1
}

// dropRows renumbers dimension d of every row by remap and drops rows of
// removed items, rebuilding the row index.
func (mod *module) dropRows(d int, remap []int32) {
	keepRow := make([]bool, len(mod.keys))
	for r, k := range mod.keys {
		keepRow[r] = remap[k[d]] >= 0
	}
	keys := filter(mod.keys, func(r int) bool { return keepRow[r] })
	for i := range keys {
		keys[i][d] = remap[keys[i][d]]
	}
	for i := range mod.cols {
		mod.cols[i].filter(func(r int) bool { return keepRow[r] })
	}
	mod.keys = keys
	if mod.rows != nil {
		mod.rows = make(map[rowKey]int32, len(keys))
		for r, k := range keys {
			mod.rows[k] = int32(r)
		}
		return
	}
	mod.byItem = mod.byItem[:0]
	for r, k := range keys {
		for len(mod.byItem) <= int(k[0]) {
			mod.byItem = append(mod.byItem, -1)
		}
		mod.byItem[k[0]] = int32(r)
	}
}

// filter keeps the elements whose index passes keep, in place.
func filter[T any](s []T, keep func(int) bool) []T {
	out := s[:0]
	for i, v := range s {
		if keep(i) {
			out = append(out, v)
		}
	}
	var zero T
	for i := len(out); i < len(s); i++ {
		s[i] = zero
	}
	return out
}

func (c *column) filter(keep func(int) bool) {
	switch c.format {
	case fText:
		c.text = filter(c.text, keep)
	case fNumber:
		c.num = filter(c.num, keep)
	case fList:
		c.item = filter(c.item, keep)
	}
}
