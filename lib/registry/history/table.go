package history

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// table describes one versioned table: rows keyed by (tenant, id,
// first_run) whose value columns hold from first_run until until_run.
type table[V comparable] struct {
	name, idColumn string
	columns        []string
	args           func(V) []any
	digest         func(V) int64 // digestOf(args(v)), without boxing
	scan           func(scan func(...any) error) (V, error)
}

// versioned is a run's value of one row and its digest (see schema.sql).
type versioned[V any] struct {
	value  V
	digest int64
}

// changed is what a run changed in one table: the value before of every
// row it changed or closed, and the ids it opened a first row for.
type changed[V any] struct {
	before map[string]V
	added  map[string]bool
}

// ids are every id the run changed, added or removed.
func (c changed[V]) ids() map[string]bool {
	out := make(map[string]bool, len(c.before)+len(c.added))
	for id := range c.before {
		out[id] = true
	}
	for id := range c.added {
		out[id] = true
	}
	return out
}

// syncTable brings a versioned table in line with the run's values: an
// unchanged row stays open, a changed one is closed at run and reopened
// with the new value, a vanished one is closed, a new one opened. It reads
// the ids and digests of the current rows, and the whole row only of those
// it closes (as it closes them).
func syncTable[V comparable](ctx context.Context, tx *sql.Tx, tenant int64, run int64, t table[V], now map[string]versioned[V]) (changed[V], error) {
	ch := changed[V]{before: map[string]V{}, added: map[string]bool{}}
	current, err := readDigests(ctx, tx, tenant, t, len(now))
	if err != nil {
		return ch, err
	}
	key := fmt.Sprintf(`tenant = ? AND %s = ? AND first_run = ?`, t.idColumn)
	// Closing a row hands back its values: what Diff compares with.
	closeRow, err := tx.PrepareContext(ctx, fmt.Sprintf(`UPDATE %s SET until_run = ? WHERE %s RETURNING %s`,
		t.name, key, strings.Join(t.columns, ", ")))
	if err != nil {
		return ch, err
	}
	defer closeRow.Close()
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %s (tenant, %s, first_run, %s, digest) VALUES (?, ?, ?%s, ?)`,
		t.name, t.idColumn, strings.Join(t.columns, ", "), strings.Repeat(", ?", len(t.columns))))
	if err != nil {
		return ch, err
	}
	defer insert.Close()
	// Rows are closed and inserted in key order: neighbouring keys share
	// pages, which SQLite's small page cache then reads once.
	var closing, opening []string
	for id, cur := range current {
		if v, ok := now[id]; !ok || v.digest != cur.digest {
			closing = append(closing, id)
		}
	}
	for id, v := range now {
		if cur, ok := current[id]; !ok || v.digest != cur.digest {
			opening = append(opening, id)
		}
	}
	slices.Sort(closing)
	slices.Sort(opening)
	for _, id := range closing {
		old, err := t.scan(closeRow.QueryRowContext(ctx, run, tenant, id, current[id].firstRun).Scan)
		if err != nil {
			return ch, err
		}
		ch.before[id] = old
	}
	for _, id := range opening {
		if _, ok := current[id]; !ok {
			ch.added[id] = true
		}
		v := now[id]
		args := append(append([]any{tenant, id, run}, t.args(v.value)...), v.digest)
		if _, err := insert.ExecContext(ctx, args...); err != nil {
			return ch, err
		}
	}
	return ch, nil
}

func digestQuery(table, idColumn string) string {
	return fmt.Sprintf(`SELECT %s, first_run, digest FROM %s WHERE tenant = ? AND until_run IS NULL`, idColumn, table)
}

// currentRow is what Record reads of a current row: its key and digest.
type currentRow struct {
	firstRun, digest int64
}

// readDigests reads the key and digest of the tenant's current rows, from
// the table's *_current index alone; about n are expected.
func readDigests[V comparable](ctx context.Context, q querier, tenant int64, t table[V], n int) (map[string]currentRow, error) {
	rows, err := q.QueryContext(ctx, digestQuery(t.name, t.idColumn), tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]currentRow, n)
	for rows.Next() {
		var id string
		var r currentRow
		if err := rows.Scan(&id, &r.firstRun, &r.digest); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
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
	digest: func(w Workspace) int64 {
		d := newDigester()
		d.text(w.Name)
		d.boolean(w.Active)
		d.integer(w.SizeAllowance)
		d.integer(w.CurrentSize)
		return d.sum()
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
	digest: func(i identity) int64 {
		d := newDigester()
		for _, s := range [...]string{i.name, i.workspaceID, i.activeState, i.createdAt, i.environment,
			i.environmentRule, i.family, i.almStatus, i.alm} {
			d.text(s)
		}
		return d.sum()
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
	digest: func(a activity) int64 {
		d := newDigester()
		d.integer(a.memoryUsage)
		d.text(a.lastModified)
		d.text(a.lastSavedSerial)
		return d.sum()
	},
	scan: func(scan func(...any) error) (a activity, err error) {
		err = scan(&a.memoryUsage, &a.lastModified, &a.lastSavedSerial)
		return a, err
	},
}
