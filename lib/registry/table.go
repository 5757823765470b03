package registry

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Table is a small header-and-rows table that renders as aligned text for
// terminals (WriteText) or, through lib/session, as HTML for notebooks.
type Table struct {
	Header []string
	Rows   [][]string
}

// maxCellWidth bounds a text cell, in terminal columns, so one long name
// cannot wreck a terminal table; the last column is not cut (nothing comes
// after it to push out of line), nor are HTML cells.
const maxCellWidth = 48

// WriteText writes the table aligned with spaces, two between columns.
// Control characters in cells (a newline in a model name) are shown
// escaped, long cells cut. Alignment counts terminal columns, not runes:
// an East Asian wide character (東) takes two, a combining mark none, so
// "Prévisions Ventes – 東京" lines up with its neighbours. (text/tabwriter
// counts runes.)
func (t Table) WriteText(w io.Writer) error {
	rows := make([][]string, 0, 1+len(t.Rows))
	for _, r := range append([][]string{t.Header}, t.Rows...) {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = CellText(c)
			if i < len(r)-1 {
				cells[i] = truncate(cells[i], maxCellWidth)
			}
		}
		rows = append(rows, cells)
	}
	var widths []int // per column, of the cells that are not a row's last
	for _, r := range rows {
		for i, c := range r[:max(0, len(r)-1)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		last := len(r) - 1 // the last cell with text: no padding after it
		for last > 0 && r[last] == "" {
			last--
		}
		for i, c := range r[:max(0, last+1)] {
			b.WriteString(c)
			if i < last {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CellText is what a table shows for a cell: control characters made
// visible ("\n" becomes `\n`) and invalid UTF-8 replaced, so a hostile name
// cannot break a table's layout, in a terminal or in HTML.
func CellText(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// truncate cuts s to at most n terminal columns, ending it with "…",
// between whole characters (a letter keeps its combining accent).
func truncate(s string, n int) string {
	if uniseg.StringWidth(s) <= n {
		return s
	}
	var b strings.Builder
	width, state := 0, -1
	for s != "" {
		var cluster string
		var w int
		cluster, s, w, state = uniseg.FirstGraphemeClusterInString(s, state)
		if width+w > n-1 {
			break
		}
		b.WriteString(cluster)
		width += w
	}
	return b.String() + "…"
}
