package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/lib/session"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// On a tenant with credentials (an emulator the script takes for a real
// one), `registry` and then `registry -report` minutes later, with the
// tenant growing in between, are runs of one day: the report has no
// growth figure and no date, only "not enough history".
func TestRunsMinutesApartMakeNoForecast(t *testing.T) {
	clitest.Offline(t)
	srv, err := emulator.Start("", emulator.Options{AdvanceSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("ANAPLAN_AUTH_URL", srv.AuthURL())
	t.Setenv("ANAPLAN_API_URL", srv.APIURL())
	t.Setenv("ANAPLAN_USERNAME", emulator.DemoUser)
	t.Setenv("ANAPLAN_PASSWORD", emulator.DemoPassword)
	out := t.TempDir()
	if res := clitest.Run(t, run, "-out", out); res.Code != 0 {
		t.Fatalf("first run: exit %d\n%s", res.Code, res.Stderr)
	}
	if _, err := srv.Emulator.Advance(1); err != nil { // a day's saves, minutes later
		t.Fatal(err)
	}
	res := clitest.Run(t, run, "-out", out, "-report")
	if res.Code != 0 {
		t.Fatalf("second run: exit %d\n%s", res.Code, res.Stderr)
	}

	ctx := context.Background()
	db, err := history.Open(ctx, filepath.Join(out, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tenants, err := db.Tenants(ctx)
	if err != nil || len(tenants) != 1 {
		t.Fatalf("tenants %q, %v", tenants, err)
	}
	caps, err := db.Forecast(ctx, tenants[0])
	if err != nil || len(caps) == 0 {
		t.Fatalf("forecast %v, %v", caps, err)
	}
	for _, c := range caps {
		if c.Trend || c.GrowthPerDay != 0 || (c.Free > 0 && !c.Full.IsZero()) {
			t.Errorf("%s: %+v after two runs minutes apart, want no trend and no date", c.Name, c)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), registry.NotEnoughHistory) || strings.Contains(string(page), "fills first") {
		t.Errorf("the report does not say there is not enough history, or names a workspace that fills first")
	}
}

// The built-in demo tenant's runs are dated by its own day, as notebook
// 07 dates them (session.DemoTime), and five runs give a sensible pace:
// Supply Chain Planning, the workspace the demo fills, grows by about 4%
// of its allowance a day, and fills first.
func TestDemoRunsAreDatedByTheDemoDay(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	const runs = 5
	for i := range runs {
		if res := clitest.Run(t, run, "-out", out); res.Code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, res.Code, res.Stderr)
		}
	}
	ctx := context.Background()
	db, err := history.Open(ctx, filepath.Join(out, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tenants, err := db.Tenants(ctx)
	if err != nil || len(tenants) != 1 {
		t.Fatalf("tenants %q, %v", tenants, err)
	}
	rs, err := db.Runs(ctx, tenants[0])
	if err != nil || len(rs) != runs {
		t.Fatalf("%d runs, %v", len(rs), err)
	}
	for i, r := range rs {
		if want := session.DemoTime(i); !r.TakenAt.Equal(want) {
			t.Errorf("run %d taken at %v, want the demo's day %d, %v", i+1, r.TakenAt, i, want)
		}
	}
	caps, err := db.Forecast(ctx, tenants[0])
	if err != nil {
		t.Fatal(err)
	}
	var first *history.Capacity
	for i, c := range caps {
		if c.Free > 0 && !c.Full.IsZero() && first == nil {
			first = &caps[i]
		}
		// Nothing in the demo grows faster than a tenth of a workspace's
		// allowance a day.
		if c.SizeAllowance > 0 && c.GrowthPerDay > float64(c.SizeAllowance)/10 {
			t.Errorf("%s grows %.0f bytes a day, more than a tenth of its allowance", c.Name, c.GrowthPerDay)
		}
	}
	if first == nil || first.Name != "Supply Chain Planning" || !first.Trend || first.Runs != runs {
		t.Fatalf("the first to fill: %+v, want Supply Chain Planning over %d runs", first, runs)
	}
	if share := first.GrowthPerDay / float64(first.SizeAllowance); share < 0.03 || share > 0.05 {
		t.Errorf("Supply Chain Planning grows %.1f%% of its allowance a day, want about 4%%", share*100)
	}
	// A history dated by the wall clock (before runs were dated by the
	// demo's day) is refused with a way out, not a failed write.
	if _, err := db.Record(ctx, tenants[0], session.DemoTime(400), nil, nil); err != nil {
		t.Fatal(err)
	}
	res := clitest.Run(t, run, "-out", out)
	if res.Code == 0 || !strings.Contains(res.Stderr, "dated by its own day") || !strings.Contains(res.Stderr, "-history") {
		t.Errorf("a run dated before the history's latest: exit %d, stderr %q", res.Code, res.Stderr)
	}
}
