package registry_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/report"
)

// The report of three demo days: the capacity section has the capacity
// chart and the trend over the runs, its table the free space beside the
// used and a % sign on the used share; no growth reads "-0 B"; the
// environments chart's axis counts whole models.
func TestReportPageCapacityAndCharts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, tenant, _ := recordDays(t, 3)
	tenantAt, _ := emulator.Demo().Advance(2, 1)
	reg, err := registry.Read(ctx, serve(t, tenantAt))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := db.Runs(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	in := registry.ReportInput{Tenant: tenant, Run: runs[2], Previous: &runs[1]}
	if in.Capacity, err = db.Forecast(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	if in.Fastest, err = db.FastestGrowing(ctx, tenant, 10); err != nil {
		t.Fatal(err)
	}
	if in.Trend, err = db.WorkspaceTrend(ctx, tenant, registry.ReportTrendRuns); err != nil {
		t.Fatal(err)
	}
	page, err := reg.ReportPage(in)
	if err != nil {
		t.Fatal(err)
	}
	capacity, environments := section(t, page, "capacity"), section(t, page, "environments")
	var titles []string
	for _, c := range capacity.Charts {
		titles = append(titles, c.Title)
	}
	if want := "Capacity used (% of size allowance)|Capacity used over the runs (% of size allowance)"; strings.Join(titles, "|") != want {
		t.Errorf("capacity charts %q, want %q", titles, want)
	}
	if svg := string(capacity.Charts[1].SVG); !strings.Contains(svg, "size allowance (100%)") {
		t.Errorf("the trend chart draws no allowance line")
	}
	if svg := string(capacity.Charts[0].SVG); !strings.Contains(svg, ">100%</text>") {
		t.Errorf("the capacity chart's axis has no 100%% tick")
	}
	table := capacity.Tables[0]
	if got := strings.Join(table.Columns[:5], "|"); got != "Workspace|Used|Free|Allowance|Used %" {
		t.Errorf("capacity columns %q", got)
	}
	over := false
	for _, r := range table.Rows {
		if r.Cells[4] != "" && !strings.HasSuffix(r.Cells[4], "%") {
			t.Errorf("%s: used %q has no %% sign", r.Cells[0], r.Cells[4])
		}
		over = over || strings.HasPrefix(r.Cells[2], "over by ")
	}
	if !over {
		t.Errorf("no workspace reads \"over by\" in Free, yet the demo's sandbox is over its allowance: %v", table.Rows)
	}
	for _, tab := range capacity.Tables {
		for _, r := range tab.Rows {
			for _, c := range r.Cells {
				if c == "-0 B" || c == "+0 B" {
					t.Errorf("%s: a growth of %q", r.Cells[0], c)
				}
			}
		}
	}
	ticks := regexp.MustCompile(`>([0-9.]+)</text>`).FindAllStringSubmatch(string(environments.Charts[0].SVG), -1)
	if len(ticks) < 3 {
		t.Fatalf("the environments chart has %d axis numbers", len(ticks))
	}
	for _, m := range ticks {
		if _, err := strconv.Atoi(m[1]); err != nil {
			t.Errorf("the environments chart's axis reads %s models", m[1])
		}
	}
}

// With one run there is no trend to draw.
func TestReportPageFirstRunHasNoTrend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, tenant, _ := recordDays(t, 1)
	reg, err := registry.Read(ctx, serve(t, emulator.Demo()))
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := db.Runs(ctx, tenant)
	in := registry.ReportInput{Tenant: tenant, Run: runs[0]}
	if in.Trend, err = db.WorkspaceTrend(ctx, tenant, registry.ReportTrendRuns); err != nil {
		t.Fatal(err)
	}
	page, err := reg.ReportPage(in)
	if err != nil {
		t.Fatal(err)
	}
	if charts := section(t, page, "capacity").Charts; len(charts) != 1 {
		t.Errorf("the first run's capacity section has %d charts, want only the capacity chart", len(charts))
	}
}

func section(t *testing.T, p report.Page, id string) report.Section {
	t.Helper()
	for _, s := range p.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("the page has no section %q", id)
	return report.Section{}
}
