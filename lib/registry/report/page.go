// Package report renders the registry's one-page report: a self-contained
// HTML file (no external assets, no script) that opens offline and is fine
// to e-mail. It knows pages, sections, tables and charts, not Anaplan: the
// registry decides what goes in.
package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"time"
)

// Page is the whole report.
type Page struct {
	Title     string
	Subtitle  string    // e.g. the tenant and the run
	Generated time.Time // shown in the footer
	Summary   []Figure  // headline figures across the top
	Sections  []Section
}

// Figure is one headline number, e.g. {"Models", "39"}.
type Figure struct {
	Label, Value string
	Tone         Tone
}

// Tone colours a figure or a cell: plain, good, warn or bad.
type Tone string

// The tones the stylesheet knows.
const (
	Plain Tone = ""
	Good  Tone = "good"
	Warn  Tone = "warn"
	Bad   Tone = "bad"
)

// Section is one heading with its text, charts and tables.
type Section struct {
	ID      string // anchor, e.g. "capacity"
	Heading string
	Intro   string // one paragraph of plain text
	Charts  []Chart
	Tables  []Table
	Empty   string // shown instead when the section has no chart and no rows
}

// Chart is an SVG picture. It is embedded as an image (a data: URL), so
// that nothing inside an SVG, whatever text a model name put there, can run
// or fetch anything when the page is opened.
type Chart struct {
	Title string // also the image's alt text
	SVG   []byte
}

// Table is a titled table of text cells.
type Table struct {
	Title   string
	Columns []string
	Rows    []Row
	Numeric []bool // per column: right-aligned
}

// Row is one table row; Tones, when set, colours cells one for one.
type Row struct {
	Cells []string
	Tones []Tone
}

//go:embed page.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"svgURL": func(svg []byte) template.URL {
		return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
	},
	"tone": func(r Row, i int) Tone {
		if i < len(r.Tones) {
			return r.Tones[i]
		}
		return Plain
	},
	"numeric": func(t Table, i int) bool { return i < len(t.Numeric) && t.Numeric[i] },
	"date":    func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
}).Parse(pageTemplate))

// Render writes the page as one HTML document.
func Render(p Page) ([]byte, error) {
	for _, s := range p.Sections {
		for _, t := range s.Tables {
			for i, r := range t.Rows {
				if len(r.Cells) != len(t.Columns) {
					return nil, fmt.Errorf("report: table %q row %d has %d cells for %d columns", t.Title, i+1, len(r.Cells), len(t.Columns))
				}
			}
		}
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return b.Bytes(), nil
}
