// Package registry builds the model registry of an Anaplan tenant: every
// workspace and every model, as gota dataframes and as CSV files in the exact
// shapes the tutorial's Anaplan imports take.
//
// The tutorial reads mdl['wsp'] and mdl['currentSize']; Anaplan's API calls
// those fields currentWorkspaceId and memoryUsage (the latter only with
// modelDetails=true). This package reads the real fields and writes them
// under the column names the imports expect.
package registry

import (
	"cmp"
	"slices"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Registry is a snapshot of a tenant's workspaces and models, sorted so that
// two reads of an unchanged tenant produce byte-identical CSV files.
type Registry struct {
	Workspaces []anaplan.Workspace // by name, then id
	Models     []anaplan.Model     // by workspace name, model name, then id

	workspaceByID map[string]int // index into Workspaces
	org           *Organisation  // set by Organise (organise.go)
}

// New builds a registry from workspaces and models already read. It copies
// and sorts its inputs.
func New(workspaces []anaplan.Workspace, models []anaplan.Model) *Registry {
	return newOwned(slices.Clone(workspaces), slices.Clone(models))
}

// newOwned builds a registry on slices nobody else holds, sorting them in
// place: Read's own, which need no copy (at 100k models a copy is 25 MB).
func newOwned(workspaces []anaplan.Workspace, models []anaplan.Model) *Registry {
	r := &Registry{Workspaces: workspaces, Models: models}
	slices.SortFunc(r.Workspaces, func(a, b anaplan.Workspace) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	r.workspaceByID = make(map[string]int, len(r.Workspaces))
	for i, w := range r.Workspaces {
		r.workspaceByID[w.ID] = i
	}
	r.sortModels()
	return r
}

// sortModels orders the models by workspace name, model name, then id. It
// sorts small keys, not the 250-byte models, with each model's workspace
// name looked up once instead of twice per comparison (at 100k models the
// lookups were half the sort), then puts the models in that order in place.
func (r *Registry) sortModels() {
	type key struct {
		workspace, name, id string
		index               int
	}
	keys := make([]key, len(r.Models))
	for i, m := range r.Models {
		keys[i] = key{r.workspaceName(m), m.Name, m.ID, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		// strings.Compare scans once; cmp.Compare tests < then >.
		return cmp.Or(strings.Compare(a.workspace, b.workspace), strings.Compare(a.name, b.name), strings.Compare(a.id, b.id))
	})
	order := make([]int, len(keys))
	for i, k := range keys {
		order[i] = k.index
	}
	permute(r.Models, order)
}

// permute reorders s in place so that s[i] becomes the old s[order[i]],
// following each cycle of the permutation once. It consumes order.
func permute[T any](s []T, order []int) {
	for start := range order {
		if order[start] == start {
			continue
		}
		saved := s[start]
		i := start
		for {
			from := order[i]
			order[i] = i
			if from == start {
				s[i] = saved
				break
			}
			s[i] = s[from]
			i = from
		}
	}
}

// Workspace returns the workspace with the given id, if the registry has it.
func (r *Registry) Workspace(id string) (anaplan.Workspace, bool) {
	i, ok := r.workspaceByID[id]
	if !ok {
		return anaplan.Workspace{}, false
	}
	return r.Workspaces[i], true
}

// workspaceName is the name of a model's workspace: the workspace list's
// name when the registry has it, else the name the model carries.
func (r *Registry) workspaceName(m anaplan.Model) string {
	if w, ok := r.Workspace(m.CurrentWorkspaceID); ok {
		return w.Name
	}
	return m.CurrentWorkspaceName
}

// Orphans returns the models whose workspace is not among the registry's
// workspaces (the user can see the model but not its workspace). Their rows
// in models.csv name a parent the W1 Workspaces import never created, so an
// Anaplan import would reject them.
func (r *Registry) Orphans() []anaplan.Model {
	var out []anaplan.Model
	for _, m := range r.Models {
		if _, ok := r.workspaceByID[m.CurrentWorkspaceID]; !ok {
			out = append(out, m)
		}
	}
	return out
}

// UsedPercent is a workspace's current size as a percentage of its size
// allowance; ok is false when the allowance is unknown (zero).
func UsedPercent(w anaplan.Workspace) (pct float64, ok bool) {
	if w.SizeAllowance <= 0 {
		return 0, false
	}
	return float64(w.CurrentSize) * 100 / float64(w.SizeAllowance), true
}
