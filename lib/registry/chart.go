package registry

import (
	"fmt"

	"github.com/go-analyze/charts"
)

// CapacityChartSVG draws each workspace's used capacity (current size as a
// percentage of its size allowance) as a horizontal bar chart in SVG, so a
// notebook can show at a glance which workspaces are near or over their
// allowance. Workspaces without a known allowance are left out.
func (s Summary) CapacityChartSVG() ([]byte, error) {
	var labels []string
	var values []float64
	for _, u := range s.Workspaces {
		if !u.HasAllowance {
			continue
		}
		labels = append(labels, truncate(displayText(u.Name), 32))
		values = append(values, u.UsedPercent)
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("no workspace has a size allowance to chart (were workspaces read with tenant details?)")
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.Title.Text = "Capacity used (% of size allowance)"
	opt.Padding = charts.Box{Top: 20, Right: 60, Bottom: 20, Left: 20}
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.ValueFormatter = func(v float64) string { return fmt.Sprintf("%.1f%%", v) }
	return renderSVG(opt, 760, 80+34*len(values))
}

// StatesChartSVG draws how many models are in each activeState.
func (s Summary) StatesChartSVG() ([]byte, error) {
	if len(s.States) == 0 {
		return nil, fmt.Errorf("no models to chart")
	}
	labels := make([]string, len(s.States))
	values := make([]float64, len(s.States))
	for i, c := range s.States {
		labels[i], values[i] = displayText(c.Key), float64(c.Count)
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.Title.Text = "Models by state"
	opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 20}
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	return renderSVG(opt, 760, 80+34*len(values))
}

func renderSVG(opt charts.BarChartOption, width, height int) ([]byte, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: width, Height: height})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("drawing chart: %w", err)
	}
	return p.Bytes()
}
