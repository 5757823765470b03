package registry

import (
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// OrganiseOptions shape Organise. The zero value uses the built-in rules,
// names only (no lineage) and the wall clock. How full a workspace must be
// for its models to be flagged is no option: the summary and the report
// use the same thresholds (NearAllowancePercent, NearlyFullPercent).
type OrganiseOptions struct {
	// Rules classify models into environments; nil means DefaultRules().
	Rules []Rule
	// Lineage is what ReadLineage learnt; nil groups families by name only.
	Lineage map[string]ModelLineage
	// Now is the hygiene clock; zero means time.Now().
	Now time.Time
	// StaleAfter (default 180 days) flags any model not modified since;
	// IdleAfter (default 90 days) flags dev, test and UAT copies.
	StaleAfter, IdleAfter time.Duration
}

func (o OrganiseOptions) withDefaults() OrganiseOptions {
	if o.Rules == nil {
		o.Rules = DefaultRules()
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = defaultStaleAfter
	}
	if o.IdleAfter <= 0 {
		o.IdleAfter = defaultIdleAfter
	}
	return o
}

// Placement is where one model sits in the organisation.
type Placement struct {
	Environment Environment
	Rule        string // why: the rule that gave the environment
	Family      string // the family's name
}

// Organisation is the tenant organised: every model's environment and
// family, the families with their flags, and the hygiene list.
type Organisation struct {
	// Models are the placements of the registry's models, in its order.
	Models   []Placement
	Families []Family
	Hygiene  []Finding
	// Lineage is true when ALM lineage was used.
	Lineage bool
}

// Organise classifies every model, groups them into families, flags the
// families and lists what an admin should look at. The registry keeps the
// result: WriteFiles and the frames show it.
func (r *Registry) Organise(opts OrganiseOptions) *Organisation {
	o := opts.withDefaults()
	env := make([]Environment, len(r.Models))
	org := &Organisation{Models: make([]Placement, len(r.Models)), Lineage: o.Lineage != nil}
	for i, m := range r.Models {
		e, why := classify(o.Rules, m, r.workspaceName(m))
		env[i] = e
		org.Models[i] = Placement{Environment: e, Rule: why}
	}
	org.Families = buildFamilies(r, env, o.Lineage)
	family := make([]int, len(r.Models))
	for fi, f := range org.Families {
		for _, i := range f.members.idx {
			family[i] = fi
			org.Models[i].Family = f.Name
		}
	}
	org.Hygiene = hygiene(r, env, family, org.Families, o.Lineage, o)
	r.org = org
	return org
}

// Organisation returns the organisation Organise made last, or one by the
// built-in rules and names alone when Organise was not called.
func (r *Registry) Organisation() *Organisation {
	if r.org == nil || len(r.org.Models) != len(r.Models) {
		r.Organise(OrganiseOptions{})
	}
	return r.org
}

// FamilyOf returns the family a model belongs to.
func (o *Organisation) FamilyOf(m anaplan.Model) (Family, bool) {
	for _, f := range o.Families {
		if _, ok := f.model(m.ID); ok {
			return f, true
		}
	}
	return Family{Models: FamilyModels(FamilyModels(nil).all())}, false // ranges as no models, like the map it replaced
}
