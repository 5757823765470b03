package engine

import (
	"slices"
	"strconv"
)

// list holds the items of one list. Items are dense: an item is its
// ordinal (creation order) and every per-item field is a slice indexed by
// it, so a million-item list is a handful of slices and two maps.
type list struct {
	idx        int
	id         int64
	name       string
	numbered   bool
	parent     *list
	props      []*property
	propByName map[string]*property

	ids     []int64
	codes   []string
	names   []string
	parents []int32 // ordinal in parent list, -1 for none
	byCode  map[string]int32
	byName  map[string]int32 // plain lists only: names are unique there
	next    int64            // number of the next item created (numbered lists show it as #n)
}

type property struct {
	name   string
	format format
	col    column
}

func (l *list) len() int { return len(l.ids) }

// lookup finds an item by code, then by name (plain lists), the way an
// Anaplan import resolves a parent or a dimension item.
func (l *list) lookup(key string) (int32, bool) {
	if ord, ok := l.byCode[key]; ok {
		return ord, true
	}
	if l.byName != nil {
		ord, ok := l.byName[key]
		return ord, ok
	}
	return -1, false
}

// lookupAfter is lookup with a guess: files often list items in the order
// the list holds them (the same file feeds a list and then its module), so
// the item after the previous row's is checked first, a sequential read
// instead of a random map probe. The result is the same as lookup's.
func (l *list) lookupAfter(key string, prev int32) (int32, bool) {
	if next := int(prev) + 1; next < len(l.codes) && l.codes[next] == key && key != "" {
		return int32(next), true
	}
	return l.lookup(key)
}

// add appends an item and returns its ordinal. A numbered list item
// without a name gets "#n", as Anaplan shows unnamed numbered items.
func (l *list) add(code, name string, parent int32) int32 {
	ord := int32(len(l.ids))
	n := l.next
	l.next++
	if name == "" && l.numbered {
		name = "#" + strconv.FormatInt(n, 10)
	}
	l.ids = append(l.ids, objectID(int64(prefixItem+l.idx), int(n)))
	l.codes = append(l.codes, code)
	l.names = append(l.names, name)
	l.parents = append(l.parents, parent)
	for _, p := range l.props {
		p.col.appendBlank()
	}
	if code != "" {
		l.byCode[code] = ord
	}
	if l.byName != nil {
		l.byName[name] = ord
	}
	return ord
}

// reserve makes room for n more items, so a large import neither copies
// growing slices nor rehashes a growing map item by item. The maps are
// rebuilt only when they would otherwise at least double.
func (l *list) reserve(n int) {
	want := len(l.ids) + n
	if cap(l.ids) >= want {
		return
	}
	l.ids = slices.Grow(l.ids, n)
	l.codes = slices.Grow(l.codes, n)
	l.names = slices.Grow(l.names, n)
	l.parents = slices.Grow(l.parents, n)
	for _, p := range l.props {
		p.col.grow(n)
	}
	if n > len(l.byCode) {
		l.byCode = regrow(l.byCode, want)
	}
	if l.byName != nil && n > len(l.byName) {
		l.byName = regrow(l.byName, want)
	}
}

func regrow[K comparable](m map[K]int32, capacity int) map[K]int32 {
	g := make(map[K]int32, capacity)
	for k, v := range m {
		g[k] = v
	}
	return g
}

// rename changes an item's name, keeping the name index right.
func (l *list) rename(ord int32, name string) {
	if l.byName != nil {
		if l.byName[l.names[ord]] == ord {
			delete(l.byName, l.names[ord])
		}
		l.byName[name] = ord
	}
	l.names[ord] = name
}

// truncate drops the items from ordinal n on (rollback of a cancelled import).
func (l *list) truncate(n int) {
	for ord := n; ord < len(l.ids); ord++ {
		if c := l.codes[ord]; c != "" && l.byCode[c] == int32(ord) {
			delete(l.byCode, c)
		}
		if l.byName != nil && l.byName[l.names[ord]] == int32(ord) {
			delete(l.byName, l.names[ord])
		}
	}
	l.ids = l.ids[:n]
	clear(l.codes[n:])
	l.codes = l.codes[:n]
	clear(l.names[n:])
	l.names = l.names[:n]
	l.parents = l.parents[:n]
	for _, p := range l.props {
		p.col.truncate(n)
	}
}

// reset empties the list (before a restore).
func (l *list) reset(capacity int) {
	l.ids = make([]int64, 0, capacity)
	l.codes = make([]string, 0, capacity)
	l.names = make([]string, 0, capacity)
	l.parents = make([]int32, 0, capacity)
	l.byCode = make(map[string]int32, capacity)
	if !l.numbered {
		l.byName = make(map[string]int32, capacity)
	}
	for _, p := range l.props {
		p.col = newColumn(p.format, capacity)
	}
	l.next = 1
}

// itemSnapshot is the state of one item before an import changed it.
type itemSnapshot struct {
	ord    int32
	name   string
	parent int32
	props  []value
}

func (l *list) snapshotItem(ord int32) itemSnapshot {
	s := itemSnapshot{ord: ord, name: l.names[ord], parent: l.parents[ord]}
	if len(l.props) > 0 {
		s.props = make([]value, len(l.props))
		for i, p := range l.props {
			s.props[i] = p.col.get(int(ord))
		}
	}
	return s
}

func (l *list) restoreItem(s itemSnapshot) {
	if l.names[s.ord] != s.name {
		l.rename(s.ord, s.name)
	}
	l.parents[s.ord] = s.parent
	for i, p := range l.props {
		p.col.set(int(s.ord), s.props[i])
	}
}
