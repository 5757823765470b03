package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/scripts/internal/browsertest"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
	"github.com/chromedp/chromedp"
)

// TestReportInABrowser writes the report of the demo tenant (two runs, so
// it has history) and opens it in headless Chromium from a file: URL, as
// someone opening an e-mailed page would. It fails on any console error or
// warning (a blocked load, a script error, a policy violation), checks that
// every chart drew and every section and table is visible, and saves a
// screenshot as the test's artifact (go test -artifacts keeps it).
func TestReportInABrowser(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	for i := range 2 {
		res := clitest.Run(t, run, "-out", out, "-report")
		if res.Code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, res.Code, res.Stderr)
		}
		if !strings.Contains(res.Stdout, "Report: "+filepath.Join(out, ReportFile)) {
			t.Fatalf("run %d does not name the report:\n%s", i+1, res.Stdout)
		}
	}
	page := filepath.Join(out, ReportFile)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, external := range []string{`src="http`, `href="http`, "<script", "@import", "url(http"} {
		if strings.Contains(string(html), external) {
			t.Errorf("the report is not self-contained: it has %s", external)
		}
	}

	tab := browsertest.New(t, time.Minute).Ctx
	console := browsertest.WatchConsole(tab)
	if err := chromedp.Do(tab, chromedp.Navigate((&url.URL{Scheme: "file", Path: page}).String()),
		chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(tab, chromedp.Evaluate[[]map[string]any](`[...document.images].map(i => ({alt: i.alt, complete: i.complete, width: i.naturalWidth, shown: i.getBoundingClientRect().width}))`))
	if err != nil {
		t.Fatal(err)
	}
	var alts []string
	for _, c := range charts {
		alts = append(alts, c["alt"].(string))
	}
	wantCharts := []string{"Capacity used (% of size allowance)", "Capacity used over the runs (% of size allowance)", "Models per workspace and environment"}
	if strings.Join(alts, "|") != strings.Join(wantCharts, "|") {
		t.Errorf("charts %q, want %q: with two runs the capacity trend is drawn too", alts, wantCharts)
	}
	for _, c := range charts {
		if c["complete"] != true || c["width"].(float64) == 0 || c["shown"].(float64) == 0 {
			t.Errorf("chart %q did not draw: %v", c["alt"], c)
		}
	}
	hidden, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("section, table")].filter(e => e.getBoundingClientRect().height === 0).map(e => e.id || e.tagName)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(hidden) > 0 {
		t.Errorf("invisible on the page: %v", hidden)
	}
	sections, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("section h2")].map(h => h.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Capacity and forecast", "Environments per workspace", "Application families", "What changed", "Hygiene"}
	if strings.Join(sections, "|") != strings.Join(want, "|") {
		t.Errorf("sections %q, want %q", sections, want)
	}
	body, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	capacityHeader, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#capacity table")[0].querySelectorAll("th")].map(h => h.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(capacityHeader, "|"); !strings.HasPrefix(got, "Workspace|Used|Free|Allowance|Used %|") {
		t.Errorf("the capacity table's columns are %q, want the free space beside the used", got)
	}
	for _, text := range []string{"production-behind", "Since run 1", "fills first"} {
		if !strings.Contains(body, text) {
			t.Errorf("the page does not show %q", text)
		}
	}
	shot, err := chromedp.Run(tab, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "report.jpeg"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, m := range console.Problems() {
		t.Errorf("console: %s", m)
	}
}
