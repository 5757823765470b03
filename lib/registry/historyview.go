package registry

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/go-analyze/charts"
)

// Views of the history for people: the tables and the chart a notebook
// shows (the report page draws its own from the same values).

// RunsTable lists runs: id, the day and time taken (UTC), workspaces and
// models.
func RunsTable(runs []history.Run) Table {
	t := Table{Header: []string{"RUN", "TAKEN (UTC)", "WORKSPACES", "MODELS"}}
	for _, r := range runs {
		t.Rows = append(t.Rows, []string{strconv.FormatInt(r.ID, 10), r.TakenAt.UTC().Format(time.DateTime),
			strconv.Itoa(r.Workspaces), strconv.Itoa(r.Models)})
	}
	return t
}

// ChangesTable lists changes (history.Diff) with names people read: the
// kind, the model's or workspace's name, its workspace in newer (the later
// snapshot), the detail (Change.Detail) and the id.
func ChangesTable(changes []history.Change, newer history.Snapshot) Table {
	name := func(id string) string {
		if w, ok := newer.Workspace(id); ok {
			return w.Name
		}
		return id
	}
	t := Table{Header: []string{"CHANGE", "NAME", "WORKSPACE", "DETAIL", "ID"}}
	for _, c := range changes {
		ws := ""
		if c.WorkspaceID != "" {
			ws = name(c.WorkspaceID)
		}
		t.Rows = append(t.Rows, []string{string(c.Kind), c.Name, ws, c.Detail(name), c.ID})
	}
	return t
}

// CapacityTable is the forecast (history.DB.Forecast) as a table: each
// workspace's use, allowance, growth per day fitted over the runs and the
// day it reaches its allowance at that pace, the first to fill first.
func CapacityTable(cs []history.Capacity) Table {
	t := Table{Header: []string{"WORKSPACE", "USED", "ALLOWANCE", "USED %", "GROWTH/DAY", "FULL ON", "RUNS"}}
	for _, c := range cs {
		pct := ""
		if c.SizeAllowance > 0 {
			pct = fmt.Sprintf("%.1f", c.UsedPercent)
		}
		growth, full := forecastCells(c)
		t.Rows = append(t.Rows, []string{c.Name, history.HumanBytes(c.Used), allowanceText(c.SizeAllowance), pct,
			growth, full, strconv.Itoa(c.Runs)})
	}
	return t
}

// NotEnoughHistory is what the forecast says of a workspace whose runs all
// fall on one UTC day: no growth figure, no date (history.Capacity.Trend).
const NotEnoughHistory = "not enough history (runs on one day)"

// forecastCells are a workspace's growth per day and the day it fills, as
// the capacity table and the report show them.
func forecastCells(c history.Capacity) (growth, full string) {
	growth, full = growthText(c.GrowthPerDay), "not at this pace"
	if !c.Trend {
		growth, full = "", NotEnoughHistory
	}
	switch {
	case c.SizeAllowance <= 0:
		full = "no allowance known"
	case c.Free <= 0:
		full = "full now"
	case !c.Full.IsZero():
		full = c.Full.UTC().Format(time.DateOnly)
	}
	return growth, full
}

// UsageTrendChartSVG draws each workspace's used capacity (% of its size
// allowance) at every snapshot, oldest first, one line per workspace with
// a known allowance (as the latest snapshot names it), and the allowance
// itself as a line at 100%, so a workspace climbing towards it stands
// out. A workspace a snapshot did not see is drawn at 0 there.
func UsageTrendChartSVG(snaps []history.Snapshot) ([]byte, error) {
	if len(snaps) < 2 {
		return nil, fmt.Errorf("a trend needs at least two snapshots, the history has %d: run the registry again", len(snaps))
	}
	latest := snaps[len(snaps)-1]
	var names []string
	var values [][]float64
	for _, w := range latest.Workspaces {
		if w.SizeAllowance <= 0 {
			continue
		}
		line := make([]float64, len(snaps))
		for i, s := range snaps {
			if old, ok := s.Workspace(w.ID); ok && old.SizeAllowance > 0 {
				line[i] = float64(old.CurrentSize) / float64(old.SizeAllowance) * 100
			}
		}
		names = append(names, truncate(CellText(w.Name), 28))
		values = append(values, line)
	}
	if len(values) == 0 {
		return nil, errNoAllowance
	}
	labels := make([]string, len(snaps))
	for i, s := range snaps {
		labels[i] = s.Run.TakenAt.UTC().Format("2 Jan")
	}
	top := 100.0 // the allowance in view, and room above the fullest workspace
	for _, line := range values {
		for _, v := range line {
			top = max(top, math.Ceil(v/50)*50)
		}
	}
	// The allowance as a line of its own: the library marks lines only at a
	// series' max, min, average or median, not at a value.
	allowance := make([]float64, len(snaps))
	for i := range allowance {
		allowance[i] = 100
	}
	values = append(values, allowance)
	names = append(names, "size allowance (100%)")
	opt := charts.NewLineChartOptionWithData(values)
	opt.Title.Text = "Capacity used over the runs (% of size allowance)"
	opt.Legend.SeriesNames = names
	opt.Legend.Offset = charts.OffsetStr{Left: charts.PositionCenter, Top: charts.PositionBottom}
	opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 20}
	opt.XAxis.Labels = labels
	opt.YAxis = []charts.YAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(top), LabelCount: int(top/25) + 1}}
	opt.ValueFormatter = func(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', -1, 64) }
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: 860, Height: 460})
	if err := p.LineChart(opt); err != nil {
		return nil, fmt.Errorf("drawing the capacity trend: %w", err)
	}
	return p.Bytes()
}
