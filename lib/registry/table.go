package registry

import (
	"fmt"
	"html"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// Table is a small header-and-rows table that renders as aligned text for
// terminals or as an escaped HTML table for notebooks.
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
			io.WriteString(tw, truncate(displayText(c), maxCellRunes))
		}
		io.WriteString(tw, "\n")
	}
	writeRow(t.Header)
	for _, r := range t.Rows {
		writeRow(r)
	}
	return tw.Flush()
}

// HTML renders the table as an HTML table with every cell escaped, showing
// at most maxRows rows and saying so when rows were left out.
func (t Table) HTML(maxRows int) string {
	var b strings.Builder
	b.WriteString(`<table class="registry"><thead><tr>`)
	for _, h := range t.Header {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead><tbody>")
	shown := t.Rows
	if maxRows >= 0 && len(shown) > maxRows {
		shown = shown[:maxRows]
	}
	for _, r := range shown {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(displayText(c)))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	if len(shown) < len(t.Rows) {
		fmt.Fprintf(&b, "<p>showing %d of %d rows</p>", len(shown), len(t.Rows))
	}
	return b.String()
}

// displayText makes control characters visible ("\n" becomes `\n`) and
// replaces invalid UTF-8, so a hostile name cannot break a table's layout.
func displayText(s string) string {
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
