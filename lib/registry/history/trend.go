package history

import (
	"context"
	"fmt"
)

// WorkspaceTrend returns the tenant's last n runs, oldest first, as
// snapshots of their workspaces only (no models): what a chart of capacity
// over time needs, without reading every model of every run.
func (h *DB) WorkspaceTrend(ctx context.Context, tenant string, n int) ([]Snapshot, error) {
	runs, err := h.Runs(ctx, tenant)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	if len(runs) > n {
		runs = runs[len(runs)-n:]
	}
	tenantID, err := h.tenantOf(ctx, runs[0])
	if err != nil {
		return nil, err
	}
	out := make([]Snapshot, 0, len(runs))
	for _, r := range runs {
		ws, err := readAsOf(ctx, h.db, tenantID, workspaceTable, asOf, r.ID, r.ID)
		if err != nil {
			return nil, fmt.Errorf("history: %s: %w", h.path, err)
		}
		out = append(out, snapshotOf(r, ws, nil, nil))
	}
	return out, nil
}
