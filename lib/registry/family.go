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
	// Models are the family's models by environment, by name.
	Models map[Environment][]anaplan.Model
	Flags  []FamilyFlag
}

// Size is the number of models in the family.
func (f Family) Size() int {
	n := 0
	for _, ms := range f.Models {
		n += len(ms)
	}
	return n
}

// HasFlag reports whether the family carries flag.
func (f Family) HasFlag(flag Flag) bool {
	return slices.ContainsFunc(f.Flags, func(ff FamilyFlag) bool { return ff.Flag == flag })
}

// changedOutsideTolerance is how long after a sync a production model may
// be saved and still count as saved by the sync itself.
const changedOutsideTolerance = time.Minute

// buildFamilies groups the registry's models (env[i] the environment of
// r.Models[i]) into families and flags them.
func buildFamilies(r *Registry, env []Environment, lineage map[string]ModelLineage) []Family {
	n := len(r.Models)
	index := make(map[string]int, n)
	for i, m := range r.Models {
		index[m.ID] = i
	}
	// Union-find over lineage: a model, its source and the revision's holders.
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
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
	source := make(map[int]int) // root -> source model index, once known
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
	groups := map[int][]int{}
	for i := range r.Models {
		if linked[i] {
			groups[find(i)] = append(groups[find(i)], i)
		}
	}
	for root, members := range groups {
		for _, i := range members {
			l := lineage[r.Models[i].ID]
			if s, ok := index[l.SourceModelID]; ok && l.Status == LineageOK {
				source[root] = s
				break
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
	names := map[string][]int{}
	for i := range r.Models {
		if linked[i] {
			continue
		}
		if roots := byKey[keys[i]]; len(roots) == 1 {
			groups[roots[0]] = append(groups[roots[0]], i)
			continue
		}
		names[keys[i]] = append(names[keys[i]], i)
	}

	var out []Family
	for root, members := range groups {
		f := newFamily(r, env, members)
		f.Lineage = true
		if s, ok := source[root]; ok {
			f.SourceModelID = r.Models[s].ID
			f.Name = familyName(display, members, s)
		}
		out = append(out, f)
	}
	for _, members := range names {
		f := newFamily(r, env, members)
		f.Name = familyName(display, members, -1)
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Family) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name),
			cmp.Compare(firstID(a), firstID(b)))
	})
	for i := range out {
		if i > 0 && strings.EqualFold(out[i].Name, out[i-1].Name) {
			out[i].Name = fmt.Sprintf("%s (%s)", out[i].Name, firstID(out[i])[:8])
		}
		out[i].Flags = familyFlags(out[i], lineage)
	}
	return out
}

func firstID(f Family) string {
	id := ""
	for _, ms := range f.Models {
		for _, m := range ms {
			if id == "" || m.ID < id {
				id = m.ID
			}
		}
	}
	return id
}

func newFamily(r *Registry, env []Environment, members []int) Family {
	f := Family{Models: map[Environment][]anaplan.Model{}}
	for _, i := range members {
		f.Models[env[i]] = append(f.Models[env[i]], r.Models[i])
	}
	for _, ms := range f.Models {
		slices.SortFunc(ms, func(a, b anaplan.Model) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	}
	return f
}

// familyName is the display name most members share; ties go to the
// source's (src >= 0), then to the alphabetically first.
func familyName(display []string, members []int, src int) string {
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

func familyFlags(f Family, lineage map[string]ModelLineage) []FamilyFlag {
	var flags []FamilyFlag
	add := func(flag Flag, format string, args ...any) {
		flags = append(flags, FamilyFlag{flag, fmt.Sprintf(format, args...)})
	}
	prods := f.Models[EnvProd]
	builds := len(f.Models[EnvDev]) + len(f.Models[EnvTest]) + len(f.Models[EnvUAT])
	if len(prods) == 0 && builds > 0 {
		add(FlagNoProduction, "%d development/test model(s) and no production model", builds)
	}
	if len(prods) > 1 {
		add(FlagMultipleProduction, "%d production models: %s", len(prods), modelNames(prods))
	}
	var src ModelLineage
	var srcModel anaplan.Model
	haveSrc := false
	for _, ms := range f.Models {
		for _, m := range ms {
			if m.ID == f.SourceModelID {
				srcModel, src, haveSrc = m, lineage[m.ID], true
			}
		}
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
