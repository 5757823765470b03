package engine

import (
	"slices"
	"strconv"
)

// format is the data type of a property or line item.
type format uint8

const (
	fText format = iota + 1
	fNumber
	fList
)

func parseFormat(s string) (format, bool) {
	switch s {
	case "TEXT":
		return fText, true
	case "NUMBER":
		return fNumber, true
	case "LIST":
		return fList, true
	}
	return 0, false
}

func (f format) String() string {
	switch f {
	case fText:
		return "TEXT"
	case fNumber:
		return "NUMBER"
	case fList:
		return "LIST"
	}
	return "NONE"
}

// value is one cell or property value; which field counts depends on the
// format. item is an ordinal in the line item's list, -1 when blank.
type value struct {
	num  float64
	text string
	item int32
}

// column stores the values of one property (indexed by item ordinal) or of
// one line item (indexed by module row), densely, in the slice of its
// format: a million cells are a million floats, not a million interfaces.
type column struct {
	format format
	text   []string
	num    []float64
	item   []int32
}

func newColumn(f format, capacity int) column {
	c := column{format: f}
	switch f {
	case fText:
		c.text = make([]string, 0, capacity)
	case fNumber:
		c.num = make([]float64, 0, capacity)
	case fList:
		c.item = make([]int32, 0, capacity)
	}
	return c
}

func (c *column) appendBlank() {
	switch c.format {
	case fText:
		c.text = append(c.text, "")
	case fNumber:
		c.num = append(c.num, 0)
	case fList:
		c.item = append(c.item, -1)
	}
}

func (c *column) grow(n int) {
	switch c.format {
	case fText:
		c.text = slices.Grow(c.text, n)
	case fNumber:
		c.num = slices.Grow(c.num, n)
	case fList:
		c.item = slices.Grow(c.item, n)
	}
}

func (c *column) truncate(n int) {
	switch c.format {
	case fText:
		clear(c.text[n:])
		c.text = c.text[:n]
	case fNumber:
		c.num = c.num[:n]
	case fList:
		c.item = c.item[:n]
	}
}

func (c *column) get(i int) value {
	switch c.format {
	case fText:
		return value{text: c.text[i], item: -1}
	case fNumber:
		return value{num: c.num[i], item: -1}
	default:
		return value{item: c.item[i]}
	}
}

func (c *column) set(i int, v value) {
	switch c.format {
	case fText:
		c.text[i] = v.text
	case fNumber:
		c.num[i] = v.num
	case fList:
		c.item[i] = v.item
	}
}

// formatNumber writes numbers the way exports show them: plain decimal,
// no exponent, no trailing zeros ("1073741824", "0.5").
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Object IDs are 12-digit numbers whose first three digits give the type
// (anaplan-api.md §3); the rest counts objects of that type from 0 in the
// order of the definition, so IDs are deterministic.
const (
	prefixList     = 101
	prefixModule   = 102
	prefixImport   = 112
	prefixFile     = 113
	prefixExport   = 116
	prefixProcess  = 118
	prefixLineItem = 206
	// List items of the n-th list get prefix 200+n and count from 1, like
	// Anaplan's item ids 200000000001, 202000000001 in the reference.
	prefixItem = 200
	idBlock    = 1_000_000_000
)

func objectID(prefix int64, n int) int64 { return prefix*idBlock + int64(n) }

func idString(id int64) string { return strconv.FormatInt(id, 10) }
