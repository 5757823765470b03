package emulator

import (
	"fmt"
	"sync"
)

// MaxAdvanceDays is the most days one Advance moves the tenant on.
const MaxAdvanceDays = 3650

// advancer moves the running emulator's tenant on (Emulator.Advance).
type advancer struct {
	mu   sync.Mutex // one Advance at a time
	seed uint64     // Options.AdvanceSeed
	base *Tenant    // the configured tenant at its current day; never served itself
}

// Advance moves the tenant being served days days on, as Tenant.Advance
// does under Options.AdvanceSeed, and returns what it did: an emulator
// built on a tenant at day n and advanced by k serves what New on the
// tenant advanced by n+k would. What clients changed through the API
// stays changed: a model deleted stays deleted, ALM saves stay counted.
// It is safe to call while requests are served; each request sees the
// tenant of one day. The move is not persisted in StateDir: the tenant is
// configuration, so a restart serves the tenant New was given.
func (e *Emulator) Advance(days int) ([]Event, error) {
	if days < 0 || days > MaxAdvanceDays {
		return nil, fmt.Errorf("emulator: advance by %d days: want 0 to %d", days, MaxAdvanceDays)
	}
	a := e.advance
	a.mu.Lock()
	defer a.mu.Unlock()
	next, events := a.base.Advance(days, a.seed)
	// Lock order: alm.mu, then the store's tenant lock (as an ALM save).
	e.alm.mu.Lock()
	e.alm.addAdvancedSyncs(a.base.Revisions, next.Revisions)
	e.store.replaceTenant(next.clone())
	e.alm.mu.Unlock()
	a.base = next
	if events == nil {
		events = []Event{}
	}
	return events, nil
}

// Day is how many days the tenant being served has moved on from the
// tenant as built (Tenant.Day, plus every Advance since New).
func (e *Emulator) Day() int {
	e.advance.mu.Lock()
	defer e.advance.mu.Unlock()
	return e.advance.base.Day
}

// addAdvancedSyncs records the syncs Advance made (revisions applied in
// next and not in prev; Advance only appends) in the ALM history. The
// models' saves come with the tenant. The caller holds a.mu.
func (a *alm) addAdvancedSyncs(prev, next []Revision) {
	before := make(map[string]int, len(prev))
	for _, r := range prev {
		before[r.ID] = len(r.Applied)
	}
	for _, r := range next {
		ar := a.revisions[r.ID]
		if ar == nil {
			continue
		}
		for _, ap := range r.Applied[before[r.ID]:] {
			ar.Applied = append(ar.Applied, ap)
			a.history[ap.ModelID] = append(a.history[ap.ModelID], almEntry{rev: ar, on: ap.AppliedOn, by: ap.AppliedBy})
			a.sortHistory(ap.ModelID)
		}
	}
}
