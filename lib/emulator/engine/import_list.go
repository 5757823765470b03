package engine

import (
	"fmt"
	"slices"
	"strconv"
)

// hierarchyImporter loads rows into a list (HIERARCHY_DATA): it creates or
// updates the item identified by the row's code (numbered lists) or code,
// else name (plain lists); sets its name, parent and properties. A row is
// applied whole or not at all.
type hierarchyImporter struct {
	l                        *list
	code, name, parent       int // column indexes, -1 when unmapped
	props                    []*property
	propCols                 []int
	vals                     []value // scratch: the row's parsed properties
	oldLen                   int
	firstLine                []int32 // per item: line of the row that set it in this import, 0 if none
	changed                  []itemSnapshot
	nameMapped, parentMapped bool
	prev                     int32 // the previous row's item, to guess the next (list.lookupAfter)
}

func newHierarchyImporter(imp *importAction, src *source, u *undoLog) (*hierarchyImporter, []string) {
	names := []string{imp.codeCol, imp.nameCol, imp.parentCol}
	for _, pm := range imp.propCols {
		names = append(names, pm.column)
	}
	idx, missing := src.columns(names...)
	if len(missing) > 0 {
		return nil, missing
	}
	l := imp.list
	h := &hierarchyImporter{
		l: l, code: idx[0], name: idx[1], parent: idx[2], propCols: idx[3:],
		vals: make([]value, len(imp.propCols)), oldLen: l.len(),
		firstLine: make([]int32, l.len()), prev: -1,
		nameMapped: imp.nameCol != "", parentMapped: imp.parentCol != "",
	}
	for _, pm := range imp.propCols {
		h.props = append(h.props, pm.prop)
	}
	oldNext := l.next
	u.add(func() {
		for i := len(h.changed) - 1; i >= 0; i-- {
			l.restoreItem(h.changed[i])
		}
		l.truncate(h.oldLen)
		l.next = oldNext
	})
	return h, nil
}

func (h *hierarchyImporter) reserve(rows int) {
	h.l.reserve(rows)
	h.firstLine = slices.Grow(h.firstLine, rows)
}

func (h *hierarchyImporter) importRow(r row, c *counts) string {
	l, f := h.l, r.fields
	code, name := field(f, h.code), field(f, h.name)

	// Identify the item: by code; on a plain list, by name when the code is blank.
	var (
		ord   int32
		found bool
		key   = "code"
	)
	switch {
	case code != "":
		if next := h.prev + 1; int(next) < len(l.codes) && l.codes[next] == code {
			ord, found = next, true // rows in list order: skip the map (see list.lookupAfter)
		} else {
			ord, found = l.byCode[code]
		}
	case l.numbered:
		return fmt.Sprintf("Invalid code: the code is blank; items of numbered list %s are identified by code", l.name)
	case name == "":
		return fmt.Sprintf("Invalid name: the name and code are blank; an item of list %s needs a name", l.name)
	default:
		ord, found = l.byName[name]
		key = "name"
	}
	if !found {
		ord = -1
	}
	// Anaplan's default "import first occurrence": a later row with the
	// same key is rejected.
	if found && h.firstLine[ord] != 0 {
		k := code
		if key == "name" {
			k = name
		}
		return fmt.Sprintf("Duplicate %s in source: %s (the row on line %d was imported, this one is rejected)", key, k, h.firstLine[ord])
	}

	parent := int32(-1)
	if found {
		parent = l.parents[ord]
	}
	if h.parentMapped {
		parent = -1
		if pk := field(f, h.parent); pk != "" {
			p, ok := l.parent.lookup(pk)
			if !ok {
				return fmt.Sprintf("Invalid parent: Item not located in %s list: %s", l.parent.name, pk)
			}
			parent = p
		}
	}

	for i, p := range h.props {
		s := field(f, h.propCols[i])
		if p.format == fNumber {
			n, ok := parseNumber(s)
			if !ok {
				return fmt.Sprintf("Invalid number: %q for property %s", s, p.name)
			}
			h.vals[i] = value{num: n}
		} else {
			h.vals[i] = value{text: s}
		}
	}

	if !l.numbered {
		if !found && name == "" {
			return fmt.Sprintf("Invalid name: item %s of list %s has no name", code, l.name)
		}
		if other, taken := l.byName[name]; name != "" && taken && other != ord {
			return fmt.Sprintf("Name or code already exists: the name %s belongs to another item of list %s (code %s)", name, l.name, l.codes[other])
		}
	}

	if found {
		if int(ord) < h.oldLen {
			h.changed = append(h.changed, l.snapshotItem(ord))
		}
		if name != "" && name != l.names[ord] {
			l.rename(ord, name)
		}
		l.parents[ord] = parent
		c.updated++
		if h.nameMapped {
			c.renamed++
		}
	} else {
		ord = l.add(code, name, parent)
		h.firstLine = append(h.firstLine, 0)
		c.created++
	}
	for i, p := range h.props {
		p.col.set(int(ord), h.vals[i])
	}
	h.firstLine[ord] = int32(max(r.line, 1))
	h.prev = ord
	return ""
}

// parseNumber reads an imported number: optional sign, digits with an
// optional decimal point and exponent, surrounding spaces allowed. Blank is
// zero (an empty cell). NaN, infinities, hex and digit separators are
// rejected, as a spreadsheet-made file would never mean them.
func parseNumber(s string) (float64, bool) {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	s = s[i:j]
	if s == "" {
		return 0, true
	}
	k := 0
	if s[k] == '+' || s[k] == '-' {
		k++
	}
	digits := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
		digits++
	}
	if k < len(s) && s[k] == '.' {
		k++
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if k < len(s) && (s[k] == 'e' || s[k] == 'E') {
		k++
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		exp := k
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == exp {
			return 0, false
		}
	}
	if k != len(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
