package registry

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/lib/registry/report"
	"github.com/go-analyze/charts"
)

// ReportInput is what the report page shows beside the registry itself:
// the history's view of the run.
type ReportInput struct {
	Tenant   string
	Run      history.Run
	Previous *history.Run       // the run before, nil on the first
	Changes  []history.Change   // since Previous
	Capacity []history.Capacity // Forecast of the tenant
	Fastest  []history.ModelGrowth
	// Trend is the runs to chart capacity over, oldest first (the
	// workspaces are enough: history.DB.WorkspaceTrend); no chart with
	// fewer than two.
	Trend []history.Snapshot
	Now   time.Time // the footer's date; zero means the run's
}

// ReportTrendRuns is how many of the latest runs the report's capacity
// trend chart spans: two months of daily runs, as many dates as its axis
// can show.
const ReportTrendRuns = 60

// ReportPage builds the one-page report: capacity and its forecast,
// environments per workspace, families with their flags, what changed
// since the previous run, and the hygiene list.
func (r *Registry) ReportPage(in ReportInput) (report.Page, error) {
	org := r.Organisation()
	now := in.Now
	if now.IsZero() {
		now = in.Run.TakenAt
	}
	flagged := 0
	for _, f := range org.Families {
		if len(f.Flags) > 0 {
			flagged++
		}
	}
	p := report.Page{
		Title:     "Model registry",
		Subtitle:  fmt.Sprintf("%s · run %d, %s", in.Tenant, in.Run.ID, in.Run.TakenAt.UTC().Format("2 Jan 2006 15:04 UTC")),
		Generated: now,
		Summary: []report.Figure{
			{Label: "workspaces", Value: strconv.Itoa(len(r.Workspaces))},
			{Label: "models", Value: strconv.Itoa(len(r.Models))},
			{Label: "families", Value: strconv.Itoa(len(org.Families))},
			{Label: "families flagged", Value: strconv.Itoa(flagged), Tone: toneIf(flagged > 0, report.Warn)},
			{Label: "hygiene findings", Value: strconv.Itoa(len(org.Hygiene)), Tone: toneIf(len(org.Hygiene) > 0, report.Warn)},
		},
	}
	if first, ok := firstToFill(in.Capacity); ok {
		p.Summary = append(p.Summary, report.Figure{Label: "fills first: " + CellText(first.Name), Value: first.Full.UTC().Format(time.DateOnly), Tone: report.Bad})
	}
	capacity, err := r.capacitySection(in)
	if err != nil {
		return report.Page{}, err
	}
	environments, err := r.environmentSection(org)
	if err != nil {
		return report.Page{}, err
	}
	p.Sections = []report.Section{capacity, environments, familySection(org), changesSection(in, r), hygieneSection(org)}
	return p, nil
}

func toneIf(cond bool, t report.Tone) report.Tone {
	if cond {
		return t
	}
	return report.Plain
}

// firstToFill is the workspace with room that the forecast sees filling
// first: one already full (the capacity table says "full now", hygiene
// flags it) is not news about what fills next.
func firstToFill(cs []history.Capacity) (history.Capacity, bool) {
	for _, c := range cs { // Forecast sorts the first to fill first
		if c.Free > 0 && !c.Full.IsZero() {
			return c, true
		}
	}
	return history.Capacity{}, false
}

func (r *Registry) capacitySection(in ReportInput) (report.Section, error) {
	s := report.Section{ID: "capacity", Heading: "Capacity and forecast",
		Intro: "How full each workspace is, how fast it grows (a straight line fitted over the last recorded run of each UTC day; runs all on one day are not enough history) and when, at that pace, it reaches its size allowance. Anaplan warns at 75% of the allowance."}
	if svg, err := r.Summary().CapacityChartSVG(); err == nil {
		s.Charts = append(s.Charts, report.Chart{Title: "Capacity used (% of size allowance)", SVG: svg})
	}
	if len(in.Trend) >= 2 {
		svg, err := UsageTrendChartSVG(in.Trend)
		if err != nil && !errors.Is(err, errNoAllowance) {
			return s, err
		}
		if err == nil {
			s.Charts = append(s.Charts, report.Chart{Title: "Capacity used over the runs (% of size allowance)", SVG: svg})
		}
	}
	t := report.Table{Title: "Workspaces, the first to fill first",
		Columns: []string{"Workspace", "Used", "Free", "Allowance", "Used %", "Growth per day", "Full on", "Runs"},
		Numeric: []bool{false, true, true, true, true, true, false, true}}
	for _, c := range in.Capacity {
		pct, tone := "", report.Plain
		if c.SizeAllowance > 0 {
			pct = fmt.Sprintf("%.1f%%", c.UsedPercent)
			tone = percentTone(c.UsedPercent)
		}
		growth, full := forecastCells(c)
		t.Rows = append(t.Rows, report.Row{
			Cells: []string{CellText(c.Name), history.HumanBytes(c.Used), freeText(c), allowanceText(c.SizeAllowance), pct, growth, full, strconv.Itoa(c.Runs)},
			Tones: []report.Tone{"", "", "", "", tone, "", fullTone(c), ""},
		})
	}
	s.Tables = append(s.Tables, t)
	fast := report.Table{Title: "Fastest-growing models", Columns: []string{"Model", "Workspace", "From", "To", "Growth per day"},
		Numeric: []bool{false, false, true, true, true}}
	for _, g := range in.Fastest {
		fast.Rows = append(fast.Rows, report.Row{Cells: []string{CellText(g.Name), CellText(r.workspaceNameByID(g.WorkspaceID)),
			history.HumanBytes(g.From), history.HumanBytes(g.To), growthText(g.GrowthPerDay)}})
	}
	s.Tables = append(s.Tables, fast)
	return s, nil
}

func fullTone(c history.Capacity) report.Tone {
	switch {
	case c.SizeAllowance > 0 && c.Free <= 0:
		return report.Bad
	case !c.Full.IsZero():
		return report.Warn
	}
	return report.Plain
}

// percentTone colours a Used % by the summary's and hygiene's levels.
func percentTone(p float64) report.Tone {
	switch LevelOfPercent(p, true) {
	case AllowanceOver, AllowanceNearlyFull:
		return report.Bad
	case AllowanceNear:
		return report.Warn
	}
	return report.Good
}

func allowanceText(b int64) string {
	if b <= 0 {
		return ""
	}
	return history.HumanBytes(b)
}

// freeText is what is left of a workspace's allowance, or how far over it
// the workspace is; nothing when the allowance is not known.
func freeText(c history.Capacity) string {
	switch {
	case c.SizeAllowance <= 0:
		return ""
	case c.Free < 0:
		return "over by " + history.HumanBytes(-c.Free)
	}
	return history.HumanBytes(c.Free)
}

// growthText is a growth in bytes per day, signed; rounded to whole bytes
// first, so less than a byte a day reads "0", not "-0 B".
func growthText(perDay float64) string {
	n := int64(math.Round(perDay))
	switch {
	case n > 0:
		return "+" + history.HumanBytes(n)
	case n < 0:
		return "-" + history.HumanBytes(-n)
	}
	return "0"
}

func (r *Registry) workspaceNameByID(id string) string {
	if w, ok := r.Workspace(id); ok {
		return w.Name
	}
	return id
}

func (r *Registry) environmentSection(org *Organisation) (report.Section, error) {
	s := report.Section{ID: "environments", Heading: "Environments per workspace",
		Intro: "Every model's environment, from the environment rules (the first that matches wins; registry.csv says which rule matched each model)."}
	t := org.EnvironmentTable(r)
	svg, err := environmentChartSVG(t)
	if err != nil {
		return s, err
	}
	if svg != nil {
		s.Charts = append(s.Charts, report.Chart{Title: "Models per workspace and environment", SVG: svg})
	}
	s.Tables = append(s.Tables, reportTable("", t, 1))
	return s, nil
}

// environmentChartSVG stacks each workspace's models by environment, from
// EnvironmentTable's rows (workspace, then one count column each).
func environmentChartSVG(t Table) ([]byte, error) {
	if len(t.Rows) == 0 || len(t.Header) < 2 {
		return nil, nil
	}
	envs := t.Header[1:]
	values := make([][]float64, len(envs))
	var labels []string
	for _, row := range slices.Backward(t.Rows) { // horizontal bars draw bottom-up
		labels = append(labels, truncate(CellText(row[0]), 32))
		for e := range envs {
			n, _ := strconv.Atoi(row[1+e])
			values[e] = append(values[e], float64(n))
		}
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.Horizontal = true
	opt.StackSeries = charts.Ptr(true)
	opt.Title.Text = "Models per workspace and environment"
	opt.Legend.SeriesNames = lower(envs)
	opt.Legend.Offset = charts.OffsetStr{Top: "28"}
	opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 40}
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	most := 0.0 // the longest bar: the most models of one workspace
	for i := range labels {
		total := 0.0
		for e := range envs {
			total += values[e][i]
		}
		most = max(most, total)
	}
	top, step := wholeTicks(most)
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(top), LabelCount: int(top/step) + 1,
		PreferNiceIntervals: charts.Ptr(false)}}
	opt.ValueFormatter = axisNumber
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: 760, Height: 120 + 30*len(labels)})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("drawing the environments chart: %w", err)
	}
	return p.Bytes()
}

// wholeTicks picks an axis for counts up to most: a step of 1, 2 or 5
// times a power of ten giving at most six intervals, and the top the
// first multiple of the step at or above most. Models come in whole
// numbers; an axis reading 5.25 models does not.
func wholeTicks(most float64) (top, step float64) {
	step = 1
	for most/step > 6 {
		switch s := step / math.Pow(10, math.Floor(math.Log10(step))); s {
		case 2:
			step = step / 2 * 5
		default: // 1 and 5
			step *= 2
		}
	}
	return max(step, math.Ceil(most/step)*step), step
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// reportTable turns a registry table into a report table; the columns from
// numericFrom on are right-aligned.
func reportTable(title string, t Table, numericFrom int) report.Table {
	rt := report.Table{Title: title}
	for i, h := range t.Header {
		rt.Columns = append(rt.Columns, h)
		rt.Numeric = append(rt.Numeric, numericFrom >= 0 && i >= numericFrom)
	}
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = CellText(c)
		}
		rt.Rows = append(rt.Rows, report.Row{Cells: cells})
	}
	return rt
}

func familySection(org *Organisation) report.Section {
	s := report.Section{ID: "families", Heading: "Application families",
		Intro: "The dev, test and production copies of one application, tied together by ALM lineage where the tenant has it, else by name. Flags say what an admin should look at."}
	flagged := reportTable("Flagged families", org.FlaggedTable(), -1)
	for i := range flagged.Rows {
		flagged.Rows[i].Tones = []report.Tone{"", report.Bad, ""}
	}
	s.Tables = append(s.Tables, flagged, reportTable("Families of more than one model, or flagged", org.FamilyTable(), -1))
	return s
}

func changesSection(in ReportInput, r *Registry) report.Section {
	s := report.Section{ID: "changes", Heading: "What changed"}
	if in.Previous == nil {
		s.Intro = "This is the first run recorded for this tenant: the next run will show what changed since this one."
		s.Empty = "No earlier run to compare with."
		return s
	}
	s.Intro = fmt.Sprintf("Since run %d of %s: %d changes.", in.Previous.ID, in.Previous.TakenAt.UTC().Format("2 Jan 2006 15:04 UTC"), len(in.Changes))
	t := report.Table{Columns: []string{"Change", "Name", "Workspace", "Detail"}}
	for _, c := range in.Changes {
		tone := report.Plain
		switch c.Kind {
		case history.ModelRemoved, history.WorkspaceRemoved:
			tone = report.Bad
		case history.ALMChanged:
			if c.To == ALMBehind {
				tone = report.Bad
			} else if c.From == ALMBehind {
				tone = report.Good
			}
		}
		ws := ""
		if c.WorkspaceID != "" {
			ws = r.workspaceNameByID(c.WorkspaceID)
		}
		t.Rows = append(t.Rows, report.Row{
			Cells: []string{string(c.Kind), CellText(c.Name), CellText(ws), CellText(c.Detail(r.workspaceNameByID))},
			Tones: []report.Tone{tone, "", "", ""},
		})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func hygieneSection(org *Organisation) report.Section {
	s := report.Section{ID: "hygiene", Heading: "Hygiene",
		Intro: "Models to look at, each with its reason: stale models, idle development copies (archive candidates), duplicate names, full workspaces, models you cannot open, production models outside a production family."}
	t := report.Table{Columns: []string{"Check", "Model", "Workspace", "Why"}}
	for _, h := range org.Hygiene {
		t.Rows = append(t.Rows, report.Row{Cells: []string{string(h.Check), CellText(h.ModelName), CellText(h.Workspace), CellText(h.Reason)}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

// WriteReport renders page into path atomically: a reader sees the old
// page or the new one, never half of one.
func WriteReport(path string, page report.Page) error {
	html, err := report.Render(page)
	if err != nil {
		return err
	}
	if err := writeAllOrNone(filepath.Dir(path), []output{{path, func(w io.Writer) error { _, err := w.Write(html); return err }}}); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
