package history

import (
	"time"
)

// Run is one recorded registry run.
type Run struct {
	ID         int64     `json:"id"`     // increasing with time
	Tenant     string    `json:"tenant"` // the tenant's key, as given to Record (registry.Tenant)
	TakenAt    time.Time `json:"takenAt"`
	Workspaces int       `json:"workspaces"`
	Models     int       `json:"models"`
}

// Workspace is a workspace as one run saw it. Sizes are bytes.
type Workspace struct {
	ID            string
	Name          string
	Active        bool
	SizeAllowance int64 // 0 when Anaplan did not say
	CurrentSize   int64
}

// Model is a model as one run saw it: identity and classification, which
// change rarely, and activity (size, last save), which changes often.
type Model struct {
	ID              string
	Name            string
	WorkspaceID     string
	ActiveState     string
	CreatedAt       string // RFC 3339, or empty
	Environment     string
	EnvironmentRule string
	Family          string
	ALMStatus       string // e.g. "in-sync", "behind"; empty without ALM
	ALM             string // what ALM said of the model, as JSON; empty without ALM

	MemoryUsage     int64  // bytes
	LastModified    string // RFC 3339, or empty
	LastSavedSerial string
}

// identity is the part of a model stored in model_versions.
type identity struct {
	name, workspaceID, activeState, createdAt string
	environment, environmentRule, family      string
	almStatus, alm                            string
}

// activity is the part of a model stored in model_activity.
type activity struct {
	memoryUsage     int64
	lastModified    string
	lastSavedSerial string
}

func (m Model) identity() identity {
	return identity{m.Name, m.WorkspaceID, m.ActiveState, m.CreatedAt,
		m.Environment, m.EnvironmentRule, m.Family, m.ALMStatus, m.ALM}
}

func (m Model) activity() activity {
	return activity{m.MemoryUsage, m.LastModified, m.LastSavedSerial}
}

func modelOf(id string, i identity, a activity) Model {
	return Model{
		ID: id, Name: i.name, WorkspaceID: i.workspaceID, ActiveState: i.activeState,
		CreatedAt: i.createdAt, Environment: i.environment, EnvironmentRule: i.environmentRule,
		Family: i.family, ALMStatus: i.almStatus, ALM: i.alm,
		MemoryUsage: a.memoryUsage, LastModified: a.lastModified, LastSavedSerial: a.lastSavedSerial,
	}
}

// Snapshot is the tenant as one run saw it, sorted by id.
type Snapshot struct {
	Run        Run
	Workspaces []Workspace
	Models     []Model
}

// Workspace returns the snapshot's workspace with that id.
func (s Snapshot) Workspace(id string) (Workspace, bool) {
	for _, w := range s.Workspaces {
		if w.ID == id {
			return w, true
		}
	}
	return Workspace{}, false
}
