package history

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// ChangeKind names what changed. Models: added, removed, renamed, moved,
// state, environment, family, alm (production fell behind or caught up,
// or any other ALM status change), grown, shrunk. Workspaces: the same
// words after "workspace-": workspace-added, workspace-removed,
// workspace-renamed, workspace-allowance (its size allowance changed),
// workspace-used (its current size changed).
type ChangeKind string

// The kinds of change Diff reports.
const (
	ModelAdded       ChangeKind = "added"
	ModelRemoved     ChangeKind = "removed"
	ModelRenamed     ChangeKind = "renamed"
	ModelMoved       ChangeKind = "moved"
	StateChanged     ChangeKind = "state"
	EnvironmentMoved ChangeKind = "environment"
	FamilyChanged    ChangeKind = "family"
	ALMChanged       ChangeKind = "alm"
	ModelGrown       ChangeKind = "grown"
	ModelShrunk      ChangeKind = "shrunk"

	WorkspaceAdded   ChangeKind = "workspace-added"
	WorkspaceRemoved ChangeKind = "workspace-removed"
	WorkspaceRenamed ChangeKind = "workspace-renamed"
	AllowanceChanged ChangeKind = "workspace-allowance"
	UsageChanged     ChangeKind = "workspace-used"
)

// Change is one difference between two snapshots. From and To are the old
// and new values as text (a name, a state, a workspace id); for sizes they
// are empty and Bytes is the difference, Percent its ratio to the old size
// (0 when the old size was 0). A model or workspace added carries its size
// (memory usage, current size) in Bytes, one removed minus its size.
type Change struct {
	Kind        ChangeKind `json:"kind"`
	ID          string     `json:"id"`                    // model id, or workspace id for workspace changes
	Name        string     `json:"name"`                  // the model's (or workspace's) name in the newer snapshot, else the older
	WorkspaceID string     `json:"workspaceId,omitempty"` // the model's workspace in the newer snapshot, else the older
	From        string     `json:"from,omitempty"`
	To          string     `json:"to,omitempty"`
	Bytes       int64      `json:"bytes,omitempty"`
	Percent     float64    `json:"percent,omitempty"`
}

// Diff lists what changed from one snapshot to another: workspaces first,
// then models, each by id, then by kind in the order of the constants.
func Diff(from, to Snapshot) []Change {
	var out []Change
	out = append(out, diffWorkspaces(from.Workspaces, to.Workspaces)...)
	out = append(out, diffModels(from.Models, to.Models)...)
	return out
}

func diffWorkspaces(from, to []Workspace) []Change {
	var out []Change
	old := indexBy(from, func(w Workspace) string { return w.ID })
	seen := map[string]bool{}
	for _, w := range to {
		seen[w.ID] = true
		o, ok := old[w.ID]
		if !ok {
			out = append(out, Change{Kind: WorkspaceAdded, ID: w.ID, Name: w.Name, Bytes: w.CurrentSize})
			continue
		}
		if o.Name != w.Name {
			out = append(out, Change{Kind: WorkspaceRenamed, ID: w.ID, Name: w.Name, From: o.Name, To: w.Name})
		}
		if o.SizeAllowance != w.SizeAllowance {
			out = append(out, sizeChange(AllowanceChanged, w.ID, w.Name, "", o.SizeAllowance, w.SizeAllowance))
		}
		if o.CurrentSize != w.CurrentSize {
			out = append(out, sizeChange(UsageChanged, w.ID, w.Name, "", o.CurrentSize, w.CurrentSize))
		}
	}
	for _, o := range from {
		if !seen[o.ID] {
			out = append(out, Change{Kind: WorkspaceRemoved, ID: o.ID, Name: o.Name, Bytes: -o.CurrentSize})
		}
	}
	sortChanges(out)
	return out
}

func diffModels(from, to []Model) []Change {
	var out []Change
	old := indexBy(from, func(m Model) string { return m.ID })
	seen := map[string]bool{}
	for _, m := range to {
		seen[m.ID] = true
		o, ok := old[m.ID]
		if !ok {
			out = append(out, Change{Kind: ModelAdded, ID: m.ID, Name: m.Name, WorkspaceID: m.WorkspaceID, Bytes: m.MemoryUsage})
			continue
		}
		text := func(kind ChangeKind, a, b string) {
			if a != b {
				out = append(out, Change{Kind: kind, ID: m.ID, Name: m.Name, WorkspaceID: m.WorkspaceID, From: a, To: b})
			}
		}
		text(ModelRenamed, o.Name, m.Name)
		text(ModelMoved, o.WorkspaceID, m.WorkspaceID)
		text(StateChanged, o.ActiveState, m.ActiveState)
		text(EnvironmentMoved, o.Environment, m.Environment)
		text(FamilyChanged, o.Family, m.Family)
		text(ALMChanged, o.ALMStatus, m.ALMStatus)
		switch {
		case m.MemoryUsage > o.MemoryUsage:
			out = append(out, sizeChange(ModelGrown, m.ID, m.Name, m.WorkspaceID, o.MemoryUsage, m.MemoryUsage))
		case m.MemoryUsage < o.MemoryUsage:
			out = append(out, sizeChange(ModelShrunk, m.ID, m.Name, m.WorkspaceID, o.MemoryUsage, m.MemoryUsage))
		}
	}
	for _, o := range from {
		if !seen[o.ID] {
			out = append(out, Change{Kind: ModelRemoved, ID: o.ID, Name: o.Name, WorkspaceID: o.WorkspaceID, Bytes: -o.MemoryUsage})
		}
	}
	sortChanges(out)
	return out
}

func sizeChange(kind ChangeKind, id, name, workspaceID string, from, to int64) Change {
	c := Change{Kind: kind, ID: id, Name: name, WorkspaceID: workspaceID, Bytes: to - from}
	if from != 0 {
		c.Percent = float64(to-from) / float64(from) * 100
	}
	return c
}

var kindOrder = map[ChangeKind]int{}

func init() {
	for i, k := range []ChangeKind{WorkspaceAdded, WorkspaceRemoved, WorkspaceRenamed, AllowanceChanged, UsageChanged,
		ModelAdded, ModelRemoved, ModelRenamed, ModelMoved, StateChanged, EnvironmentMoved, FamilyChanged,
		ALMChanged, ModelGrown, ModelShrunk} {
		kindOrder[k] = i
	}
}

func sortChanges(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]))
	})
}

func indexBy[T any](items []T, id func(T) string) map[string]T {
	out := make(map[string]T, len(items))
	for _, it := range items {
		out[id(it)] = it
	}
	return out
}

// Detail says the change in words people read, e.g. "+12.0 MiB (+4.1%)",
// "Finance -> Sales" or, for a model added, "12.0 MiB"; workspaceName turns a workspace id into its name
// (it may return the id).
func (c Change) Detail(workspaceName func(id string) string) string {
	switch c.Kind {
	case ModelGrown, ModelShrunk, UsageChanged, AllowanceChanged:
		sign, abs := "+", c.Bytes
		if abs < 0 {
			sign, abs = "-", -abs
		}
		s := sign + HumanBytes(abs)
		switch {
		case math.Abs(c.Percent) >= 0.05:
			s += fmt.Sprintf(" (%+.1f%%)", c.Percent)
		case c.Percent != 0: // "+0.0%" would say it did not change
			s += " (<0.1%)"
		}
		return s
	case ModelMoved:
		return workspaceName(c.From) + " -> " + workspaceName(c.To)
	case ModelAdded, WorkspaceAdded:
		return HumanBytes(c.Bytes)
	case ModelRemoved, WorkspaceRemoved:
		return HumanBytes(-c.Bytes) + " freed"
	}
	return orNone(c.From) + " -> " + orNone(c.To)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// HumanBytes writes a size in binary units: 512 B, 1.5 KiB, 2.0 GiB.
func HumanBytes(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTPE"[exp])
}
