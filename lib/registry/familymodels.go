package registry

import (
	"iter"
	"slices"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// FamilyModels yields a family's models environment by environment, in
// the order of Environments, each environment's models by name, then id:
//
//	for env, models := range f.Models { ... }
//
// The models yielded are copies, made as they are asked for: a family
// holds only where its models sit in the registry.
type FamilyModels func(yield func(Environment, []anaplan.Model) bool)

// String lists the models' names by environment, the way a map of them
// prints.
func (fm FamilyModels) String() string {
	var b strings.Builder
	b.WriteString("map[")
	sep := ""
	for env, ms := range fm.all() {
		b.WriteString(sep + string(env) + ":[")
		for i, m := range ms {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(m.Name)
		}
		b.WriteByte(']')
		sep = " "
	}
	b.WriteByte(']')
	return b.String()
}

// all is fm as an iterator that yields nothing when fm is nil (a Family's
// zero value).
func (fm FamilyModels) all() iter.Seq2[Environment, []anaplan.Model] {
	if fm == nil {
		return func(func(Environment, []anaplan.Model) bool) {}
	}
	return iter.Seq2[Environment, []anaplan.Model](fm)
}

// familyModels is what every family of one organisation shares: the
// registry's models and their environments.
type familyModels struct {
	models []anaplan.Model
	env    []Environment
}

// familyMembers are a family's models as indices into the shared models,
// ordered by environment (Environments order), name and id.
type familyMembers struct {
	shared *familyModels
	idx    []int32
}

// each is the family's FamilyModels.
func (fm *familyMembers) each(yield func(Environment, []anaplan.Model) bool) {
	for lo := 0; lo < len(fm.idx); {
		e := fm.shared.env[fm.idx[lo]]
		hi := lo + 1
		for hi < len(fm.idx) && fm.shared.env[fm.idx[hi]] == e {
			hi++
		}
		if !yield(e, fm.copy(lo, hi)) {
			return
		}
		lo = hi
	}
}

// run is where the models of environment e are in idx: idx[lo:hi].
func (fm *familyMembers) run(e Environment) (lo, hi int) {
	lo = slices.IndexFunc(fm.idx, func(i int32) bool { return fm.shared.env[i] == e })
	if lo < 0 {
		return 0, 0
	}
	hi = lo + 1
	for hi < len(fm.idx) && fm.shared.env[fm.idx[hi]] == e {
		hi++
	}
	return lo, hi
}

// in returns copies of the models in environment e, by name.
func (fm *familyMembers) in(e Environment) []anaplan.Model {
	lo, hi := fm.run(e)
	if lo == hi {
		return nil
	}
	return fm.copy(lo, hi)
}

func (fm *familyMembers) copy(lo, hi int) []anaplan.Model {
	ms := make([]anaplan.Model, hi-lo)
	for k := range ms {
		ms[k] = fm.shared.models[fm.idx[lo+k]]
	}
	return ms
}
