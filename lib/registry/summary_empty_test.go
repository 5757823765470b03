package registry_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestSummaryOfNothing: a user who sees no workspace and no model gets a
// sentence saying so, not an empty table and a dangling "By state:".
func TestSummaryOfNothing(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if err := registry.New(nil, nil).Summary().WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != registry.NothingVisible+"\n" {
		t.Errorf("summary of an empty registry = %q", got)
	}
}
