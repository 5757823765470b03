package emulator

import (
	"slices"
	"time"
)

// modelSaves counts the saves the API made to a model (an ALM revision or
// sync): replaceTenant adds them to the model of the tenant moved on, so
// that a later day never undoes what a client did.
type modelSaves struct {
	count int64
	last  time.Time
}

func (v modelSaves) add(at time.Time) modelSaves {
	v.count++
	if at.After(v.last) {
		v.last = at
	}
	return v
}

// applyTo gives m n more saves, the latest at v.last.
func (v modelSaves) applyTo(m *Model, n int64) {
	m.LastSavedSerialNumber += n
	if v.last.After(m.LastModified) {
		m.LastModified = v.last
	}
}

// replaceTenant serves t instead of the tenant indexed now, keeping what
// the API changed: models deleted stay deleted, saves stay counted. The
// users and the customer are Advance's to keep the same.
func (s *store) replaceTenant(t *Tenant) {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	t.Models = slices.DeleteFunc(t.Models, func(m Model) bool { return s.deleted[m.ID] })
	for i := range t.Models {
		if v, ok := s.saves[t.Models[i].ID]; ok {
			v.applyTo(&t.Models[i], v.count)
		}
	}
	s.index(t)
}
