package emulator_test

import (
	"reflect"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestAdvanceIsDeterministicAndChains(t *testing.T) {
	once, ev1 := emulator.Demo().Advance(8, 1)
	half, evA := emulator.Demo().Advance(3, 1)
	twice, evB := half.Advance(5, 1)
	if !reflect.DeepEqual(once, twice) {
		t.Error("Advance(3) then Advance(5) differs from Advance(8)")
	}
	if !reflect.DeepEqual(ev1, append(evA, evB...)) {
		t.Error("the events of Advance(3)+Advance(5) differ from Advance(8)'s")
	}
	other, _ := emulator.Demo().Advance(8, 2)
	if reflect.DeepEqual(once, other) {
		t.Error("another seed made the same tenant")
	}
	if once.Day != 8 || emulator.Demo().Day != 0 {
		t.Errorf("Day = %d after 8 days (the demo: %d)", once.Day, emulator.Demo().Day)
	}
	kinds := map[string]int{}
	for _, e := range ev1 {
		kinds[e.Kind]++
	}
	for _, k := range []string{emulator.EventCreated, emulator.EventGrown, emulator.EventArchived, emulator.EventRenamed, emulator.EventMoved, emulator.EventSynced} {
		if kinds[k] == 0 {
			t.Errorf("8 days made no %q event (events: %v)", k, kinds)
		}
	}
	// The advanced tenant is one the emulator serves.
	if _, err := emulator.New(emulator.Options{Tenant: once}); err != nil {
		t.Fatalf("the advanced tenant is refused: %v", err)
	}
	// Workspace sizes follow their models.
	demo := emulator.Demo()
	var grown int64
	for _, e := range ev1 {
		switch e.Kind {
		case emulator.EventGrown, emulator.EventCreated:
			grown += e.Bytes
		}
	}
	var before, after int64
	for _, w := range demo.Workspaces {
		before += w.CurrentSize
	}
	for _, w := range once.Workspaces {
		after += w.CurrentSize
	}
	if after-before != grown {
		t.Errorf("workspaces grew %d bytes, the models %d", after-before, grown)
	}
}

// Sixty days of the demo tenant under the demo's seed: Anaplan refuses a
// save, copy or move that would take a workspace past its size allowance,
// so no day takes a workspace within its allowance past it, a move goes
// only where the workspace stays under the 75% warning, and only syncs
// save a production model (the registry would flag any other save as
// changed outside ALM).
func TestAdvanceKeepsWorkspacesWithinTheirAllowance(t *testing.T) {
	tenant := emulator.Demo()
	production := map[string]bool{}
	for _, m := range tenant.Models {
		production[m.ID] = m.ActiveState == "PRODUCTION" || m.ActiveState == "PRODUCTION_MAINTENANCE"
	}
	moves := 0
	for day := 1; day <= 60; day++ {
		before := map[string]emulator.Workspace{}
		for _, w := range tenant.Workspaces {
			before[w.ID] = w
		}
		next, events := tenant.Advance(1, 1)
		sizes := map[string]int64{}
		for _, m := range tenant.Models {
			sizes[m.ID] = m.MemoryUsage
		}
		for _, w := range next.Workspaces {
			if b := before[w.ID]; b.CurrentSize <= b.SizeAllowance && w.CurrentSize > w.SizeAllowance {
				t.Errorf("day %d takes %s past its allowance: %d of %d bytes", day, w.Name, w.CurrentSize, w.SizeAllowance)
			}
		}
		for _, e := range events {
			switch e.Kind {
			case emulator.EventMoved:
				moves++
				dst := before[e.To]
				if after := dst.CurrentSize + sizes[e.ModelID]; after*4 > dst.SizeAllowance*3 {
					t.Errorf("day %d moves %s into %s, to %.0f%% of its allowance", day, e.ModelID, dst.Name,
						float64(after)/float64(dst.SizeAllowance)*100)
				}
			case emulator.EventGrown:
				if production[e.ModelID] {
					t.Errorf("day %d saves production model %s outside a sync", day, e.ModelID)
				}
			}
		}
		for _, e := range events {
			if e.Kind == emulator.EventCreated {
				production[e.ModelID] = false
			}
		}
		tenant = next
	}
	if moves < 5 {
		t.Errorf("sixty days moved %d models, want a move every few days", moves)
	}
}
