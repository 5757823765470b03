package registry

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Flag is a problem of a family an admin should look at.
type Flag string

const (
	FlagNoProduction        Flag = "no-production"        // dev/test/uat copies, no production model
	FlagMultipleProduction  Flag = "multiple-production"  // more than one production model
	FlagProductionBehind    Flag = "production-behind"    // the source's latest revision is not applied to a production model
	FlagChangedOutsideALM   Flag = "changed-outside-alm"  // a production model saved after its last sync (data or structure: the API does not say)
	FlagDevelopmentArchived Flag = "development-archived" // the source is archived, production lives
)

// FamilyFlag is a flag with the sentence that explains it.
type FamilyFlag struct {
	Flag   Flag
	Reason string
}

// Family is the copies of one application: by ALM lineage (a source model
// and the models its revisions were applied to) where the tenant has it,
// else by name without environment words, dates and "Copy of".
type Family struct {
	Name string
	// Lineage is true when ALM ties the family together; SourceModelID
	// is then its development model.
	Lineage       bool
	SourceModelID string
	// Models are the family's models by environment, by name:
	// for env, models := range f.Models. It is nil in a zero Family.
	Models FamilyModels
	Flags  []FamilyFlag

	members *familyMembers // nil for a Family made by hand
}

// Size is the number of models in the family.
func (f Family) Size() int {
	if f.members != nil {
		return len(f.members.idx)
	}
	n := 0
	for _, ms := range f.Models.all() {
		n += len(ms)
	}
	return n
}

// HasFlag reports whether the family carries flag.
func (f Family) HasFlag(flag Flag) bool {
	return slices.ContainsFunc(f.Flags, func(ff FamilyFlag) bool { return ff.Flag == flag })
}

// in returns the family's models in environment e, by name.
func (f Family) in(e Environment) []anaplan.Model {
	if f.members != nil {
		return f.members.in(e)
	}
	for env, ms := range f.Models.all() {
		if env == e {
			return ms
		}
	}
	return nil
}

// count is the number of the family's models in environment e.
func (f Family) count(e Environment) int {
	if f.members != nil {
		lo, hi := f.members.run(e)
		return hi - lo
	}
	return len(f.in(e))
}

// model returns the family's model with the given id (the registry's own
// for a family Organise made: not a copy).
func (f Family) model(id string) (*anaplan.Model, bool) {
	if f.members != nil {
		for _, i := range f.members.idx {
			if m := &f.members.shared.models[i]; m.ID == id {
				return m, true
			}
		}
		return nil, false
	}
	for _, ms := range f.Models.all() {
		for i := range ms {
			if ms[i].ID == id {
				return &ms[i], true
			}
		}
	}
	return nil, false
}

// changedOutsideTolerance is how long after a sync a production model may
// be saved and still count as saved by the sync itself.
const changedOutsideTolerance = time.Minute

// buildFamilies groups the registry's models (env[i] the environment of
// r.Models[i]) into families and flags them. A family holds the indices
// of its models, not copies, and every model is numbered into its family
// without a map or a slice per family: a tenant of 100,000 models is
// mostly families of one, and a map and a copy of the model each made
// families the largest part of the registry's memory.
func buildFamilies(r *Registry, env []Environment, lineage map[string]ModelLineage) []Family {
	n := len(r.Models)
	var index map[string]int
	if len(lineage) > 0 {
		index = make(map[string]int, n)
		for i, m := range r.Models {
			index[m.ID] = i
		}
	}
	// Union-find over lineage: a model, its source and the revision's holders.
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	linked := make([]bool, n)
	union := func(a, b int) {
		linked[a], linked[b] = true, true
		if ra, rb := find(a), find(b); ra != rb {
			parent[rb] = ra
		}
	}
	if len(lineage) > 0 {
		for i, m := range r.Models {
			l, ok := lineage[m.ID]
			if !ok || l.Status != LineageOK {
				continue
			}
			linked[i] = true
			if s, ok := index[l.SourceModelID]; ok {
				union(s, i)
			}
			for _, h := range l.Holders {
				if j, ok := index[h]; ok {
					union(i, j)
				}
			}
		}
	}
	// Every model gets its family's number. A lineage family's source is
	// its first linked model (in registry order) whose lineage names a
	// source in the registry.
	type draft struct {
		lineage bool
		source  int // index of the source model, or -1
	}
	var drafts []draft
	fam := make([]int32, n)
	rootFam := map[int]int32{}
	for i := range n {
		if !linked[i] {
			continue
		}
		root := find(i)
		f, ok := rootFam[root]
		if !ok {
			f = int32(len(drafts))
			rootFam[root] = f
			drafts = append(drafts, draft{lineage: true, source: -1})
		}
		fam[i] = f
		if drafts[f].source < 0 {
			l := lineage[r.Models[i].ID]
			if s, ok := index[l.SourceModelID]; ok && l.Status == LineageOK {
				drafts[f].source = s
			}
		}
	}
	// Models outside any lineage join the one lineage family sharing
	// their name, else a family by name.
	keys, display := make([]string, n), make([]string, n)
	byKey := map[string][]int{} // key -> lineage roots having it
	for i, m := range r.Models {
		display[i] = familyDisplayName(m.Name)
		keys[i] = keyOf(display[i])
		if linked[i] {
			root := find(i)
			if !slices.Contains(byKey[keys[i]], root) {
				byKey[keys[i]] = append(byKey[keys[i]], root)
			}
		}
	}
	byName := make(map[string]int32, n)
	for i := range n {
		if linked[i] {
			continue
		}
		if roots := byKey[keys[i]]; len(roots) == 1 {
			fam[i] = rootFam[roots[0]]
			continue
		}
		f, ok := byName[keys[i]]
		if !ok {
			f = int32(len(drafts))
			byName[keys[i]] = f
			drafts = append(drafts, draft{source: -1})
		}
		fam[i] = f
	}
	keys, byKey, byName, rootFam = nil, nil, nil, nil

	// The members of family f are idx[start[f]:start[f+1]], in registry
	// order (a counting sort), then by environment, name and id.
	nf := len(drafts)
	start := make([]int32, nf+1)
	for _, f := range fam {
		start[f+1]++
	}
	for f := range nf {
		start[f+1] += start[f]
	}
	idx := make([]int32, n)
	next := slices.Clone(start[:nf])
	for i, f := range fam {
		idx[next[f]] = int32(i)
		next[f]++
	}
	shared := &familyModels{models: r.Models, env: env}
	members := make([]familyMembers, nf)
	names := make([]string, nf)
	first := make([]string, nf) // the smallest model id: the tie-break
	for f, d := range drafts {
		m := idx[start[f]:start[f+1]:start[f+1]]
		if len(m) > 1 {
			slices.SortFunc(m, func(a, b int32) int {
				ma, mb := &r.Models[a], &r.Models[b]
				return cmp.Or(cmp.Compare(envRank(env[a]), envRank(env[b])), cmp.Compare(env[a], env[b]),
					cmp.Compare(ma.Name, mb.Name), cmp.Compare(ma.ID, mb.ID))
			})
		}
		members[f] = familyMembers{shared: shared, idx: m}
		switch {
		case !d.lineage:
			names[f] = familyName(display, m, -1)
		case d.source >= 0:
			names[f] = familyName(display, m, d.source)
		}
		for _, i := range m {
			if id := r.Models[i].ID; first[f] == "" || id < first[f] {
				first[f] = id
			}
		}
	}
	display = nil
	lower := make([]string, nf)
	for f, name := range names {
		lower[f] = strings.ToLower(name)
	}
	order := make([]int32, nf)
	for f := range order {
		order[f] = int32(f)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(lower[a], lower[b]), cmp.Compare(names[a], names[b]), cmp.Compare(first[a], first[b]))
	})
	lower = nil
	out := make([]Family, nf)
	kept := sentences{}
	for k, f := range order {
		d := drafts[f]
		out[k] = Family{Name: names[f], Lineage: d.lineage, Models: members[f].each, members: &members[f]}
		if d.lineage && d.source >= 0 {
			out[k].SourceModelID = r.Models[d.source].ID
		}
		if k > 0 && strings.EqualFold(out[k].Name, out[k-1].Name) {
			out[k].Name = fmt.Sprintf("%s (%s)", out[k].Name, first[f][:8])
		}
		out[k].Flags = familyFlags(out[k], lineage, kept)
	}
	return out
}

// envRank is e's place in Environments.
func envRank(e Environment) int {
	if i := slices.Index(Environments, e); i >= 0 {
		return i
	}
	return len(Environments)
}

// familyName is the display name most members share; ties go to the
// source's (src >= 0), then to the alphabetically first.
func familyName(display []string, members []int32, src int) string {
	if len(members) == 1 {
		return display[members[0]]
	}
	count := map[string]int{}
	for _, i := range members {
		count[display[i]]++
	}
	best, bestN := "", 0
	srcName := ""
	if src >= 0 {
		srcName = display[src]
	}
	for name, c := range count {
		if c > bestN || (c == bestN && (name == srcName || (best != srcName && name < best))) {
			best, bestN = name, c
		}
	}
	return best
}

func familyFlags(f Family, lineage map[string]ModelLineage, kept sentences) []FamilyFlag {
	var flags []FamilyFlag
	add := func(flag Flag, format string, args ...any) {
		flags = append(flags, FamilyFlag{flag, kept.keep(fmt.Sprintf(format, args...))})
	}
	prods := f.in(EnvProd)
	builds := f.count(EnvDev) + f.count(EnvTest) + f.count(EnvUAT)
	if len(prods) == 0 && builds > 0 {
		add(FlagNoProduction, "%d development/test model(s) and no production model", builds)
	}
	if len(prods) > 1 {
		add(FlagMultipleProduction, "%d production models: %s", len(prods), modelNames(prods))
	}
	var src ModelLineage
	srcModel, haveSrc := f.model(f.SourceModelID)
	if haveSrc {
		src = lineage[srcModel.ID]
	}
	for _, p := range prods {
		l, ok := lineage[p.ID]
		if !ok || l.Status != LineageOK || p.ID == f.SourceModelID {
			continue
		}
		if haveSrc && src.Status == LineageOK && l.RevisionID != src.RevisionID {
			add(FlagProductionBehind, "%q has revision %q, its development model %q has %q", p.Name, l.RevisionName, srcModel.Name, src.RevisionName)
		}
		// lastModified moves with every save, data as well as structure,
		// and the API has no field that tells them apart (only creating an
		// ALM revision requires structural changes), so the reason says
		// "saved", not "structure changed".
		if mod := p.LastModified.Time; !mod.IsZero() && !l.AppliedOn.IsZero() && mod.Sub(l.AppliedOn) > changedOutsideTolerance {
			add(FlagChangedOutsideALM, "%q was saved %s, after its last revision %q was applied %s (data or structure: the API does not say which)",
				p.Name, mod.UTC().Format(time.DateOnly), l.RevisionName, l.AppliedOn.UTC().Format(time.DateOnly))
		}
	}
	if haveSrc && srcModel.ActiveState == "ARCHIVED" && len(prods) > 0 {
		add(FlagDevelopmentArchived, "development model %q is archived while %s is in production", srcModel.Name, modelNames(prods))
	}
	return flags
}

func modelNames(ms []anaplan.Model) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = fmt.Sprintf("%q", m.Name)
	}
	return strings.Join(names, ", ")
}

// sentences keeps one copy of each reason: most repeat (a workspace's, a
// day's, "1 development/test model(s) and no production model"), and a
// tenant of 100,000 models has as many families and twice as many
// findings.
type sentences map[string]string

func (k sentences) keep(s string) string {
	if kept, ok := k[s]; ok {
		return kept
	}
	k[s] = s
	return s
}
