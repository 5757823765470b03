package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Record appends a run: what tenant looked like at time at. Only what
// changed since the tenant's previous run is written. The whole run is one
// transaction: on any error nothing is recorded.
func (h *DB) Record(ctx context.Context, tenant string, at time.Time, workspaces []Workspace, models []Model) (Run, error) {
	r, err := h.RecordChanges(ctx, tenant, at, workspaces, models)
	return r.Run, err
}

// Recorded is a run just recorded and what changed since the previous one.
type Recorded struct {
	Run      Run
	Previous *Run     // nil for the tenant's first run
	Changes  []Change // Diff of the previous run's snapshot and this one's
}

// RecordChanges is Record, and says what changed since the previous run
// at no extra cost: the previous values it compares with are the ones it
// reads to store only the changes.
func (h *DB) RecordChanges(ctx context.Context, tenant string, at time.Time, workspaces []Workspace, models []Model) (Recorded, error) {
	if tenant == "" {
		return Recorded{}, errors.New("history: Record needs the tenant (API host and user)")
	}
	wsByID, err := byID(workspaces, func(w Workspace) string { return w.ID }, "workspace")
	if err != nil {
		return Recorded{}, err
	}
	for id, w := range wsByID {
		w.ID = "" // the key holds it; stored values compare without it
		wsByID[id] = w
	}
	modelByID, err := byID(models, func(m Model) string { return m.ID }, "model")
	if err != nil {
		return Recorded{}, err
	}

	tx, err := h.db.BeginTx(ctx, nil) // immediate (see Open): one writer at a time
	if err != nil {
		return Recorded{}, h.writeError(err)
	}
	defer tx.Rollback()
	run := Run{Tenant: tenant, TakenAt: at.UTC().Truncate(time.Millisecond), Workspaces: len(workspaces), Models: len(models)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tenants (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, tenant); err != nil {
		return Recorded{}, h.writeError(err)
	}
	var tenantID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM tenants WHERE name = ?`, tenant).Scan(&tenantID); err != nil {
		return Recorded{}, h.writeError(err)
	}
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(taken_at) FROM runs WHERE tenant = ?`, tenantID).Scan(&last); err != nil {
		return Recorded{}, h.writeError(err)
	}
	if last.Valid && last.String > run.TakenAt.Format(timeLayout) {
		return Recorded{}, fmt.Errorf("history: a run of %s at %s is already recorded, later than this one (%s): is the clock right?", tenant, last.String, run.TakenAt.Format(timeLayout))
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (tenant, taken_at, workspaces, models) VALUES (?, ?, ?, ?)`,
		tenantID, run.TakenAt.Format(timeLayout), run.Workspaces, run.Models)
	if err != nil {
		return Recorded{}, h.writeError(err)
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return Recorded{}, h.writeError(err)
	}

	identities := make(map[string]identity, len(modelByID))
	activities := make(map[string]activity, len(modelByID))
	for id, m := range modelByID {
		identities[id], activities[id] = m.identity(), m.activity()
	}
	var prevRun sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM runs WHERE tenant = ? AND id < ?`, tenantID, run.ID).Scan(&prevRun); err != nil {
		return Recorded{}, h.writeError(err)
	}
	oldWS, err := syncTable(ctx, tx, tenantID, run.ID, workspaceTable, wsByID)
	if err != nil {
		return Recorded{}, h.writeError(err)
	}
	oldIDs, err := syncTable(ctx, tx, tenantID, run.ID, identityTable, identities)
	if err != nil {
		return Recorded{}, h.writeError(err)
	}
	oldActs, err := syncTable(ctx, tx, tenantID, run.ID, activityTable, activities)
	if err != nil {
		return Recorded{}, h.writeError(err)
	}
	if err := tx.Commit(); err != nil {
		return Recorded{}, h.writeError(err)
	}
	out := Recorded{Run: run}
	if prevRun.Valid {
		out.Previous = &Run{ID: prevRun.Int64, Tenant: tenant}
		if r, err := h.Run(ctx, tenant, prevRun.Int64); err == nil {
			out.Previous = &r
		}
		prev := snapshotOf(*out.Previous, oldWS, oldIDs, oldActs)
		now := Snapshot{Run: run, Workspaces: workspaces, Models: models}
		out.Changes = Diff(prev, now)
	}
	return out, nil
}

// timeLayout stores times sortable as text, to the millisecond.
const timeLayout = "2006-01-02T15:04:05.000Z"

func (h *DB) writeError(err error) error {
	if strings.Contains(err.Error(), "readonly") || strings.Contains(err.Error(), "read-only") {
		return fmt.Errorf("history: %s is read-only; make it writable or name another -history file", h.path)
	}
	return fmt.Errorf("history: recording the run in %s: %w", h.path, err)
}

func byID[T any](items []T, id func(T) string, kind string) (map[string]T, error) {
	out := make(map[string]T, len(items))
	for _, it := range items {
		k := id(it)
		if k == "" {
			return nil, fmt.Errorf("history: a %s has no id", kind)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("history: %s %s appears twice in one run", kind, k)
		}
		out[k] = it
	}
	return out, nil
}

// table describes one versioned table: rows keyed by (tenant, id,
// first_run) whose value columns hold from first_run until until_run.
type table[V comparable] struct {
	name, idColumn string
	columns        []string
	args           func(V) []any
	scan           func(scan func(...any) error) (V, error)
}

// syncTable brings a versioned table in line with the run's values: an
// unchanged row stays open, a changed one is closed at run and reopened
// with the new value, a vanished one is closed, a new one opened.
//
// It returns the values that held before the run, by id.
func syncTable[V comparable](ctx context.Context, tx *sql.Tx, tenant int64, run int64, t table[V], now map[string]V) (map[string]V, error) {
	current, err := readCurrent(ctx, tx, tenant, t)
	if err != nil {
		return nil, err
	}
	closeRow, err := tx.PrepareContext(ctx, fmt.Sprintf(
		`UPDATE %s SET until_run = ? WHERE tenant = ? AND %s = ? AND until_run IS NULL`, t.name, t.idColumn))
	if err != nil {
		return nil, err
	}
	defer closeRow.Close()
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %s (tenant, %s, first_run, %s) VALUES (?, ?, ?%s)`,
		t.name, t.idColumn, strings.Join(t.columns, ", "), strings.Repeat(", ?", len(t.columns))))
	if err != nil {
		return nil, err
	}
	defer insert.Close()
	for id, old := range current {
		if v, ok := now[id]; ok && v == old {
			continue
		}
		if _, err := closeRow.ExecContext(ctx, run, tenant, id); err != nil {
			return nil, err
		}
	}
	for id, v := range now {
		if old, ok := current[id]; ok && v == old {
			continue
		}
		if _, err := insert.ExecContext(ctx, append([]any{tenant, id, run}, t.args(v)...)...); err != nil {
			return nil, err
		}
	}
	return current, nil
}

func readCurrent[V comparable](ctx context.Context, q querier, tenant int64, t table[V]) (map[string]V, error) {
	return readAsOf(ctx, q, tenant, t, `until_run IS NULL`)
}

// readAsOf reads a tenant's (by tenants.id) rows that satisfy cond (a condition on first_run
// and until_run with its own arguments), keyed by id.
func readAsOf[V comparable](ctx context.Context, q querier, tenant int64, t table[V], cond string, args ...any) (map[string]V, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE tenant = ? AND %s`,
		t.idColumn, strings.Join(t.columns, ", "), t.name, cond), append([]any{tenant}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]V{}
	for rows.Next() {
		var id string
		v, err := t.scan(func(dest ...any) error { return rows.Scan(append([]any{&id}, dest...)...) })
		if err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, rows.Err()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

var workspaceTable = table[Workspace]{
	name: "workspace_versions", idColumn: "workspace_id",
	columns: []string{"name", "active", "size_allowance", "current_size"},
	args: func(w Workspace) []any {
		return []any{w.Name, w.Active, w.SizeAllowance, w.CurrentSize}
	},
	scan: func(scan func(...any) error) (w Workspace, err error) {
		err = scan(&w.Name, &w.Active, &w.SizeAllowance, &w.CurrentSize)
		return w, err
	},
}

var identityTable = table[identity]{
	name: "model_versions", idColumn: "model_id",
	columns: []string{"name", "workspace_id", "active_state", "created_at", "environment",
		"environment_rule", "family", "alm_status", "alm"},
	args: func(i identity) []any {
		return []any{i.name, i.workspaceID, i.activeState, i.createdAt, i.environment,
			i.environmentRule, i.family, i.almStatus, i.alm}
	},
	scan: func(scan func(...any) error) (i identity, err error) {
		err = scan(&i.name, &i.workspaceID, &i.activeState, &i.createdAt, &i.environment,
			&i.environmentRule, &i.family, &i.almStatus, &i.alm)
		return i, err
	},
}

var activityTable = table[activity]{
	name: "model_activity", idColumn: "model_id",
	columns: []string{"memory_usage", "last_modified", "last_saved_serial"},
	args: func(a activity) []any {
		return []any{a.memoryUsage, a.lastModified, a.lastSavedSerial}
	},
	scan: func(scan func(...any) error) (a activity, err error) {
		err = scan(&a.memoryUsage, &a.lastModified, &a.lastSavedSerial)
		return a, err
	},
}
