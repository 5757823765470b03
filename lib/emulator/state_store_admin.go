package emulator

import (
	"cmp"
	"slices"
	"strings"
)

// Store reads and changes behind the user routes and bulk delete of
// models.

// allUsers returns the tenant's users in tenant order.
func (s *store) allUsers() []User {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	return slices.Clone(s.users)
}

// allWorkspaces returns the tenant's workspaces in tenant order.
func (s *store) allWorkspaces() []Workspace {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	return slices.Clone(s.workspaces)
}

// modelsAccessibleBy returns the models the user holds a role on.
func (s *store) modelsAccessibleBy(userID string) []modelRow {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	var out []modelRow
	for i, m := range s.models {
		if !s.noAccess[[2]string{m.ID, userID}] {
			out = append(out, s.row(i))
		}
	}
	return out
}

// deleteModel removes a model from the tenant and rebuilds the model
// indexes (bulk delete is rare; O(models) is fine). The deletion is not
// persisted: the tenant is configuration, restored by New. It holds when
// Advance moves the tenant on.
func (s *store) deleteModel(id string) {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	i, ok := s.modelByID[id]
	if !ok {
		return
	}
	s.deleted[id] = true
	s.indexModels(slices.Delete(slices.Clone(s.models), i, i+1))
}

// sortUsers orders users by validated sort keys (firstName, lastName,
// email, active, lastLoginDate).
func sortUsers(users []User, keys []sortKey) []User {
	idx := make([]int, len(users))
	for i := range idx {
		idx[i] = i
	}
	sortBy(idx, keys, func(a, b int, field string) int {
		ua, ub := users[a], users[b]
		switch field {
		case "firstName":
			return cmp.Compare(strings.ToLower(ua.FirstName), strings.ToLower(ub.FirstName))
		case "lastName":
			return cmp.Compare(strings.ToLower(ua.LastName), strings.ToLower(ub.LastName))
		case "email":
			return cmp.Compare(strings.ToLower(ua.Email), strings.ToLower(ub.Email))
		case "active":
			return cmp.Compare(boolInt(ua.Active), boolInt(ub.Active))
		default:
			return ua.LastLoginDate.Compare(ub.LastLoginDate)
		}
	})
	out := make([]User, len(users))
	for i, j := range idx {
		out[i] = users[j]
	}
	return out
}
