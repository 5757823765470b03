package emulator

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// almStateFile persists what ALM calls changed (revisions created, syncs
// run) under StateDir; the tenant's own lineage is rebuilt from the tenant.
const almStateFile = "alm.json"

// syncTaskRetention is how long GET …/syncTasks lists a task (OAS-alm).
const syncTaskRetention = 48 * time.Hour

// almRevision is a revision with the models it was applied to.
type almRevision struct {
	Revision
	order int // creation order, to break ties between equal times
}

// almEntry is one revision in one model's history: created there (the
// source) or applied there by a sync.
type almEntry struct {
	rev    *almRevision
	on     time.Time
	by     string
	source bool
}

// syncTask is one ALM sync: sourceRevision from sourceModel into model.
type syncTask struct {
	ID             string    `json:"id"`
	ModelID        string    `json:"modelId"`
	SourceModelID  string    `json:"sourceModelId"`
	SourceRevision string    `json:"sourceRevisionId"`
	By             string    `json:"by"`
	Created        time.Time `json:"created"`
	Done           time.Time `json:"done"`    // when it completes
	Applied        bool      `json:"applied"` // its revision is in the model's history
}

// almAction is one change an ALM call made, replayed on load.
type almAction struct {
	Revision *Revision `json:"revision,omitempty"` // created by POST …/revisions
	Sync     *syncTask `json:"sync,omitempty"`     // started by POST …/syncTasks
}

// alm is the ALM API's state: every revision, each model's history, sync
// tasks and online status, behind one mutex. Lock order: alm.mu, then
// store.mu (touching a model).
type alm struct {
	mu       sync.Mutex
	log      *slog.Logger
	state    stateDir // alm.json
	duration time.Duration
	store    *store

	revisions map[string]*almRevision
	history   map[string][]almEntry // model ID -> entries by time
	tasks     map[string][]*syncTask
	offline   map[string]bool
	actions   []almAction
	count     int
}

func newALM(t *Tenant, s *store, state stateDir, duration time.Duration, log *slog.Logger) (*alm, error) {
	if duration <= 0 {
		duration = DefaultTaskDuration
	}
	a := &alm{log: log, state: state, duration: duration, store: s,
		revisions: make(map[string]*almRevision, len(t.Revisions)),
		history:   make(map[string][]almEntry),
		tasks:     make(map[string][]*syncTask),
		offline:   make(map[string]bool),
	}
	for _, r := range t.Revisions {
		a.addRevision(r)
	}
	for id := range a.history {
		a.sortHistory(id)
	}
	var st struct {
		Actions []almAction `json:"actions"`
	}
	if err := state.read(almStateFile, &st); err != nil {
		return nil, fmt.Errorf("emulator: state dir %s: %w", state.path, err)
	}
	for _, act := range st.Actions {
		if act.Sync != nil {
			t := *act.Sync
			act.Sync = &t
		}
		a.replay(act)
	}
	a.actions = st.Actions
	return a, nil
}

// addRevision indexes a revision and every sync of it.
func (a *alm) addRevision(r Revision) *almRevision {
	ar := &almRevision{Revision: r, order: len(a.revisions)}
	a.revisions[r.ID] = ar
	a.history[r.ModelID] = append(a.history[r.ModelID], almEntry{rev: ar, on: r.CreatedOn, by: r.CreatedBy, source: true})
	for _, ap := range r.Applied {
		a.history[ap.ModelID] = append(a.history[ap.ModelID], almEntry{rev: ar, on: ap.AppliedOn, by: ap.AppliedBy})
	}
	return ar
}

func (a *alm) sortHistory(modelID string) {
	slices.SortStableFunc(a.history[modelID], func(x, y almEntry) int {
		return cmp.Or(x.on.Compare(y.on), cmp.Compare(x.rev.order, y.rev.order))
	})
}

func (a *alm) replay(act almAction) {
	switch {
	case act.Revision != nil:
		a.addRevision(*act.Revision)
		a.store.touchModel(act.Revision.ModelID, act.Revision.CreatedOn)
		a.count++
	case act.Sync != nil:
		t := act.Sync
		a.tasks[t.ModelID] = append(a.tasks[t.ModelID], t)
		a.count++
		if t.Applied {
			a.apply(t)
		}
	}
}

// record persists an action; a failed write is logged (the change holds
// for this process).
func (a *alm) record(act almAction) {
	a.actions = append(a.actions, act)
	a.save()
}

// save writes the actions; a sync's pointer makes its completion part of
// the action that started it.
func (a *alm) save() {
	if !a.state.enabled() {
		return
	}
	st := struct {
		Version int         `json:"version"`
		Actions []almAction `json:"actions"`
	}{1, a.actions}
	a.state.write(almStateFile, st, "ALM state")
}

// nextID is the n-th ID the ALM API hands out: deterministic per emulator.
func (a *alm) nextID(kind string) string {
	a.count++
	sum := sha256.Sum256([]byte("alm/" + kind + "/" + strconv.Itoa(a.count)))
	return strings.ToUpper(hex.EncodeToString(sum[:16]))
}

// settleAt is settle for readers outside the ALM API (the model lists):
// a completed sync has saved its target model by then.
func (a *alm) settleAt(now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settle(now)
}

// settle applies every sync that has completed by now; the caller holds a.mu.
func (a *alm) settle(now time.Time) {
	changed := false
	for _, ts := range a.tasks {
		for _, t := range ts {
			if !t.Applied && !now.Before(t.Done) {
				t.Applied, changed = true, true
				a.apply(t)
			}
		}
	}
	if changed {
		a.save()
	}
}

func (a *alm) apply(t *syncTask) {
	r := a.revisions[t.SourceRevision]
	if r == nil {
		return
	}
	r.Applied = append(r.Applied, RevisionApplied{ModelID: t.ModelID, AppliedOn: t.Done, AppliedBy: t.By})
	a.history[t.ModelID] = append(a.history[t.ModelID], almEntry{rev: r, on: t.Done, by: t.By})
	a.sortHistory(t.ModelID)
	a.store.touchModel(t.ModelID, t.Done)
}

// latest is a model's latest revision entry.
func (a *alm) latest(modelID string) (almEntry, bool) {
	h := a.history[modelID]
	if len(h) == 0 {
		return almEntry{}, false
	}
	return h[len(h)-1], true
}

// appliedTo lists the models that hold a revision: its source first, then
// the targets by time of sync.
func (a *alm) appliedTo(r *almRevision) []RevisionApplied {
	out := []RevisionApplied{{ModelID: r.ModelID, AppliedOn: r.CreatedOn, AppliedBy: r.CreatedBy}}
	targets := slices.Clone(r.Applied)
	slices.SortStableFunc(targets, func(x, y RevisionApplied) int { return x.AppliedOn.Compare(y.AppliedOn) })
	return append(out, targets...)
}

// syncable lists the source's revisions newer than the target's latest,
// newest first; none when the target's latest is not in the source's
// history (the models are not copies of one another).
func (a *alm) syncable(targetID, sourceID string) []almEntry {
	latest, ok := a.latest(targetID)
	if !ok {
		return nil
	}
	h := a.history[sourceID]
	at := slices.IndexFunc(h, func(e almEntry) bool { return e.rev == latest.rev })
	if at < 0 {
		return nil
	}
	out := slices.Clone(h[at+1:])
	slices.Reverse(out)
	return out
}

// touchModel records a change to a model: a new save serial number and
// modification time, as a sync or a new revision saves the model.
func (s *store) touchModel(id string, at time.Time) {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	if i, ok := s.modelByID[id]; ok {
		s.saves[id] = s.saves[id].add(at)
		s.saves[id].applyTo(&s.models[i], 1)
	}
}

// isWorkspaceAdmin reports whether the user holds Workspace Administrator
// in the workspace.
func (s *store) isWorkspaceAdmin(workspaceID, userID string) bool {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	i, ok := s.workspaceByID[workspaceID]
	return ok && !slices.Contains(s.workspaces[i].NonAdminUserIDs, userID)
}
