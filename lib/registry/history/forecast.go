package history

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// Capacity is a workspace's use at the tenant's latest run and where it is
// heading: growth fitted over the runs that saw the workspace, one a day.
//
// The fit counts whole UTC days: of several runs on one day only the last
// is used, and x is the run's date, not its time. A registry run and a
// -report run five minutes later are one day, not a day's growth in five
// minutes, so they give no trend at all (Trend false) rather than a
// blown-up one; runs on either side of midnight count a day apart, which
// can understate the pace, never multiply it.
type Capacity struct {
	WorkspaceID   string
	Name          string
	SizeAllowance int64 // bytes; 0 when Anaplan did not say
	Used          int64 // bytes
	Free          int64 // bytes; negative when over the allowance
	UsedPercent   float64
	// Trend is true when the runs fitted fall on two UTC days or more;
	// until then there is not enough history, GrowthPerDay is 0 and
	// Full is zero (unless the workspace is full already).
	Trend        bool
	GrowthPerDay float64   // bytes per day, least squares over the last run of each day
	Full         time.Time // when the fit reaches the allowance (the latest run when full already); zero if it never does (or no allowance, or no trend)
	Runs         int       // runs the fit used: the last of each UTC day
}

// Forecast returns the capacity of every workspace of the tenant's latest
// run, the one that fills first first (a full one at the latest run);
// workspaces that never fill, or have no trend yet, follow, by name.
func (h *DB) Forecast(ctx context.Context, tenant string) ([]Capacity, error) {
	runs, err := h.Runs(ctx, tenant)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	last := runs[len(runs)-1]
	tenantID, err := h.tenantOf(ctx, last)
	if err != nil {
		return nil, err
	}
	series, err := h.workspaceSeries(ctx, tenantID, runs)
	if err != nil {
		return nil, err
	}
	latest, err := readAsOf(ctx, h.db, tenantID, workspaceTable, asOf, last.ID, last.ID)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", h.path, err)
	}
	out := make([]Capacity, 0, len(latest))
	for id, w := range latest {
		daily := lastOfEachDay(series[id])
		c := Capacity{WorkspaceID: id, Name: w.Name, SizeAllowance: w.SizeAllowance, Used: w.CurrentSize,
			Free: w.SizeAllowance - w.CurrentSize, Runs: len(daily)}
		if w.SizeAllowance > 0 {
			c.UsedPercent = float64(w.CurrentSize) / float64(w.SizeAllowance) * 100
		}
		c.GrowthPerDay, c.Trend = slopePerDay(daily)
		switch {
		case w.SizeAllowance <= 0:
		case c.Free <= 0:
			c.Full = last.TakenAt // already full
		case c.Trend && c.GrowthPerDay > 0:
			days := float64(c.Free) / c.GrowthPerDay
			if days < 100*365 {
				c.Full = last.TakenAt.Add(time.Duration(days * float64(24*time.Hour)))
			}
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Capacity) int {
		switch {
		case a.Full.IsZero() != b.Full.IsZero():
			if a.Full.IsZero() {
				return 1
			}
			return -1
		case !a.Full.Equal(b.Full):
			return a.Full.Compare(b.Full)
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.WorkspaceID, b.WorkspaceID))
	})
	return out, nil
}

// point is one observation: when, and how many bytes.
type point struct {
	at    time.Time
	bytes float64
}

// workspaceSeries is each workspace's used size at every run that saw it,
// rebuilt from the stored changes.
func (h *DB) workspaceSeries(ctx context.Context, tenant int64, runs []Run) (map[string][]point, error) {
	rows, err := h.db.QueryContext(ctx, `SELECT workspace_id, first_run, until_run, current_size FROM workspace_versions WHERE tenant = ?`, tenant)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", h.path, err)
	}
	defer rows.Close()
	out := map[string][]point{}
	for rows.Next() {
		var id string
		var first int64
		var until *int64
		var size int64
		if err := rows.Scan(&id, &first, &until, &size); err != nil {
			return nil, err
		}
		for _, r := range runs {
			if r.ID >= first && (until == nil || r.ID < *until) {
				out[id] = append(out[id], point{r.TakenAt, float64(size)})
			}
		}
	}
	return out, rows.Err()
}

// utcDay is t's UTC date as a day number (days since 1970-01-01).
func utcDay(t time.Time) int64 {
	return int64(math.Floor(float64(t.UTC().Unix()) / (24 * 60 * 60)))
}

// lastOfEachDay keeps, of points in time order, the last of each UTC day.
func lastOfEachDay(ps []point) []point {
	var out []point
	for _, p := range ps {
		if n := len(out); n > 0 && utcDay(out[n-1].at) == utcDay(p.at) {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}

// slopePerDay fits bytes = a + b·day by least squares, day being each
// point's UTC date (lastOfEachDay has left one a day), and returns b and
// true; 0 and false with points on fewer than two days.
func slopePerDay(ps []point) (float64, bool) {
	if len(ps) < 2 {
		return 0, false
	}
	d0 := utcDay(ps[0].at)
	var n, sx, sy, sxx, sxy float64
	for _, p := range ps {
		x := float64(utcDay(p.at) - d0)
		n++
		sx += x
		sy += p.bytes
		sxx += x * x
		sxy += x * p.bytes
	}
	d := n*sxx - sx*sx
	if math.Abs(d) < 1e-12 {
		return 0, false
	}
	return (n*sxy - sx*sy) / d, true
}

// ModelGrowth is how much a model grew between the first and the latest run
// that saw it, per UTC day between their dates (as Capacity counts days).
type ModelGrowth struct {
	ModelID      string
	Name         string
	WorkspaceID  string
	From, To     int64 // bytes at the first and the latest run
	GrowthPerDay float64
}

// FastestGrowing returns the n models of the tenant's latest run that grew
// most per day, fastest first; models that did not grow, or were first
// seen on the latest run's UTC day (not enough history for a pace), are
// left out.
func (h *DB) FastestGrowing(ctx context.Context, tenant string, n int) ([]ModelGrowth, error) {
	runs, err := h.Runs(ctx, tenant)
	if err != nil || len(runs) < 2 {
		return nil, err
	}
	last := runs[len(runs)-1]
	runAt := make(map[int64]time.Time, len(runs))
	for _, r := range runs {
		runAt[r.ID] = r.TakenAt
	}
	snap, err := h.Snapshot(ctx, last)
	if err != nil {
		return nil, err
	}
	tenantID, err := h.tenantOf(ctx, last)
	if err != nil {
		return nil, err
	}
	// The first activity row of each model: the key's order makes it cheap.
	rows, err := h.db.QueryContext(ctx, `SELECT model_id, min(first_run), memory_usage FROM model_activity
		WHERE tenant = ? GROUP BY model_id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", h.path, err)
	}
	defer rows.Close()
	type first struct {
		at    time.Time
		bytes int64
	}
	firsts := map[string]first{}
	for rows.Next() {
		var id string
		var run, bytes int64
		if err := rows.Scan(&id, &run, &bytes); err != nil {
			return nil, err
		}
		firsts[id] = first{runAt[run], bytes}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []ModelGrowth
	for _, m := range snap.Models {
		f, ok := firsts[m.ID]
		days := float64(utcDay(last.TakenAt) - utcDay(f.at))
		if !ok || days < 1 || m.MemoryUsage <= f.bytes {
			continue
		}
		out = append(out, ModelGrowth{ModelID: m.ID, Name: m.Name, WorkspaceID: m.WorkspaceID,
			From: f.bytes, To: m.MemoryUsage, GrowthPerDay: float64(m.MemoryUsage-f.bytes) / days})
	}
	slices.SortFunc(out, func(a, b ModelGrowth) int {
		return cmp.Or(cmp.Compare(b.GrowthPerDay, a.GrowthPerDay), cmp.Compare(a.ModelID, b.ModelID))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}
