package notebooks_test

import (
	"regexp"
	"strings"
	"testing"
)

func TestWorkspacesNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "02-workspaces.ipynb")

	table := nb.cell(t, "WorkspacesTable()").text()
	for _, ws := range []string{
		"Admin Tools", "FP&amp;A Planning", "Legacy 2019", "Sales &amp; Revenue Operations",
		"Sandbox – Model Builders", "Supply Chain Planning", "Workforce Planning (HR)",
	} {
		if !strings.Contains(table, "<td>"+ws+"</td>") {
			t.Errorf("the workspaces table lacks %q:\n%s", ws, table)
		}
	}
	for ws, status := range map[string]string{
		"Sandbox – Model Builders": "over allowance",
		"Workforce Planning (HR)":  "nearly full",
		"FP&amp;A Planning":        "",
	} {
		row := regexp.MustCompile(`<tr><td>` + regexp.QuoteMeta(ws) + `</td>.*?</tr>`).FindString(table)
		if !strings.HasSuffix(row, "<td>"+status+"</td></tr>") {
			t.Errorf("the row of %s is %q, want the status %q", ws, row, status)
		}
	}

	// The table first, then the chart.
	displays := nb.cell(t, "CapacityChartSVG").Displays
	if len(displays) != 2 || !strings.Contains(displays[1], "<svg") || !strings.Contains(displays[1], "Workforce Planning (HR)") {
		t.Errorf("the capacity cell shows %d displays, want the table and an SVG chart of the workspaces:\n%.900s", len(displays), strings.Join(displays, "\n"))
	}

	for _, tc := range []struct{ code, want string }{
		{"PageSize: 3", "7 workspaces in 3 requests:\n"},
		{"PageSize: 3", "GET /2/0/workspaces?limit=3&offset=6&tenantDetails=true → 200 OK\n"},
		{"PageSize: 3", `"totalSize": 7`},
		{"PageSize: 3", `"next": "http://127.0.0.1:‹port›/2/0/workspaces?limit=3&offset=3&tenantDetails=true"`},
		{"series.GreaterEq", "<td>Sandbox – Model Builders</td><td>true</td><td>5368709120</td>"},
		{"-currentSize", "errors.Is(err, anaplan.ErrBadRequest): true\nStatusCode 400"},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}
	if frame := nb.cell(t, "series.GreaterEq").text(); strings.Contains(frame, "Admin Tools") {
		t.Errorf("the filtered frame shows Admin Tools, which is 21%% full:\n%s", frame)
	}
}
