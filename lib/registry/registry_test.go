package registry_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-analyze/charts"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// nastyNames are names that break naive CSV and spreadsheet handling.
var nastyNames = []string{
	"Sales, EMEA",
	`The "Big" Plan`,
	"Line one\nLine two",
	"=HYPERLINK(\"http://evil.example\",\"click\")",
	"Prévisions Ventes – 東京",
	"-1+1",
	"@SUM(A1)",
	"Broken \xff byte",
	" leading space",
}

func ts(s string) anaplan.Timestamp {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return anaplan.Timestamp{Time: t, Raw: s}
}

// fixture is a small tenant with one model per nasty name, spread over a
// workspace with, and one without, a size allowance, plus an orphan.
func fixture() *registry.Registry {
	workspaces := []anaplan.Workspace{
		{ID: "8a81b09d5e8c6f27015ece3402487d33", Name: "Finance, Planning", Active: true, SizeAllowance: 10 << 30, CurrentSize: 9_800_000_000},
		{ID: "8a81b09d5e8c6f27015ece3402487d34", Name: "=cmd|' /C calc'!A0", Active: true},
	}
	var models []anaplan.Model
	for i, name := range nastyNames {
		ws := workspaces[i%2]
		models = append(models, anaplan.Model{
			ID:                   strings.ToUpper("75a40874e6b64fa3ae0b01a6a4e6e0" + string(rune('a'+i)) + "0"),
			Name:                 name,
			ActiveState:          []anaplan.ModelState{"PRODUCTION", "UNLOCKED", "ARCHIVED", "SOMETHING_NEW"}[i%4],
			CurrentWorkspaceID:   ws.ID,
			CurrentWorkspaceName: ws.Name,
			MemoryUsage:          anaplan.Bytes(1000 * (i + 1)),
			ISOCreationDate:      ts("2024-01-0" + string(rune('1'+i%9)) + "T10:00:00Z"),
			LastModified:         ts("2025-06-01T08:30:00Z"),
		})
	}
	models = append(models, anaplan.Model{
		ID: "ORPHAN00000000000000000000000000", Name: "Orphan", ActiveState: "UNLOCKED",
		CurrentWorkspaceID: "ffffffffffffffffffffffffffffffff", CurrentWorkspaceName: "Hidden",
	})
	return registry.New(workspaces, models)
}

func TestCSVGolden(t *testing.T) {
	t.Parallel()
	r := fixture()
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"workspaces.csv", func(b *bytes.Buffer) error { return r.WriteWorkspacesCSV(b) }},
		{"models.csv", func(b *bytes.Buffer) error { return r.WriteModelsCSV(b) }},
		{"registry.csv", func(b *bytes.Buffer) error { return r.WriteRegistryCSV(b) }},
	} {
		var got bytes.Buffer
		if err := tc.write(&got); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		golden := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./lib/registry -update to create it)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s differs from its golden file:\n--- got\n%s\n--- want\n%s", tc.file, got.Bytes(), want)
		}
	}
}

// TestImportCSVRoundTrip reads the import files back as Anaplan would and
// checks every name arrives exactly as the tenant spelled it.
func TestImportCSVRoundTrip(t *testing.T) {
	t.Parallel()
	r := fixture()
	var buf bytes.Buffer
	if err := r.WriteModelsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("models.csv is not valid CSV: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "Code,Name,Workspace,currentSize" {
		t.Fatalf("header = %q", got)
	}
	if len(rows)-1 != len(r.Models) {
		t.Fatalf("%d rows for %d models", len(rows)-1, len(r.Models))
	}
	names := map[string]bool{}
	for _, row := range rows[1:] {
		names[row[1]] = true
	}
	for _, n := range nastyNames {
		want := strings.ToValidUTF8(n, "\uFFFD")
		if !names[want] {
			t.Errorf("name %q did not survive the round trip", want)
		}
	}
}

func TestSpreadsheetSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+2":        "'=1+2",
		"+1":          "'+1",
		"-1":          "'-1",
		"@SUM(A1)":    "'@SUM(A1)",
		"\tx":         "'\tx",
		"\rx":         "'\rx",
		"Plan = good": "Plan = good",
		"":            "",
		"bad \xff":    "bad \uFFFD",
	} {
		if got := registry.SpreadsheetSafe(in); got != want {
			t.Errorf("SpreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteFilesAtomic(t *testing.T) {
	t.Parallel()
	r := fixture()
	dir := t.TempDir()
	files, err := r.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{files.Workspaces, files.Models, files.Registry, files.Families, files.Hygiene} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("missing %s: %v", p, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("output dir holds %d entries, want exactly the 5 CSVs", len(entries))
	}

	// A path that is a file cannot become a directory: clear error, nothing written.
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	if _, err := r.WriteFiles(notDir); err == nil || !strings.Contains(err.Error(), notDir) {
		t.Errorf("WriteFiles(file) error = %v, want one naming %s", err, notDir)
	}
}

func TestWriteFilesKeepsOldFilesOnFailure(t *testing.T) {
	t.Parallel()
	r := fixture()
	dir := t.TempDir()
	if _, err := r.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, registry.ModelsFile))
	// An output path below a regular file cannot be created (even by root).
	if _, err := r.WriteFiles(filepath.Join(dir, registry.ModelsFile, "sub")); err == nil {
		t.Fatal("WriteFiles into a path below a file succeeded")
	}
	after, _ := os.ReadFile(filepath.Join(dir, registry.ModelsFile))
	if !bytes.Equal(before, after) {
		t.Error("a failed write changed the existing models.csv")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("a failed write left %d entries behind, want the 5 CSVs", len(entries))
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	s := fixture().Summary()
	if s.Models != len(nastyNames)+1 || s.Orphans != 1 {
		t.Errorf("Models=%d Orphans=%d", s.Models, s.Orphans)
	}
	if got := s.Workspaces[1].Status(); got != "nearly full" {
		t.Errorf("Finance, Planning status = %q, want nearly full (%.1f%%)", got, s.Workspaces[1].UsedPercent)
	}
	var buf bytes.Buffer
	if err := s.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Finance, Planning", "91.3%", "SOMETHING_NEW", "1 models are in workspaces you cannot list"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Line one\nLine two") {
		t.Error("summary printed a raw newline inside a name")
	}
}

func TestFrames(t *testing.T) {
	t.Parallel()
	r := fixture()
	ws := r.WorkspacesFrame()
	if ws.Nrow() != 2 || ws.Col("models").Records()[1] != "5" {
		t.Errorf("workspaces frame:\n%v", ws)
	}
	m := r.ModelsFrame()
	if m.Nrow() != len(nastyNames)+1 {
		t.Fatalf("models frame has %d rows", m.Nrow())
	}
	if got := m.Col("workspaceName").Records(); got[len(got)-1] != "Hidden" {
		t.Errorf("orphan's workspace name = %q, want the model's own", got[len(got)-1])
	}
}

func TestCharts(t *testing.T) {
	t.Parallel()
	s := fixture().Summary()
	svg, err := s.CapacityChartSVG()
	if err != nil {
		t.Fatal(err)
	}
	out := string(svg)
	if !strings.HasPrefix(out, "<svg") || !strings.Contains(out, "Finance, Planning") || !strings.Contains(out, "91.3%") {
		t.Errorf("capacity chart lacks the workspace or its usage:\n%.400s", out)
	}
	// The axis reads in percent and reaches the allowance, 100%, however
	// empty the workspaces.
	if !strings.Contains(out, ">100%</text>") {
		t.Errorf("the capacity chart's axis has no 100%% tick:\n%.400s", out)
	}
	// The workspace without an allowance is not charted, and names are escaped.
	if strings.Contains(out, "calc'!A0") {
		t.Error("a workspace without allowance was charted")
	}
	// The value axis starts at zero, and a label has room before it for a
	// browser font 15% wider than the Roboto the library measures in.
	labelX, zeroX := textX(t, out, "Finance, Planning"), textX(t, out, "0%")
	width := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: 100, Height: 100}).
		MeasureText("Finance, Planning", 0, charts.FontStyle{FontSize: 12, FontColor: charts.ColorBlack}).Width()
	if end := float64(labelX) + 1.15*float64(width); end >= float64(zeroX) {
		t.Errorf("label at x=%d, %d px wide in Roboto, would reach x=%.0f in a wider font: past the axis at x=%d", labelX, width, end, zeroX)
	}
	again, _ := s.CapacityChartSVG()
	if string(again) != out {
		t.Error("the chart is not reproducible: two renders differ")
	}
	if _, err := (registry.Summary{}).CapacityChartSVG(); err == nil {
		t.Error("an empty summary charted without error")
	}
	states, err := s.StatesChartSVG()
	if err != nil || !strings.Contains(string(states), "SOMETHING_NEW") {
		t.Errorf("states chart: %v\n%.300s", err, states)
	}
}

// textX is the x of the SVG text element that reads exactly text.
func textX(t *testing.T, svg, text string) int {
	t.Helper()
	m := regexp.MustCompile(`<text x="(\d+)" [^>]*>` + regexp.QuoteMeta(text) + `</text>`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no text %q in the chart:\n%.600s", text, svg)
	}
	x, _ := strconv.Atoi(m[1])
	return x
}
