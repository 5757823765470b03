package registry

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"

	"github.com/go-analyze/charts"
)

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
		return nil, fmt.Errorf("no workspace has a size allowance to chart (were workspaces read with tenant details?)")
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.Title.Text = "Capacity used (% of size allowance)"
	opt.Padding = charts.Box{Top: 20, Right: 60, Bottom: 20, Left: 60} // room for a font wider than Roboto
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0)}}
	opt.ValueFormatter = axisNumber
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
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0)}}
	opt.ValueFormatter = axisNumber
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	return renderSVG(opt, labels, 760, 80+34*len(values))
}

func renderSVG(opt charts.BarChartOption, labels []string, width, height int) ([]byte, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: width, Height: height})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("drawing chart: %w", err)
	}
	svg, err := p.Bytes()
	if err != nil {
		return nil, err
	}
	return anchorLabels(svg, labels), nil
}

// The library right-aligns category labels by measuring them in Roboto and
// writing each one's left x. A browser without Roboto draws them in another
// font, wider or narrower, so they run into the bars or float off. Anchoring
// each label's end just left of the axis ticks instead holds in any font.
var (
	tickRE  = regexp.MustCompile(`<path d="M (\d+) (\d+)\nL \d+ (\d+)"`)
	labelRE = regexp.MustCompile(`<text x="(\d+)" (y="\d+" style="[^"]*">)([^<]*)</text>`)
)

func anchorLabels(svg []byte, labels []string) []byte {
	tickX := -1
	for _, m := range tickRE.FindAllSubmatch(svg, -1) {
		if string(m[2]) == string(m[3]) { // horizontal: a category tick
			tickX, _ = strconv.Atoi(string(m[1]))
			break
		}
	}
	if tickX < 0 {
		return svg
	}
	want := map[string]bool{}
	for _, l := range labels {
		want[html.EscapeString(l)] = true
	}
	return labelRE.ReplaceAllFunc(svg, func(text []byte) []byte {
		m := labelRE.FindSubmatch(text)
		x, _ := strconv.Atoi(string(m[1]))
		if x >= tickX || !want[string(m[3])] { // value-axis labels sit right of the axis
			return text
		}
		return fmt.Appendf(nil, `<text x="%d" text-anchor="end" %s%s</text>`, tickX-6, m[2], m[3])
	})
}

// axisNumber writes an axis value as people write it: 0, 12.5, 40. The
// library's default goes through go-humanize, whose output (0.00 or 0)
// changes with its version.
func axisNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
