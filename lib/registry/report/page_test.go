package report_test

import (
	"encoding/base64"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/report"
)

func page() report.Page {
	evil := `<script>alert("x")</script>`
	return report.Page{
		Title:     "Model registry",
		Subtitle:  "demo tenant " + evil,
		Generated: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC),
		Summary:   []report.Figure{{Label: "Models", Value: "39"}, {Label: "Over allowance", Value: "1", Tone: report.Bad}},
		Sections: []report.Section{
			{ID: "capacity", Heading: "Capacity", Intro: "Use of each workspace.",
				Charts: []report.Chart{{Title: "Used", SVG: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>` + evil + `</text></svg>`)}},
				Tables: []report.Table{{Title: "Workspaces", Columns: []string{"Workspace", "Used %"}, Numeric: []bool{false, true},
					Rows: []report.Row{{Cells: []string{evil, "93.1"}, Tones: []report.Tone{report.Plain, report.Bad}}}}}},
			{ID: "changes", Heading: "Changes", Tables: []report.Table{{Columns: []string{"Change"}}}},
			{ID: "hygiene", Heading: "Hygiene", Empty: "Nothing to look at."},
		},
	}
}

func TestRenderEscapesAndStaysSelfContained(t *testing.T) {
	b, err := report.Render(page())
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if strings.Contains(page, "<script") {
		t.Error("a model name became a script element")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the hostile name is not shown escaped")
	}
	// Nothing is loaded from anywhere: every src is a data: URL, every
	// href an anchor, and the policy forbids the rest.
	var images []string
	for _, m := range regexp.MustCompile(`(src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		v := html.UnescapeString(m[2])
		switch {
		case strings.HasPrefix(v, "data:image/svg+xml;base64,"):
			images = append(images, strings.TrimPrefix(v, "data:image/svg+xml;base64,"))
		case !strings.HasPrefix(v, "#"):
			t.Errorf("%s=%q points outside the page", m[1], v)
		}
	}
	if !strings.Contains(page, `default-src 'none'`) {
		t.Error("no Content-Security-Policy")
	}
	// The chart travels as an image, byte for byte.
	if len(images) != 1 {
		t.Fatalf("%d chart images, want 1", len(images))
	}
	svg, err := base64.StdEncoding.DecodeString(images[0])
	if err != nil || !strings.Contains(string(svg), "<text>") {
		t.Errorf("chart image decodes to %q, %v", svg, err)
	}
	for _, want := range []string{`<td class="num bad">93.1</td>`, `<p class="empty">None.</p>`, `Nothing to look at.`, `Generated 1 Dec 2026 09:30 UTC`, `<a href="#hygiene">Hygiene</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestRenderRefusesARaggedTable(t *testing.T) {
	p := page()
	p.Sections[0].Tables[0].Rows = append(p.Sections[0].Tables[0].Rows, report.Row{Cells: []string{"only one"}})
	if _, err := report.Render(p); err == nil || !strings.Contains(err.Error(), `table "Workspaces" row 2 has 1 cells for 2 columns`) {
		t.Fatalf("err = %v", err)
	}
}
