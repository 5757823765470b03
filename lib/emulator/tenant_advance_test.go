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
