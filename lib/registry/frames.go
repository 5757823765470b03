package registry

import (
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// WorkspacesFrame is one row per workspace: id, name, active, sizeAllowance,
// currentSize (bytes), usedPercent (NaN when the allowance is unknown) and
// the number of models the registry holds in it.
func (r *Registry) WorkspacesFrame() dataframe.DataFrame {
	n := len(r.Workspaces)
	ids, names := make([]string, n), make([]string, n)
	active := make([]bool, n)
	allowance, current, models := make([]int, n), make([]int, n), make([]int, n)
	used := make([]float64, n)
	counts := r.modelsPerWorkspace()
	for i, w := range r.Workspaces {
		ids[i], names[i], active[i] = w.ID, w.Name, w.Active
		allowance[i], current[i] = int(w.SizeAllowance), int(w.CurrentSize)
		used[i] = math.NaN()
		if p, ok := UsedPercent(w); ok {
			used[i] = math.Round(p*10) / 10
		}
		models[i] = counts[w.ID]
	}
	return dataframe.New(
		series.New(ids, series.String, "id"),
		series.New(names, series.String, "name"),
		series.New(active, series.Bool, "active"),
		series.New(allowance, series.Int, "sizeAllowance"),
		series.New(current, series.Int, "currentSize"),
		series.New(used, series.Float, "usedPercent"),
		series.New(models, series.Int, "models"),
	)
}

// ModelsFrame is one row per model, joined with its workspace: id, name,
// activeState, workspaceId, workspaceName, workspaceUsedPercent,
// memoryUsage (bytes), createdAt and lastModified (RFC 3339, UTC), and
// the organisation's environment, environmentRule and family.
func (r *Registry) ModelsFrame() dataframe.DataFrame {
	n := len(r.Models)
	ids, names, states := make([]string, n), make([]string, n), make([]string, n)
	wsIDs, wsNames := make([]string, n), make([]string, n)
	created, modified := make([]string, n), make([]string, n)
	wsUsed := make([]float64, n)
	memory := make([]int, n)
	envs, rules, families := make([]string, n), make([]string, n), make([]string, n)
	org := r.Organisation()
	for i, m := range r.Models {
		p := org.Models[i]
		envs[i], rules[i], families[i] = string(p.Environment), p.Rule, p.Family
		ids[i], names[i], states[i] = m.ID, m.Name, string(m.ActiveState)
		wsIDs[i], wsNames[i] = m.CurrentWorkspaceID, r.workspaceName(m)
		wsUsed[i] = math.NaN()
		if w, ok := r.Workspace(m.CurrentWorkspaceID); ok {
			if p, ok := UsedPercent(w); ok {
				wsUsed[i] = math.Round(p*10) / 10
			}
		}
		memory[i] = int(m.MemoryUsage)
		created[i], modified[i] = isoDate(m.ISOCreationDate), isoDate(m.LastModified)
	}
	return dataframe.New(
		series.New(ids, series.String, "id"),
		series.New(names, series.String, "name"),
		series.New(states, series.String, "activeState"),
		series.New(wsIDs, series.String, "workspaceId"),
		series.New(wsNames, series.String, "workspaceName"),
		series.New(wsUsed, series.Float, "workspaceUsedPercent"),
		series.New(memory, series.Int, "memoryUsage"),
		series.New(created, series.String, "createdAt"),
		series.New(modified, series.String, "lastModified"),
		series.New(envs, series.String, "environment"),
		series.New(rules, series.String, "environmentRule"),
		series.New(families, series.String, "family"),
	)
}

func (r *Registry) modelsPerWorkspace() map[string]int {
	counts := make(map[string]int, len(r.Workspaces))
	for _, m := range r.Models {
		counts[m.CurrentWorkspaceID]++
	}
	return counts
}
