package emulator

import (
	"cmp"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
)

// store holds the tenant, indexed, and the auth service's mutable state:
// token sessions and certificate nonces, guarded by the emulator's one
// state mutex (mu, shared with the bulk API) and persisted through the one
// state directory (state_files.go). Methods return copies, so handlers
// never see shared slices.
//
// The tenant index has its own lock, tmu: reads take it shared; the few
// changes (a model saved by ALM, bulk delete, Emulator.Advance replacing
// the tenant) take it alone. Nothing else is locked while it is held.
type store struct {
	mu    *sync.Mutex // the emulator's state mutex, shared with bulk
	log   *slog.Logger
	state stateDir

	customerID string // the same on every day of the tenant

	// Tenant, indexed, under tmu. Slices keep the tenant's order, which is
	// the order of list responses without a sort parameter.
	tmu           sync.RWMutex
	users         []User
	userByID      map[string]int
	userByEmail   map[string]int // lowercased email
	workspaces    []Workspace
	workspaceByID map[string]int
	wsNameKey     []string // lowercased names, for sorting
	models        []Model
	modelByID     map[string]int
	modelNameKey  []string           // lowercased names, for sorting
	modelsInWS    map[string][]int   // workspace ID -> model indexes
	noAccess      map[[2]string]bool // {modelID, userID} -> NO ACCESS role

	// What the API changed in the tenant, under tmu: replaceTenant applies
	// it again to the tenant moved on (state_store_advance.go).
	deleted map[string]bool       // model IDs removed by bulk delete
	saves   map[string]modelSaves // model ID -> saves by ALM calls

	// Mutable state.
	sessions map[tokenKey]session   // by hash of the token value
	nonces   map[[32]byte]time.Time // v2 certificate nonces seen, until expiry
}

func newStore(t *Tenant, mu *sync.Mutex, state stateDir, log *slog.Logger) (*store, error) {
	s := &store{
		mu:         mu,
		log:        log,
		state:      state,
		customerID: t.CustomerID,
		deleted:    make(map[string]bool),
		saves:      make(map[string]modelSaves),
		sessions:   make(map[tokenKey]session),
		nonces:     make(map[[32]byte]time.Time),
	}
	s.index(t)
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("emulator: state dir %s: %w", state.path, err)
	}
	return s, nil
}

// index makes t the tenant served; the caller holds tmu (or is newStore).
func (s *store) index(t *Tenant) {
	s.users = t.Users
	s.userByID = make(map[string]int, len(t.Users))
	s.userByEmail = make(map[string]int, len(t.Users))
	s.workspaces = t.Workspaces
	s.workspaceByID = make(map[string]int, len(t.Workspaces))
	s.wsNameKey = make([]string, len(t.Workspaces))
	s.noAccess = make(map[[2]string]bool)
	for i, u := range t.Users {
		s.userByID[u.ID] = i
		s.userByEmail[strings.ToLower(u.Email)] = i
	}
	for i, w := range t.Workspaces {
		s.workspaceByID[w.ID] = i
		s.wsNameKey[i] = strings.ToLower(w.Name)
	}
	s.indexModels(t.Models)
}

// indexModels makes models the tenant's; the caller holds tmu.
func (s *store) indexModels(models []Model) {
	s.models = models
	s.modelByID = make(map[string]int, len(models))
	s.modelNameKey = make([]string, len(models))
	s.modelsInWS = make(map[string][]int, len(s.workspaces))
	clear(s.noAccess)
	for i, m := range models {
		s.modelByID[m.ID] = i
		s.modelNameKey[i] = strings.ToLower(m.Name)
		s.modelsInWS[m.WorkspaceID] = append(s.modelsInWS[m.WorkspaceID], i)
		for _, u := range m.NoAccessUserIDs {
			s.noAccess[[2]string{m.ID, u}] = true
		}
	}
}

func (s *store) user(id string) (User, bool) {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	i, ok := s.userByID[id]
	if !ok {
		return User{}, false
	}
	return s.users[i], true
}

func (s *store) userByLogin(email string) (User, bool) {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	i, ok := s.userByEmail[strings.ToLower(email)]
	if !ok {
		return User{}, false
	}
	return s.users[i], true
}

func (s *store) workspace(id string) (Workspace, bool) {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	i, ok := s.workspaceByID[id]
	if !ok {
		return Workspace{}, false
	}
	return s.workspaces[i], true
}

// listWorkspaces returns one page of workspaces matching filter, in keys
// order, and the total number that match.
func (s *store) listWorkspaces(filter *regexp.Regexp, keys []sortKey, p pageRequest) ([]Workspace, int) {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	idx := make([]int, 0, len(s.workspaces))
	for i, w := range s.workspaces {
		if filter == nil || filter.MatchString(w.Name) {
			idx = append(idx, i)
		}
	}
	sortBy(idx, keys, func(a, b int, field string) int {
		if field == "sizeAllowance" {
			return cmp.Compare(s.workspaces[a].SizeAllowance, s.workspaces[b].SizeAllowance)
		}
		return cmp.Or(cmp.Compare(s.wsNameKey[a], s.wsNameKey[b]), cmp.Compare(s.workspaces[a].Name, s.workspaces[b].Name))
	})
	lo, hi := p.window(len(idx))
	page := make([]Workspace, 0, hi-lo)
	for _, i := range idx[lo:hi] {
		page = append(page, s.workspaces[i])
	}
	return page, len(idx)
}

// modelRow is a model with its workspace's name, as the API shows it.
type modelRow struct {
	Model
	WorkspaceName string
}

func (s *store) model(id string) (modelRow, bool) {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	i, ok := s.modelByID[id]
	if !ok {
		return modelRow{}, false
	}
	return s.row(i), true
}

// row is model i with its workspace's name; the caller holds tmu.
func (s *store) row(i int) modelRow {
	m := s.models[i]
	return modelRow{Model: m, WorkspaceName: s.workspaces[s.workspaceByID[m.WorkspaceID]].Name}
}

// canAccess reports whether the user holds a model role other than NO ACCESS.
func (s *store) canAccess(modelID, userID string) bool {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	return !s.noAccess[[2]string{modelID, userID}]
}

// listModels returns one page of the models of a workspace (all models when
// workspaceID is ""), matching filter, in keys order, and the total that match.
func (s *store) listModels(workspaceID string, filter *regexp.Regexp, keys []sortKey, p pageRequest) ([]modelRow, int) {
	s.tmu.RLock()
	defer s.tmu.RUnlock()
	var idx []int
	if workspaceID != "" {
		idx = append(idx, s.modelsInWS[workspaceID]...)
	} else {
		idx = make([]int, len(s.models))
		for i := range idx {
			idx[i] = i
		}
	}
	if filter != nil {
		kept := idx[:0]
		for _, i := range idx {
			if filter.MatchString(s.models[i].Name) {
				kept = append(kept, i)
			}
		}
		idx = kept
	}
	sortBy(idx, keys, func(a, b int, field string) int {
		if field == "activeState" {
			return cmp.Compare(s.models[a].ActiveState, s.models[b].ActiveState)
		}
		return cmp.Or(cmp.Compare(s.modelNameKey[a], s.modelNameKey[b]), cmp.Compare(s.models[a].Name, s.models[b].Name))
	})
	lo, hi := p.window(len(idx))
	page := make([]modelRow, 0, hi-lo)
	for _, i := range idx[lo:hi] {
		page = append(page, s.row(i))
	}
	return page, len(idx)
}
