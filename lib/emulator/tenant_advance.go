package emulator

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// AdvanceEpoch is the date of a tenant's day 0: day n's changes happen at
// 09:00 UTC n days later, whatever the wall clock says, so an advanced
// tenant is the same on every machine.
var AdvanceEpoch = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Event is one change Advance made: the emulator's own record of what it
// did, for tests to hold a client's view (a registry diff) against.
type Event struct {
	Day         int       `json:"day"`
	At          time.Time `json:"at"`
	Kind        string    `json:"kind"` // created, grown, archived, moved, renamed, synced
	ModelID     string    `json:"modelId"`
	WorkspaceID string    `json:"workspaceId"`
	From        string    `json:"from,omitempty"` // the old name, workspace or state
	To          string    `json:"to,omitempty"`
	Bytes       int64     `json:"bytes,omitempty"` // growth, or the new copy's size
}

// The kinds of Event.
const (
	EventCreated  = "created"  // a development copy of a model
	EventGrown    = "grown"    // a model saved bigger
	EventArchived = "archived" // a development or test copy archived
	EventMoved    = "moved"    // a model moved to another workspace
	EventRenamed  = "renamed"  // a model renamed
	EventSynced   = "synced"   // a production model given its source's latest revision
)

// fillingWorkspace is the demo workspace that grows fastest, so a
// forecast has one clear answer: Supply Chain Planning.
const fillingWorkspace = "Supply Chain Planning"

// Advance returns a copy of the tenant moved days days on from its Day,
// deterministically under seed, and what it did: every day a few models
// are saved bigger (those of Supply Chain Planning most, so that it is the
// workspace a forecast sees filling first, until it is full), and on some
// days a development copy is made, a copy archived, a model renamed or
// moved, and a production model that is behind its development model
// synced. As Anaplan would, it takes no workspace past its size
// allowance: copies and moves go only where the workspace stays under the
// 75% warning, saves stop at the allowance. Production models are saved
// only by syncs. Workspace sizes follow their models. Advance(a) then
// Advance(b) is Advance(a+b).
func (t *Tenant) Advance(days int, seed uint64) (*Tenant, []Event) {
	c := t.clone()
	var events []Event
	for range days {
		c.Day++
		events = append(events, c.advanceDay(seed)...)
	}
	return c, events
}

func (t *Tenant) advanceDay(seed uint64) []Event {
	day := t.Day
	at := AdvanceEpoch.AddDate(0, 0, day)
	rng := rand.New(rand.NewPCG(seed, uint64(day)))
	var events []Event
	add := func(e Event) {
		e.Day, e.At = day, at
		events = append(events, e)
	}
	wsIndex := make(map[string]int, len(t.Workspaces))
	for i, w := range t.Workspaces {
		wsIndex[w.ID] = i
	}
	live := func(pred func(Model) bool) []int {
		var out []int
		for i, m := range t.Models {
			if m.ActiveState != "ARCHIVED" && pred(m) {
				out = append(out, i)
			}
		}
		return out
	}
	save := func(i int, grow int64) {
		m := &t.Models[i]
		m.MemoryUsage += grow
		m.LastSavedSerialNumber++
		m.LastModified = at
		if w, ok := wsIndex[m.WorkspaceID]; ok {
			t.Workspaces[w].CurrentSize += grow
		}
	}

	// Saved bigger: two models by 1-3% (not in a workspace at or over
	// Anaplan's 75% warning, whose teams hold back), and every model of the
	// filling workspace by a share of 4% of its allowance a day, until it
	// is full (faster than a copy or a move makes any other workspace
	// look, in a forecast fitted over a few days' runs). Production models are saved only by their syncs: a save
	// after the last sync is what the registry's changed-outside-alm flag
	// reports (the API cannot tell a data save from a structural one), and
	// the demo keeps that flag for the one family declared changed outside
	// ALM.
	roomy := func(m Model) bool {
		w, ok := wsIndex[m.WorkspaceID]
		return ok && !productionState(m.ActiveState) && t.Workspaces[w].SizeAllowance > 0 &&
			t.Workspaces[w].CurrentSize*4 < t.Workspaces[w].SizeAllowance*3
	}
	for _, i := range pick(rng, live(roomy), 2) {
		grow := t.Models[i].MemoryUsage * int64(1+rng.IntN(3)) / 100
		save(i, grow)
		add(Event{Kind: EventGrown, ModelID: t.Models[i].ID, WorkspaceID: t.Models[i].WorkspaceID, Bytes: grow})
	}
	if w, ok := t.workspaceNamed(fillingWorkspace); ok {
		ws := &t.Workspaces[w]
		in := live(func(m Model) bool { return m.WorkspaceID == ws.ID && !productionState(m.ActiveState) })
		for _, i := range in {
			grow := min(ws.SizeAllowance/25/int64(len(in)), ws.SizeAllowance-ws.CurrentSize)
			if grow <= 0 {
				break // full: Anaplan refuses saves that would take it past its allowance
			}
			save(i, grow)
			add(Event{Kind: EventGrown, ModelID: t.Models[i].ID, WorkspaceID: t.Models[i].WorkspaceID, Bytes: grow})
		}
	}
	// fits says whether bytes more stay within the workspace's share of its
	// allowance (num/den of it): copies and moves go only where there is room.
	fits := func(wsID string, bytes int64, num, den int64) bool {
		w, ok := wsIndex[wsID]
		return ok && t.Workspaces[w].Active && t.Workspaces[w].SizeAllowance > 0 &&
			(t.Workspaces[w].CurrentSize+bytes)*den <= t.Workspaces[w].SizeAllowance*num
	}

	devOrTest := func(m Model) bool {
		n := strings.ToUpper(m.Name)
		return m.ActiveState != "PRODUCTION" && (strings.Contains(n, "DEV") || strings.Contains(n, "TEST"))
	}
	switch day % 4 {
	case 1: // a development copy of a production model, where its workspace stays under the 75% warning
		if src := pick(rng, live(func(m Model) bool { return m.ActiveState == "PRODUCTION" }), 1); len(src) == 1 &&
			fits(t.Models[src[0]].WorkspaceID, t.Models[src[0]].MemoryUsage, 3, 4) {
			m := t.Models[src[0]]
			m.ID = advanceID(seed, day, m.ID)
			m.Name = fmt.Sprintf("%s - DEV %s", m.Name, at.Format("2006-01-02"))
			m.ActiveState, m.Created, m.LastModified, m.LastSavedSerialNumber = "UNLOCKED", at, at, 1
			m.TransactionRunning, m.NoAccessUserIDs = false, nil
			m.CategoryValues = slices.Clone(m.CategoryValues)
			t.Models = append(t.Models, m)
			if w, ok := wsIndex[m.WorkspaceID]; ok {
				t.Workspaces[w].CurrentSize += m.MemoryUsage
			}
			add(Event{Kind: EventCreated, ModelID: m.ID, WorkspaceID: m.WorkspaceID, To: m.Name, Bytes: m.MemoryUsage})
		}
	case 2: // a development or test copy archived
		if i := pick(rng, live(devOrTest), 1); len(i) == 1 {
			m := &t.Models[i[0]]
			add(Event{Kind: EventArchived, ModelID: m.ID, WorkspaceID: m.WorkspaceID, From: m.ActiveState, To: "ARCHIVED"})
			m.ActiveState, m.LastModified = "ARCHIVED", at
		}
	case 3: // a model renamed, another moved to a workspace with room
		if i := pick(rng, live(devOrTest), 1); len(i) == 1 {
			m := &t.Models[i[0]]
			to := m.Name + " (old)"
			add(Event{Kind: EventRenamed, ModelID: m.ID, WorkspaceID: m.WorkspaceID, From: m.Name, To: to})
			m.Name = to
		}
		filling, _ := t.workspaceNamed(fillingWorkspace)
		outside := func(m Model) bool {
			return m.ActiveState == "UNLOCKED" && (filling < 0 || m.WorkspaceID != t.Workspaces[filling].ID)
		}
		if i := pick(rng, live(outside), 1); len(i) == 1 {
			m := &t.Models[i[0]]
			// Only a workspace that stays under Anaplan's 75% warning
			// with the model (a team does not move a model into a
			// workspace about to fill), and not the filling one, so that
			// its growth is the forecast's one answer.
			var room []int
			for j, w := range t.Workspaces {
				if w.ID != m.WorkspaceID && j != filling && fits(w.ID, m.MemoryUsage, 3, 4) {
					room = append(room, j)
				}
			}
			if len(room) > 0 {
				dst := t.Workspaces[room[rng.IntN(len(room))]]
				add(Event{Kind: EventMoved, ModelID: m.ID, WorkspaceID: dst.ID, From: m.WorkspaceID, To: dst.ID})
				if w, ok := wsIndex[m.WorkspaceID]; ok {
					t.Workspaces[w].CurrentSize -= m.MemoryUsage
				}
				t.Workspaces[wsIndex[dst.ID]].CurrentSize += m.MemoryUsage
				m.WorkspaceID = dst.ID
			}
		}
	case 0: // a production model behind its development model synced
		if e, ok := t.syncOneBehind(at); ok {
			add(e)
		}
	}
	return events
}

// syncOneBehind applies a source's latest revision to the first target
// (by model id) that holds an older one of its revisions.
func (t *Tenant) syncOneBehind(at time.Time) (Event, bool) {
	latest := map[string]int{} // source model -> index of its newest revision
	held := map[string]int{}   // target model -> index of the newest revision applied to it
	for i, r := range t.Revisions {
		if j, ok := latest[r.ModelID]; !ok || r.CreatedOn.After(t.Revisions[j].CreatedOn) {
			latest[r.ModelID] = i
		}
		for _, a := range r.Applied {
			if j, ok := held[a.ModelID]; !ok || r.CreatedOn.After(t.Revisions[j].CreatedOn) {
				held[a.ModelID] = i
			}
		}
	}
	targets := make([]string, 0, len(held))
	for id := range held {
		targets = append(targets, id)
	}
	slices.Sort(targets)
	for _, id := range targets {
		h := t.Revisions[held[id]]
		l, ok := latest[h.ModelID]
		if !ok || l == held[id] {
			continue
		}
		i := slices.IndexFunc(t.Models, func(m Model) bool { return m.ID == id })
		if i < 0 || t.Models[i].ActiveState == "ARCHIVED" {
			continue
		}
		t.Revisions[l].Applied = append(t.Revisions[l].Applied, RevisionApplied{ModelID: id, AppliedOn: at, AppliedBy: DemoUser})
		m := &t.Models[i]
		m.LastSavedSerialNumber++
		m.LastModified = at
		return Event{Kind: EventSynced, ModelID: id, WorkspaceID: m.WorkspaceID, From: h.Name, To: t.Revisions[l].Name}, true
	}
	return Event{}, false
}

// productionState reports whether an activeState is a production model's.
func productionState(s string) bool {
	return s == "PRODUCTION" || s == "PRODUCTION_MAINTENANCE"
}

func (t *Tenant) workspaceNamed(name string) (int, bool) {
	i := slices.IndexFunc(t.Workspaces, func(w Workspace) bool { return w.Name == name })
	return i, i >= 0
}

// pick chooses up to n of the indexes, in a random but seeded order.
func pick(rng *rand.Rand, from []int, n int) []int {
	from = slices.Clone(from)
	rng.Shuffle(len(from), func(i, j int) { from[i], from[j] = from[j], from[i] })
	from = from[:min(n, len(from))]
	slices.SortFunc(from, cmp.Compare)
	return from
}

// advanceID is a new model id, the same for the same seed, day and source.
func advanceID(seed uint64, day int, source string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "advance %d %d %s", seed, day, source))
	return strings.ToUpper(hex.EncodeToString(sum[:16]))
}
