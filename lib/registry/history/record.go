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
// at no extra cost: the rows it compares digests of to store only the
// changes name the models and workspaces to diff, and the old values it
// reads of those are all Diff needs.
func (h *DB) RecordChanges(ctx context.Context, tenant string, at time.Time, workspaces []Workspace, models []Model) (Recorded, error) {
	s, err := h.Stage(ctx, tenant, at, workspaces, models)
	if err != nil {
		return Recorded{}, err
	}
	return s.Commit()
}

// Staged is a run written into an open transaction but not yet part of
// the history: Commit makes it so, Rollback leaves no trace. A caller can
// stage a run while it writes its other outputs and commit once they
// have landed, so that a run that fails adds nothing. It holds the
// database's write lock (other runs wait) until one of them is called.
type Staged struct {
	h   *DB
	tx  *sql.Tx
	rec Recorded
}

// Stage writes the run as Record does, without committing it.
func (h *DB) Stage(ctx context.Context, tenant string, at time.Time, workspaces []Workspace, models []Model) (*Staged, error) {
	rec, tx, err := h.stage(ctx, tenant, at, workspaces, models)
	if err != nil {
		if tx != nil {
			tx.Rollback()
		}
		return nil, err
	}
	return &Staged{h: h, tx: tx, rec: rec}, nil
}

// Commit adds the staged run to the history.
func (s *Staged) Commit() (Recorded, error) {
	if err := s.tx.Commit(); err != nil {
		return Recorded{}, s.h.writeError(err)
	}
	return s.rec, nil
}

// Rollback drops the staged run; after Commit it does nothing.
func (s *Staged) Rollback() {
	s.tx.Rollback()
}

// stage is Stage; it returns the transaction, when it began one, to roll
// back on an error.
func (h *DB) stage(ctx context.Context, tenant string, at time.Time, workspaces []Workspace, models []Model) (Recorded, *sql.Tx, error) {
	if tenant == "" {
		return Recorded{}, nil, errors.New("history: Record needs the tenant (API host and user)")
	}
	wsByID, err := byID(workspaces, func(w Workspace) string { return w.ID }, "workspace")
	if err != nil {
		return Recorded{}, nil, err
	}
	for id, w := range wsByID {
		w.ID = "" // the key holds it; stored values compare without it
		wsByID[id] = w
	}
	// The rows and their digests are computed before the transaction: no
	// lock is held for work that needs no database.
	wsRows := make(map[string]versioned[Workspace], len(wsByID))
	for id, w := range wsByID {
		wsRows[id] = versioned[Workspace]{w, workspaceTable.digest(w)}
	}
	identities := make(map[string]versioned[identity], len(models))
	activities := make(map[string]versioned[activity], len(models))
	for _, m := range models {
		if m.ID == "" {
			return Recorded{}, nil, errors.New("history: a model has no id")
		}
		if _, dup := identities[m.ID]; dup {
			return Recorded{}, nil, fmt.Errorf("history: model %s appears twice in one run", m.ID)
		}
		i, a := m.identity(), m.activity()
		identities[m.ID] = versioned[identity]{i, identityTable.digest(i)}
		activities[m.ID] = versioned[activity]{a, activityTable.digest(a)}
	}

	tx, err := h.db.BeginTx(ctx, nil) // immediate (see Open): one writer at a time
	if err != nil {
		return Recorded{}, nil, h.writeError(err)
	}
	run := Run{Tenant: tenant, TakenAt: at.UTC().Truncate(time.Millisecond), Workspaces: len(workspaces), Models: len(models)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tenants (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, tenant); err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	var tenantID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM tenants WHERE name = ?`, tenant).Scan(&tenantID); err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(taken_at) FROM runs WHERE tenant = ?`, tenantID).Scan(&last); err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	if last.Valid && last.String > run.TakenAt.Format(timeLayout) {
		return Recorded{}, tx, fmt.Errorf("history: a run of %s at %s is already recorded, later than this one (%s): is the clock right?", tenant, last.String, run.TakenAt.Format(timeLayout))
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (tenant, taken_at, workspaces, models) VALUES (?, ?, ?, ?)`,
		tenantID, run.TakenAt.Format(timeLayout), run.Workspaces, run.Models)
	if err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	var prevRun sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM runs WHERE tenant = ? AND id < ?`, tenantID, run.ID).Scan(&prevRun); err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	wsChanged, err := syncTable(ctx, tx, tenantID, run.ID, workspaceTable, wsRows)
	if err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	idChanged, err := syncTable(ctx, tx, tenantID, run.ID, identityTable, identities)
	if err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	actChanged, err := syncTable(ctx, tx, tenantID, run.ID, activityTable, activities)
	if err != nil {
		return Recorded{}, tx, h.writeError(err)
	}
	out := Recorded{Run: run}
	if prevRun.Valid {
		p, err := scanRun(tx.QueryRowContext(ctx, runsQuery+` WHERE r.id = ?`, prevRun.Int64).Scan)
		if err != nil {
			return Recorded{}, tx, h.writeError(err)
		}
		out.Previous = &p
		prev, now := changedSnapshots(wsChanged, wsRows, idChanged, actChanged, identities, activities)
		prev.Run, now.Run = p, run
		out.Changes = Diff(prev, now)
	}
	return out, tx, nil
}

// changedSnapshots are the previous run and this one restricted to the
// workspaces and models whose rows changed: Diff of them is Diff of the
// whole snapshots, since an unchanged row differs in nothing.
func changedSnapshots(ws changed[Workspace], wsNow map[string]versioned[Workspace], ids changed[identity], acts changed[activity],
	idNow map[string]versioned[identity], actNow map[string]versioned[activity]) (prev, now Snapshot) {
	for id := range ws.ids() {
		if w, ok := ws.before[id]; ok {
			w.ID = id
			prev.Workspaces = append(prev.Workspaces, w)
		}
		if w, ok := wsNow[id]; ok {
			w.value.ID = id
			now.Workspaces = append(now.Workspaces, w.value)
		}
	}
	touched := ids.ids() // a model's identity, activity or both
	for id := range acts.ids() {
		touched[id] = true
	}
	for id := range touched {
		newID, exists := idNow[id]
		newAct := actNow[id]
		// A row that did not change held before what it holds now.
		oldID, existed := ids.before[id]
		if !existed && !ids.added[id] {
			oldID, existed = newID.value, true
		}
		oldAct, ok := acts.before[id]
		if !ok && !acts.added[id] {
			oldAct = newAct.value
		}
		if existed {
			prev.Models = append(prev.Models, modelOf(id, oldID, oldAct))
		}
		if exists {
			now.Models = append(now.Models, modelOf(id, newID.value, newAct.value))
		}
	}
	return prev, now
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
