package registry

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// Summary is what an admin wants first from a registry: how full each
// workspace is, and where the models are and in which state.
type Summary struct {
	Workspaces  []WorkspaceUsage
	States      []Count // models per activeState, most first
	Models      int
	TotalMemory anaplan.Bytes
	Orphans     int // models whose workspace the user cannot list
}

// WorkspaceUsage is one workspace's capacity and model count.
type WorkspaceUsage struct {
	anaplan.Workspace
	Models       int
	UsedPercent  float64
	HasAllowance bool
}

// Status is the workspace's AllowanceLevel in words: "over allowance",
// "nearly full", "near allowance" or "".
func (u WorkspaceUsage) Status() string { return AllowanceLevelOf(u.Workspace).String() }

// Count is a label and how many models carry it.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Summary computes the registry's summary.
func (r *Registry) Summary() Summary {
	s := Summary{Models: len(r.Models), Orphans: len(r.Orphans())}
	perWorkspace := r.modelsPerWorkspace()
	for _, w := range r.Workspaces {
		pct, ok := UsedPercent(w)
		s.Workspaces = append(s.Workspaces, WorkspaceUsage{
			Workspace: w, Models: perWorkspace[w.ID], UsedPercent: pct, HasAllowance: ok,
		})
	}
	states := map[string]int{}
	for _, m := range r.Models {
		states[string(m.ActiveState)]++
		s.TotalMemory += m.MemoryUsage
	}
	for k, n := range states {
		s.States = append(s.States, Count{k, n})
	}
	slices.SortFunc(s.States, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	return s
}

// NothingVisible is what WriteText says for a registry with no workspace
// and no model: a new tenant, or a user who can see nothing. The files
// are still written, with their headers only, because that is the truth;
// the sentence keeps an admin from mistaking it for a failed read.
const NothingVisible = "This user can see no workspace and no model, so the registry files hold their headers only. " +
	"If the tenant has models, log in as a user with access to them."

// WriteText writes the summary as aligned text tables.
func (s Summary) WriteText(w io.Writer) error {
	if len(s.Workspaces) == 0 && s.Models == 0 {
		_, err := fmt.Fprintln(w, NothingVisible)
		return err
	}
	t := s.WorkspacesTable()
	if err := t.WriteText(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d models, %s in memory. By state:", s.Models, HumanBytes(s.TotalMemory))
	for i, c := range s.States {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(w, "%s %s %d", sep, CellText(c.Key), c.Count)
	}
	fmt.Fprintln(w)
	if s.Orphans > 0 {
		fmt.Fprintf(w, "%d models are in workspaces you cannot list: the W2 Models import will reject them.\n", s.Orphans)
	}
	return nil
}

// HumanBytes formats a size in binary units, as Anaplan's UI does (1 GB
// there is 2^30 bytes): "1.5 GiB".
func HumanBytes(b anaplan.Bytes) string { return history.HumanBytes(int64(b)) }
