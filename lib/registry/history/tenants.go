package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// AdoptTenant renames tenant from to to, so that the runs recorded under
// from continue as to's: a tenant's key changed (an older toolkit keyed by
// API host and user). It does nothing, and reports false, when from has no
// runs, when to already has runs (two series are never merged), or when
// whether from's last run read the built-in demo tenant (a RecordDemoDay
// row) differs from demo. No table changes: runs and versions refer to the
// tenant by its id, and only its name moves.
func (h *DB) AdoptTenant(ctx context.Context, from, to string, demo bool) (bool, error) {
	if from == "" || to == "" || from == to {
		return false, nil
	}
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	defer tx.Rollback()
	var fromID int64
	var last sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT t.id, max(r.id) FROM tenants t JOIN runs r ON r.tenant = t.id WHERE t.name = ? GROUP BY t.id`, from).Scan(&fromID, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	var toRuns int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM runs r JOIN tenants t ON t.id = r.tenant WHERE t.name = ?`, to).Scan(&toRuns); err != nil {
		return false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	if toRuns > 0 {
		return false, nil
	}
	var lastWasDemo bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM demo_days WHERE run = ?)`, last.Int64).Scan(&lastWasDemo); err != nil {
		return false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	if lastWasDemo != demo {
		return false, nil
	}
	// A tenants row of to without runs (none is written so, but a hand-made
	// one would block the rename) goes first.
	if _, err := tx.ExecContext(ctx, `DELETE FROM tenants WHERE name = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE tenant = tenants.id)`, to); err != nil {
		return false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tenants SET name = ? WHERE id = ?`, to, fromID); err != nil {
		return false, fmt.Errorf("history: adopting the runs of %q as %q in %s: %w", from, to, h.path, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	return true, nil
}
