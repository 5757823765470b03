package registry

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// Table is a small header-and-rows table that renders as aligned text for
// terminals (WriteText) or, through lib/session, as HTML for notebooks.
type Table struct {
	Header []string
	Rows   [][]string
}

// maxCellRunes bounds a text cell so one long name cannot wreck a terminal
// table; HTML cells are not truncated.
const maxCellRunes = 48

// WriteText writes the table aligned with spaces. Control characters in
// cells (a newline in a model name) are shown escaped, long cells cut.
func (t Table) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	writeRow := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				io.WriteString(tw, "\t")
			}
			io.WriteString(tw, truncate(CellText(c), maxCellRunes))
		}
		io.WriteString(tw, "\n")
	}
	writeRow(t.Header)
	for _, r := range t.Rows {
		writeRow(r)
	}
	return tw.Flush()
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

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
