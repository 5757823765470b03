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

// store holds the tenant, indexed once and never changed afterwards (so
// its reads take no lock), and the auth service's mutable state: token
// sessions and certificate nonces, guarded by the emulator's one state
// mutex (mu, shared with the bulk API) and persisted through the one
// state directory (state_files.go). Methods return copies, so handlers
// never see shared slices.
type store struct {
	mu    *sync.Mutex // the emulator's state mutex, shared with bulk
	log   *slog.Logger
	state stateDir

	// Tenant, indexed. Slices keep the tenant's order, which is the order
	// of list responses without a sort parameter.
	customerID    string
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

	// Mutable state.
	sessions map[tokenKey]session   // by hash of the token value
	nonces   map[[32]byte]time.Time // v2 certificate nonces seen, until expiry
}

func newStore(t *Tenant, mu *sync.Mutex, state stateDir, log *slog.Logger) (*store, error) {
	s := &store{
		mu:            mu,
		log:           log,
		state:         state,
		customerID:    t.CustomerID,
		users:         t.Users,
		userByID:      make(map[string]int, len(t.Users)),
		userByEmail:   make(map[string]int, len(t.Users)),
		workspaces:    t.Workspaces,
		workspaceByID: make(map[string]int, len(t.Workspaces)),
		wsNameKey:     make([]string, len(t.Workspaces)),
		models:        t.Models,
		modelByID:     make(map[string]int, len(t.Models)),
		modelNameKey:  make([]string, len(t.Models)),
		modelsInWS:    make(map[string][]int, len(t.Workspaces)),
		noAccess:      make(map[[2]string]bool),
		sessions:      make(map[tokenKey]session),
		nonces:        make(map[[32]byte]time.Time),
	}
	for i, u := range t.Users {
		s.userByID[u.ID] = i
		s.userByEmail[strings.ToLower(u.Email)] = i
	}
	for i, w := range t.Workspaces {
		s.workspaceByID[w.ID] = i
		s.wsNameKey[i] = strings.ToLower(w.Name)
	}
	for i, m := range t.Models {
		s.modelByID[m.ID] = i
		s.modelNameKey[i] = strings.ToLower(m.Name)
		s.modelsInWS[m.WorkspaceID] = append(s.modelsInWS[m.WorkspaceID], i)
		for _, u := range m.NoAccessUserIDs {
			s.noAccess[[2]string{m.ID, u}] = true
		}
	}
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("emulator: state dir %s: %w", state.path, err)
	}
	return s, nil
}

func (s *store) user(id string) (User, bool) {
	i, ok := s.userByID[id]
	if !ok {
		return User{}, false
	}
	return s.users[i], true
}

func (s *store) userByLogin(email string) (User, bool) {
	i, ok := s.userByEmail[strings.ToLower(email)]
	if !ok {
		return User{}, false
	}
	return s.users[i], true
}

func (s *store) workspace(id string) (Workspace, bool) {
	i, ok := s.workspaceByID[id]
	if !ok {
		return Workspace{}, false
	}
	return s.workspaces[i], true
}

// listWorkspaces returns one page of workspaces matching filter, in keys
// order, and the total number that match.
func (s *store) listWorkspaces(filter *regexp.Regexp, keys []sortKey, p pageRequest) ([]Workspace, int) {
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
	i, ok := s.modelByID[id]
	if !ok {
		return modelRow{}, false
	}
	return s.row(i), true
}

func (s *store) row(i int) modelRow {
	m := s.models[i]
	return modelRow{Model: m, WorkspaceName: s.workspaces[s.workspaceByID[m.WorkspaceID]].Name}
}

// canAccess reports whether the user holds a model role other than NO ACCESS.
func (s *store) canAccess(modelID, userID string) bool {
	return !s.noAccess[[2]string{modelID, userID}]
}

// listModels returns one page of the models of a workspace (all models when
// workspaceID is ""), matching filter, in keys order, and the total that match.
func (s *store) listModels(workspaceID string, filter *regexp.Regexp, keys []sortKey, p pageRequest) ([]modelRow, int) {
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
