package registry

import "github.com/anaplan-registry/toolkit/lib/anaplan"

// How full a workspace is, in one vocabulary for the summary (Status), the
// hygiene list (its workspace-* checks) and the report's capacity tones:
// one set of thresholds, so no two of them can disagree about a workspace.
const (
	// NearAllowancePercent is Anaplan's amber warning: from 75 % of its
	// size allowance a workspace is "near allowance".
	NearAllowancePercent = 75.0
	// NearlyFullPercent is where an admin has little room left for another
	// copy of a large model: from 90 % a workspace is "nearly full".
	NearlyFullPercent = 90.0
)

// AllowanceLevel is how full a workspace is against its size allowance.
type AllowanceLevel int

// The levels, from roomy to over. A workspace whose allowance Anaplan did
// not give is AllowanceRoom: nothing can be said of it.
const (
	AllowanceRoom       AllowanceLevel = iota // under NearAllowancePercent, or no allowance known
	AllowanceNear                             // at NearAllowancePercent or more
	AllowanceNearlyFull                       // at NearlyFullPercent or more
	AllowanceOver                             // current size above the allowance
)

// String is the level as the summary's STATUS column says it: "", "near
// allowance", "nearly full" or "over allowance".
func (l AllowanceLevel) String() string {
	switch l {
	case AllowanceNear:
		return "near allowance"
	case AllowanceNearlyFull:
		return "nearly full"
	case AllowanceOver:
		return "over allowance"
	}
	return ""
}

// Check is the hygiene check a model in a workspace at this level gets, ""
// for none.
func (l AllowanceLevel) Check() Check {
	switch l {
	case AllowanceNear:
		return CheckWorkspaceNear
	case AllowanceNearlyFull:
		return CheckWorkspaceNearlyFull
	case AllowanceOver:
		return CheckWorkspaceOver
	}
	return ""
}

// LevelOfPercent is the level of a workspace used to pct percent of its
// allowance; known is false when the allowance is not known.
func LevelOfPercent(pct float64, known bool) AllowanceLevel {
	switch {
	case !known:
		return AllowanceRoom
	case pct > 100:
		return AllowanceOver
	case pct >= NearlyFullPercent:
		return AllowanceNearlyFull
	case pct >= NearAllowancePercent:
		return AllowanceNear
	}
	return AllowanceRoom
}

// AllowanceLevelOf is how full the workspace is.
func AllowanceLevelOf(w anaplan.Workspace) AllowanceLevel {
	if w.SizeAllowance > 0 && w.CurrentSize > w.SizeAllowance {
		return AllowanceOver // exact in bytes, whatever the percentage rounds to
	}
	return LevelOfPercent(UsedPercent(w))
}
