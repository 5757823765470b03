package history

import (
	"context"
	"database/sql"
	"fmt"
)

// RecordDemoDay notes that run read the built-in emulator's demo tenant at
// day (schema.sql: demo_days). Recording it again replaces it.
func (h *DB) RecordDemoDay(ctx context.Context, run int64, day int) error {
	if _, err := h.db.ExecContext(ctx, `INSERT OR REPLACE INTO demo_days (run, day) VALUES (?, ?)`, run, day); err != nil {
		return fmt.Errorf("history: recording the demo tenant's day in %s: %w", h.path, err)
	}
	return nil
}

// LatestDemoDay is the latest day of the demo tenant a recorded run read,
// and false when no run read the demo tenant.
func (h *DB) LatestDemoDay(ctx context.Context) (int, bool, error) {
	var day sql.NullInt64
	if err := h.db.QueryRowContext(ctx, `SELECT MAX(day) FROM demo_days`).Scan(&day); err != nil {
		return 0, false, fmt.Errorf("history: %s: %w", h.path, err)
	}
	return int(day.Int64), day.Valid, nil
}
