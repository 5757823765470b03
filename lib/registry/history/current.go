package history

import (
	"context"
	"fmt"
)

// CurrentALM is what the tenant's latest run stored of what ALM said, by
// model id: the ALM column of each of its models that has one. It is the
// ALM of the latest snapshot, read from one table's current rows instead
// of a whole snapshot; empty when the tenant has no run.
func (h *DB) CurrentALM(ctx context.Context, tenant string) (map[string]string, error) {
	rows, err := h.db.QueryContext(ctx, `SELECT v.model_id, v.alm FROM model_versions v JOIN tenants t ON t.id = v.tenant
		WHERE t.name = ? AND v.until_run IS NULL AND v.alm <> ''`, tenant)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", h.path, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, alm string
		if err := rows.Scan(&id, &alm); err != nil {
			return nil, fmt.Errorf("history: %s: %w", h.path, err)
		}
		out[id] = alm
	}
	return out, rows.Err()
}
