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
// heading: growth fitted over every run that saw the workspace.
type Capacity struct {
	WorkspaceID   string
	Name          string
	SizeAllowance int64 // bytes; 0 when Anaplan did not say
	Used          int64 // bytes
	Free          int64 // bytes; negative when over the allowance
	UsedPercent   float64
	GrowthPerDay  float64   // bytes per day, least squares over the runs
	Full          time.Time // when the fit reaches the allowance; zero if it never does (or no allowance)
	Runs          int       // runs the fit used
}

// Forecast returns the capacity of every workspace of the tenant's latest
// run, the one that fills first first; workspaces that never fill follow,
// by name.
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
		c := Capacity{WorkspaceID: id, Name: w.Name, SizeAllowance: w.SizeAllowance, Used: w.CurrentSize,
			Free: w.SizeAllowance - w.CurrentSize, Runs: len(series[id])}
		if w.SizeAllowance > 0 {
			c.UsedPercent = float64(w.CurrentSize) / float64(w.SizeAllowance) * 100
		}
		c.GrowthPerDay = slopePerDay(series[id])
		switch {
		case w.SizeAllowance <= 0:
		case c.Free <= 0:
			c.Full = last.TakenAt // already full
		case c.GrowthPerDay > 0:
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

// slopePerDay fits bytes = a + b·days by least squares and returns b; 0
// with fewer than two distinct times.
func slopePerDay(ps []point) float64 {
	if len(ps) < 2 {
		return 0
	}
	t0 := ps[0].at
	var n, sx, sy, sxx, sxy float64
	for _, p := range ps {
		x := p.at.Sub(t0).Hours() / 24
		n++
		sx += x
		sy += p.bytes
		sxx += x * x
		sxy += x * p.bytes
	}
	d := n*sxx - sx*sx
	if math.Abs(d) < 1e-12 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// ModelGrowth is how much a model grew between the first and the latest run
// that saw it.
type ModelGrowth struct {
	ModelID      string
	Name         string
	WorkspaceID  string
	From, To     int64 // bytes at the first and the latest run
	GrowthPerDay float64
}

// FastestGrowing returns the n models of the tenant's latest run that grew
// most per day, fastest first; models that did not grow are left out.
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
		days := last.TakenAt.Sub(f.at).Hours() / 24
		if !ok || days <= 0 || m.MemoryUsage <= f.bytes {
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
