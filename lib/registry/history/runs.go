package history

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// ErrNoRun is returned (wrapped) when a run asked for is not recorded.
var ErrNoRun = errors.New("history: no such run")

// Runs lists the tenant's runs, oldest first.
func (h *DB) Runs(ctx context.Context, tenant string) ([]Run, error) {
	rows, err := h.db.QueryContext(ctx,
		runsQuery+` WHERE t.name = ? ORDER BY r.id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", h.path, err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("history: %s: %w", h.path, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Tenants lists the tenants the database has runs of.
func (h *DB) Tenants(ctx context.Context) ([]string, error) {
	rows, err := h.db.QueryContext(ctx, `SELECT name FROM tenants ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", h.path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// runsQuery reads runs with their tenant's name (r: runs, t: tenants).
const runsQuery = `SELECT r.id, t.name, r.taken_at, r.workspaces, r.models FROM runs r JOIN tenants t ON t.id = r.tenant`

// tenantOf is the tenants.id of a run's tenant.
func (h *DB) tenantOf(ctx context.Context, run Run) (int64, error) {
	var id int64
	err := h.db.QueryRowContext(ctx, `SELECT tenant FROM runs WHERE id = ?`, run.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: %s has no run %d", ErrNoRun, h.path, run.ID)
	}
	return id, err
}

func scanRun(scan func(...any) error) (Run, error) {
	var r Run
	var at string
	if err := scan(&r.ID, &r.Tenant, &at, &r.Workspaces, &r.Models); err != nil {
		return r, err
	}
	t, err := time.Parse(timeLayout, at)
	if err != nil {
		return r, fmt.Errorf("run %d has a malformed time %q", r.ID, at)
	}
	r.TakenAt = t
	return r, nil
}

// Run returns the tenant's run with that id.
func (h *DB) Run(ctx context.Context, tenant string, id int64) (Run, error) {
	r, err := scanRun(h.db.QueryRowContext(ctx,
		runsQuery+` WHERE t.name = ? AND r.id = ?`, tenant, id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("%w: %s has no run %d of %s", ErrNoRun, h.path, id, tenant)
	}
	return r, err
}

// RunAt returns the tenant's last run taken at or before t.
func (h *DB) RunAt(ctx context.Context, tenant string, t time.Time) (Run, error) {
	r, err := scanRun(h.db.QueryRowContext(ctx,
		runsQuery+` WHERE t.name = ? AND r.taken_at <= ? ORDER BY r.id DESC LIMIT 1`,
		tenant, t.UTC().Format(timeLayout)).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("%w: %s has no run of %s at or before %s", ErrNoRun, h.path, tenant, t.UTC().Format(time.RFC3339))
	}
	return r, err
}

// asOf selects the rows that held at a run (given twice).
const asOf = `first_run <= ? AND (until_run IS NULL OR until_run > ?)`

// Snapshot returns the tenant as run saw it.
func (h *DB) Snapshot(ctx context.Context, run Run) (Snapshot, error) {
	tenant, err := h.tenantOf(ctx, run)
	if err != nil {
		return Snapshot{}, err
	}
	ws, err := readAsOf(ctx, h.db, tenant, workspaceTable, asOf, run.ID, run.ID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("history: %s: %w", h.path, err)
	}
	ids, err := readAsOf(ctx, h.db, tenant, identityTable, asOf, run.ID, run.ID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("history: %s: %w", h.path, err)
	}
	acts, err := readAsOf(ctx, h.db, tenant, activityTable, asOf, run.ID, run.ID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("history: %s: %w", h.path, err)
	}
	return snapshotOf(run, ws, ids, acts), nil
}

// snapshotOf assembles a snapshot from rows keyed by id, sorted by id.
func snapshotOf(run Run, ws map[string]Workspace, ids map[string]identity, acts map[string]activity) Snapshot {
	s := Snapshot{Run: run, Workspaces: make([]Workspace, 0, len(ws)), Models: make([]Model, 0, len(ids))}
	for id, w := range ws {
		w.ID = id
		s.Workspaces = append(s.Workspaces, w)
	}
	for id, i := range ids {
		s.Models = append(s.Models, modelOf(id, i, acts[id]))
	}
	slices.SortFunc(s.Workspaces, func(a, b Workspace) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Models, func(a, b Model) int { return cmp.Compare(a.ID, b.ID) })
	return s
}

// Latest returns the tenant's last n runs' snapshots, oldest first (fewer
// when fewer are recorded).
func (h *DB) Latest(ctx context.Context, tenant string, n int) ([]Snapshot, error) {
	runs, err := h.Runs(ctx, tenant)
	if err != nil {
		return nil, err
	}
	if len(runs) > n {
		runs = runs[len(runs)-n:]
	}
	out := make([]Snapshot, 0, len(runs))
	for _, r := range runs {
		s, err := h.Snapshot(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Canonical is what the database at path holds, as JSON without run ids
// and times: every tenant's snapshots, oldest first. Two databases that
// recorded the same tenant the same number of times compare equal, which
// a byte comparison of SQLite files (timestamps, page layout) cannot do.
func Canonical(ctx context.Context, path string) ([]byte, error) {
	db, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tenants, err := db.Tenants(ctx)
	if err != nil {
		return nil, err
	}
	type tenantDump struct {
		Tenant    string
		Snapshots []Snapshot
	}
	var out []tenantDump
	for _, t := range tenants {
		snaps, err := db.Latest(ctx, t, math.MaxInt)
		if err != nil {
			return nil, err
		}
		for i := range snaps {
			snaps[i].Run.ID, snaps[i].Run.TakenAt = 0, time.Time{}
		}
		out = append(out, tenantDump{t, snaps})
	}
	return json.MarshalIndent(out, "", " ")
}
