package registry

import (
	"encoding/json"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// ALM statuses of one model as the history keeps them (ModelALMStatus).
const (
	ALMSource = "source"  // the model its family's revisions are created in
	ALMInSync = "in-sync" // holds its source's latest revision
	ALMBehind = "behind"  // its source has a newer revision than it holds
)

// HistoryRows is the registry as the history database stores a run: every
// workspace, and every model with its environment, family and what ALM
// said of it (lineage may be nil when ALM was not read).
func (r *Registry) HistoryRows(lineage map[string]ModelLineage) ([]history.Workspace, []history.Model) {
	org := r.Organisation()
	ws := make([]history.Workspace, len(r.Workspaces))
	for i, w := range r.Workspaces {
		ws[i] = history.Workspace{ID: w.ID, Name: w.Name, Active: w.Active,
			SizeAllowance: int64(w.SizeAllowance), CurrentSize: int64(w.CurrentSize)}
	}
	ms := make([]history.Model, len(r.Models))
	for i, m := range r.Models {
		p := org.Models[i]
		h := history.Model{
			ID: m.ID, Name: m.Name, WorkspaceID: m.CurrentWorkspaceID, ActiveState: string(m.ActiveState),
			CreatedAt: isoDate(m.ISOCreationDate), Environment: string(p.Environment), EnvironmentRule: p.Rule,
			Family: p.Family, MemoryUsage: int64(m.MemoryUsage), LastModified: isoDate(m.LastModified),
			LastSavedSerial: string(m.LastSavedSerialNumber),
		}
		if l, ok := lineage[m.ID]; ok {
			h.ALMStatus = ModelALMStatus(m.ID, lineage)
			if b, err := json.Marshal(l); err == nil {
				h.ALM = string(b)
			}
		}
		ms[i] = h
	}
	return ws, ms
}

// ModelALMStatus is one word for where a model stands in ALM: source (its
// family's revisions are made in it), in-sync or behind (its source has a
// newer revision than it holds) for a model with revisions, else its
// lineage status (none, archived, no-access, forbidden); "" when ALM said
// nothing of it.
func ModelALMStatus(modelID string, lineage map[string]ModelLineage) string {
	l, ok := lineage[modelID]
	switch {
	case !ok:
		return ""
	case l.Status != LineageOK:
		return string(l.Status)
	case l.SourceModelID == modelID:
		return ALMSource
	}
	src, ok := lineage[l.SourceModelID]
	if !ok || src.Status != LineageOK || src.RevisionID == l.RevisionID {
		return ALMInSync // nothing newer is known
	}
	return ALMBehind
}

// LineageFromHistory is what a recorded run learnt from ALM, keyed by
// model id: a new run asks ALM only about models saved since (see
// LineageOptions.Known).
func LineageFromHistory(s history.Snapshot) map[string]ModelLineage {
	out := make(map[string]ModelLineage, len(s.Models))
	for _, m := range s.Models {
		if l, ok := lineageFromJSON(m.ALM); ok {
			out[m.ID] = l
		}
	}
	return out
}

// lineageFromJSON reads what HistoryRows stored of a model's lineage; not
// ok when nothing (or nothing readable) was stored.
func lineageFromJSON(s string) (ModelLineage, bool) {
	var l ModelLineage
	if s == "" || json.Unmarshal([]byte(s), &l) != nil {
		return ModelLineage{}, false
	}
	return l, true
}
