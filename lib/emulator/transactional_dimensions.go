package emulator

import (
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Anaplan's built-in dimensions (anaplan-api.md §3 IDs, §6 "Dimension
// items"): Time cannot be listed (400), only looked up; Versions and Users
// can be both. The engine models neither time nor users, so the emulator
// answers them: versions from the model's versions, users from the tenant
// (item name = the user's email, UNVERIFIED), and no time periods.
const (
	timeDimensionID    = "20000000003"
	versionDimensionID = "20000000020"
	usersDimensionID   = "101999999999"
)

// builtinDimension returns the items of a built-in dimension, whether
// dimensionID is one, and for Time an error message (listing is refused).
func (e *Emulator) builtinDimension(dimensionID string) (items []engine.Dimension, builtin bool, refuse string) {
	switch dimensionID {
	case timeDimensionID:
		return nil, true, "The Time dimension's items cannot be listed: look periods up by name with POST …/dimensions/" + timeDimensionID + "/items."
	case versionDimensionID:
		for _, v := range versions {
			items = append(items, engine.Dimension{ID: v.id, Name: v.name})
		}
		return items, true, ""
	case usersDimensionID:
		for _, u := range e.store.allUsers() {
			items = append(items, engine.Dimension{ID: u.ID, Name: u.Email})
		}
		return items, true, ""
	}
	return nil, false, ""
}

// matchDimensionItems keeps the items named by names or codes, case-insensitively.
func matchDimensionItems(items []engine.Dimension, names, codes []string) []engine.Dimension {
	want := map[string]bool{}
	for _, n := range names {
		want["n"+strings.ToLower(n)] = true
	}
	for _, c := range codes {
		want["c"+strings.ToLower(c)] = true
	}
	var out []engine.Dimension
	for _, it := range items {
		if want["n"+strings.ToLower(it.Name)] || (it.Code != "" && want["c"+strings.ToLower(it.Code)]) {
			out = append(out, it)
		}
	}
	return out
}
