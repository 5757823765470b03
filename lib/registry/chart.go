package registry

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/go-analyze/charts"
)

// errNoAllowance is why a capacity chart has nothing to draw.
var errNoAllowance = errors.New("no workspace has a size allowance to chart (were workspaces read with tenant details?)")

// CapacityChartSVG draws each workspace's used capacity (current size as a
// percentage of its size allowance) as a horizontal bar chart in SVG, so a
// notebook can show at a glance which workspaces are near or over their
// allowance. Workspaces without a known allowance are left out.
func (s Summary) CapacityChartSVG() ([]byte, error) {
	var labels []string
	var values []float64
	for _, u := range slices.Backward(s.Workspaces) { // the chart draws bottom-up; tables read top-down
		if !u.HasAllowance {
			continue
		}
		labels = append(labels, truncate(CellText(u.Name), 32))
		values = append(values, u.UsedPercent)
	}
	if len(values) == 0 {
		return nil, errNoAllowance
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.Title.Text = "Capacity used (% of size allowance)"
	opt.Padding = charts.Box{Top: 20, Right: 60, Bottom: 20, Left: 60} // room for a font wider than Roboto
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	// Ticks every 25% (50% past 100%), and always one at 100%, the
	// allowance: the library cannot mark a line at a value, so the 100%
	// tick's grid line is the allowance's. (Its own spacing is measured in
	// Roboto and runs "100" into "120" in a wider font.)
	most := slices.Max(values)
	step := 25.0
	if most > 100 {
		step = 50
	}
	top := max(100, math.Ceil(most/step)*step)
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(top), LabelCount: int(top/step) + 1,
		PreferNiceIntervals: charts.Ptr(false)}}
	opt.ValueFormatter = func(v float64) string { return axisNumber(v) + "%" }
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.ValueFormatter = func(v float64) string { return fmt.Sprintf("%.1f%%", v) }
	return renderSVG(opt, labels, 760, 80+34*len(values))
}

// StatesChartSVG draws how many models are in each activeState.
func (s Summary) StatesChartSVG() ([]byte, error) {
	if len(s.States) == 0 {
		return nil, fmt.Errorf("no models to chart")
	}
	var labels []string
	var values []float64
	for _, c := range slices.Backward(s.States) {
		labels = append(labels, CellText(c.Key))
		values = append(values, float64(c.Count))
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.Title.Text = "Models by state"
	opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 60}
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), LabelCountAdjustment: -1}}
	opt.ValueFormatter = axisNumber
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	return renderSVG(opt, labels, 760, 80+34*len(values))
}

// labelFont is the font and size the library lays category labels out in
// (its default, Roboto, at its default 12 points), to measure them.
var labelFont = charts.FontStyle{FontSize: 12, FontColor: charts.ColorBlack, Font: charts.GetDefaultFont()}

// labelSlack is the extra width, as a share of the widest label, that a
// label may take in the browser. The library measures labels in Roboto and
// right-aligns them on that measure; a browser without Roboto draws them
// in its own sans-serif, which is wider (DejaVu Sans, Linux's usual one,
// by about 15%), so a label on the measure would run under the bars. The
// labels move left by this share instead, through the library's own label
// offset: in Roboto they end a little before the axis, in a wider font
// they still end before it.
const labelSlack = 0.2

// renderSVG draws a horizontal bar chart of labels, width by height.
func renderSVG(opt charts.BarChartOption, labels []string, width, height int) ([]byte, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: width, Height: height})
	widest := 0
	for _, l := range labels {
		widest = max(widest, p.MeasureText(l, 0, labelFont).Width())
	}
	slack := int(labelSlack * float64(widest))
	opt.CategoryAxis.LabelOffset = charts.OffsetInt{Left: -slack}
	opt.Padding.Left = max(opt.Padding.Left, slack+20) // the labels' new room
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("drawing chart: %w", err)
	}
	return p.Bytes()
}

// axisNumber writes an axis value as people write it: 0, 12.5, 40. The
// library's default goes through go-humanize, whose output (0.00 or 0)
// changes with its version.
func axisNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
