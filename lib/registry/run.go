package registry

import (
	"context"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// The steps of a registry run around the read, for scripts/registry and
// for a notebook that records runs of its own: organise with what the last
// recorded run learnt from ALM, then record the run.

// KnownLineage is what the tenant's last recorded run learnt from ALM
// (LineageFromHistory of its snapshot), for LineageOptions.Known: a new
// run then asks ALM only about models saved since. Nil when db is nil or
// holds no run of the tenant.
func KnownLineage(ctx context.Context, db *history.DB, tenant string) (map[string]ModelLineage, error) {
	if db == nil {
		return nil, nil
	}
	alm, err := db.CurrentALM(ctx, tenant) // the ALM column alone, not the whole snapshot
	if err != nil || len(alm) == 0 {
		return nil, err
	}
	out := make(map[string]ModelLineage, len(alm))
	for id, j := range alm {
		if l, ok := lineageFromJSON(j); ok {
			out[id] = l
		}
	}
	return out, nil
}

// OrganiseWithALM reads ALM lineage (lineage.Known filled from the
// history's last run of tenant when db is given and Known is not) and
// organises the registry with it; opts.Lineage is replaced by what was
// read. It returns the lineage, for RecordRun, and what ReadLineage did.
func (r *Registry) OrganiseWithALM(ctx context.Context, c *anaplan.Client, db *history.DB, tenant string,
	lineage LineageOptions, opts OrganiseOptions) (map[string]ModelLineage, LineageStats, error) {
	if lineage.Known == nil {
		known, err := KnownLineage(ctx, db, tenant)
		if err != nil {
			return nil, LineageStats{}, err
		}
		lineage.Known = known
	}
	l, stats, err := ReadLineage(ctx, c, r, lineage)
	if err != nil {
		return nil, stats, err
	}
	opts.Lineage = l
	r.Organise(opts)
	return l, stats, nil
}

// RecordRun appends the organised registry to the history as tenant's run
// taken at at (HistoryRows, then RecordChanges: one transaction, nothing
// recorded on an error), and says what changed since the previous run.
// lineage is what OrganiseWithALM returned, nil without ALM. tenant is the
// tenant's key (Tenant.Key, e.g. from session.Session.Tenant).
func RecordRun(ctx context.Context, db *history.DB, tenant string, at time.Time, reg *Registry,
	lineage map[string]ModelLineage) (history.Recorded, error) {
	ws, ms := reg.HistoryRows(lineage)
	return db.RecordChanges(ctx, tenant, at, ws, ms)
}

// StageRun is RecordRun without the commit (history.DB.Stage): the run
// joins the history when the caller commits it, after its other outputs
// have landed. It only reads reg, so it can run while reg is written out.
func StageRun(ctx context.Context, db *history.DB, tenant string, at time.Time, reg *Registry,
	lineage map[string]ModelLineage) (*history.Staged, error) {
	ws, ms := reg.HistoryRows(lineage)
	return db.Stage(ctx, tenant, at, ws, ms)
}
