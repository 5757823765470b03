package notebooks_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The demo tenant moves a day per registry run (emulator.Tenant.Advance,
// seed 1): over the five runs the tour records it creates a development
// copy, archives a development copy, renames one model and moves another
// (to a workspace with room), syncs a production model, and fills Supply
// Chain Planning.
const (
	renamedModelID = "A79CF2E3C562C5FC2083465394AFD7B5"
	movedModelID   = "1152D4CF0042AD9B07C1157103E80C12"
)

func TestExploreNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "07-explore.ipynb")
	for _, tc := range []struct{ code, want string }{
		// Five runs, a day apart by the demo tenant's clock; the created
		// copy shows as one model more from the second run on.
		{"registry.RunsTable(", "<tr><td>1</td><td>2026-11-02 09:00:00</td><td>7</td><td>39</td></tr>"},
		{"registry.RunsTable(", "<tr><td>5</td><td>2026-11-06 09:00:00</td><td>7</td><td>40</td></tr>"},
		// Environments per workspace and the flagged families.
		{"org.EnvironmentTable(", "<th>WORKSPACE</th><th>DEV</th><th>TEST</th><th>UAT</th><th>PROD</th>"},
		{"org.EnvironmentTable(", "<tr><td>Legacy 2019</td><td></td><td></td><td></td><td></td><td></td><td>3</td><td></td></tr>"},
		{"org.EnvironmentTable(", "families by ALM lineage and name"},
		{"org.EnvironmentTable(", "<td>Workforce Planning</td><td>multiple-production</td>"},
		// Capacity: the chart, and the forecast naming the workspace that
		// fills first (Sandbox is already over its allowance).
		{"registry.UsageTrendChartSVG(", "Capacity used over the runs (% of size allowance)"},
		{"registry.CapacityTable(", "<tr><td>Sandbox – Model Builders</td><td>5.5 GiB</td><td>5.0 GiB</td><td>109.4</td>"},
		{"registry.CapacityTable(", "<td>full now</td>"},
		{"registry.CapacityTable(", "<tr><td>Supply Chain Planning</td>"},
		// What changed from the first run to the last: each of the
		// emulator's kinds of change but growth.
		{"history.Diff(", "changes from run 1 to run 5; all but the sizes:"},
		{"history.Diff(", "<td>added</td><td>Tenant Audit Reporting - DEV 2026-11-03</td><td>Admin Tools</td>"},
		{"history.Diff(", "<td>state</td><td>Incentive Comp &#34;ICM&#34; - DEV</td><td>Sales &amp; Revenue Operations</td><td>UNLOCKED -&gt; ARCHIVED</td>"},
		{"history.Diff(", "<td>renamed</td><td>FP&amp;A Planning - DEV (old)</td>"},
		{"history.Diff(", "<td>moved</td><td>Pipeline Forecast\\nQ3 draft</td><td>Admin Tools</td><td>Sales &amp; Revenue Operations -&gt; Admin Tools</td><td>" + movedModelID + "</td>"},
		{"history.Diff(", "<td>alm</td><td>Sales Capacity</td><td>Sales &amp; Revenue Operations</td><td>behind -&gt; in-sync</td>"},
		// The frames: a group-by, a filter with a sort, the hygiene frame.
		{`GroupBy("workspaceName", "environment")`, "<tr><td>Legacy 2019</td><td>archive</td><td>3</td></tr>"},
		{`GroupBy("workspaceName", "environment")`, "<tr><td>Sandbox – Model Builders</td><td>sandbox</td><td>4</td></tr>"},
		{"RevSort(\"memoryUsage\")", "<tbody><tr><td>Demand Planning</td><td>Supply Chain Planning</td><td>PRODUCTION</td>"},
		{"RevSort(\"memoryUsage\")", "<p>showing 5 of 11 rows</p>"},
		{"CheckArchiveCandidate", "<td>Workforce Planning - TEST</td><td>Workforce Planning (HR)</td><td>test copy not modified for"},
		// SQL: every name the renamed model had, from the run it got it.
		{"sql.Open(", "<tr><td>" + renamedModelID + "</td><td>2026-11-02T09:00:00.000Z</td><td>FP&amp;A Planning - DEV</td></tr>" +
			"<tr><td>" + renamedModelID + "</td><td>2026-11-05T09:00:00.000Z</td><td>FP&amp;A Planning - DEV (old)</td></tr></tbody>"},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}

	// The chart is an SVG line chart with a line per workspace that has an
	// allowance (all seven in the demo tenant), over the five runs, and one
	// for the allowance.
	chart := nb.cell(t, "registry.UsageTrendChartSVG(")
	if len(chart.Displays) != 2 || !strings.Contains(chart.Displays[0], "\n<svg ") || !strings.HasSuffix(strings.TrimSpace(chart.Displays[0]), "</svg>") {
		t.Fatalf("the capacity cell does not show an SVG chart, then the table:\n%s", chart.text())
	}
	svg := chart.Displays[0]
	if n := strings.Count(svg, `style="stroke-width:2;stroke:rgb(`); n != 8 {
		t.Errorf("the capacity chart draws %d lines, want one per workspace with an allowance (7) and the allowance's", n)
	}
	for _, want := range []string{"Supply Chain Planning", "Sandbox – Model Builders", "2 Nov", "6 Nov", "size allowance (100%)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the capacity chart does not name %q", want)
		}
	}
	// The forecast's order: already full first, then the first to fill.
	table := chart.text()
	if i, j := strings.Index(table, "<td>Sandbox – Model Builders</td><td>5.5"), strings.Index(table, "<tr><td>Supply Chain Planning</td>"); i < 0 || j < i {
		t.Errorf("the forecast does not list Sandbox (full) before Supply Chain Planning (fills first):\n%s", table)
	}
	changes := nb.cell(t, "history.Diff(").text()
	if strings.Contains(changes, "<td>grown</td>") {
		t.Error("the changes table shows sizes; the cell promises all but the sizes")
	}
	// Every change the emulator records making over the four days the
	// tour's runs span, but growth, is in the table, under its model's id.
	kind := map[string]string{emulator.EventCreated: "added", emulator.EventArchived: "state",
		emulator.EventRenamed: "renamed", emulator.EventMoved: "moved", emulator.EventSynced: "alm"}
	_, events := emulator.Demo().Advance(4, 1)
	seen := 0
	for _, e := range events {
		if e.Kind == emulator.EventGrown {
			continue
		}
		seen++
		found := false
		for _, row := range strings.Split(changes, "<tr>") {
			found = found || strings.HasPrefix(row, "<td>"+kind[e.Kind]+"</td>") && strings.Contains(row, "<td>"+e.ModelID+"</td></tr>")
		}
		if !found {
			t.Errorf("the emulator's %s of %s (day %d) is not in the changes table", e.Kind, e.ModelID, e.Day)
		}
	}
	if seen != 5 {
		t.Errorf("the emulator made %d changes other than growth over the tour's days, want the 5 the notebook explains", seen)
	}
}
