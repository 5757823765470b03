package emulator

import (
	"fmt"
	"time"
)

// Generate returns a deterministic large tenant for paging tests and
// benchmarks: exactly max(workspaces, 1) workspaces and max(models, 0)
// models, the same users (DemoUser / DemoPassword) and trusted CA as
// Demo(). Workspace 0 is "Admin Tools" (RegistryWorkspaceID) and model 0,
// when there is one, is "Model Registry" (RegistryModelID), so code that
// loads the registry works against either tenant. Models are spread
// round-robin over the workspaces and cycle through every activeState.
// Every fourth model is a development model with ALM lineage into the
// next two (see generateRevisions). 100,000 models take well under a second.
func Generate(workspaces, models int) *Tenant {
	workspaces, models = max(workspaces, 1), max(models, 0)
	t := &Tenant{
		CustomerID: DemoCustomerID,
		Users:      demoUsers(),
		TrustedCAs: [][]byte{DemoCAPEM()},
		Workspaces: make([]Workspace, workspaces),
		Models:     make([]Model, models),
	}
	functions := []string{"Finance", "Sales", "Supply Chain", "HR", "IT", "Marketing"}
	for i := range t.Workspaces {
		w := Workspace{
			ID:     fmt.Sprintf("%016x%016x", mix(1<<59|uint64(i)), mix(1<<58|uint64(i))),
			Name:   fmt.Sprintf("%s Workspace %04d", functions[i%len(functions)], i),
			Active: i%17 != 16,
		}
		if i == 0 {
			w.ID, w.Name, w.Active = RegistryWorkspaceID, "Admin Tools", true
		}
		t.Workspaces[i] = w
	}
	states := []string{"UNLOCKED", "PRODUCTION", "LOCKED", "MAINTENANCE", "PRODUCTION_MAINTENANCE", "ARCHIVED", "ACTIVE"}
	envs := []string{" - DEV", " - TEST", "", " (copy 2024-03)"}
	base := time.Date(2020, 1, 6, 8, 0, 0, 0, time.UTC)
	for i := range t.Models {
		r := mix(1<<57 | uint64(i))
		ws := i % workspaces
		m := Model{
			ID:                    fmt.Sprintf("%016X%016X", mix(1<<62|uint64(i)), mix(1<<61|uint64(i))),
			Name:                  fmt.Sprintf("%s Plan %05d%s", functions[i%len(functions)], i, envs[i%len(envs)]),
			ActiveState:           states[i%len(states)],
			WorkspaceID:           t.Workspaces[ws].ID,
			MemoryUsage:           50*mib + int64(r%(8<<30)),
			LastSavedSerialNumber: 2000000 + int64(r%500000),
			LastModifiedByUserID:  t.Users[i%len(t.Users)].ID,
			Created:               base.Add(time.Duration(i) * 37 * time.Minute),
			CategoryValues:        []CategoryValue{demoCategory("Business Function", functions[i%len(functions)])},
		}
		m.LastModified = m.Created.Add(time.Duration(r%(400*24)) * time.Hour)
		if i == 0 {
			m.ID, m.Name, m.ActiveState = RegistryModelID, "Model Registry", "UNLOCKED"
		}
		t.Workspaces[ws].CurrentSize += m.MemoryUsage
		t.Models[i] = m
	}
	for i := range t.Workspaces {
		// Allowance: 25% headroom rounded up to whole GiB, at least 1 GiB.
		gib := int64(1 << 30)
		t.Workspaces[i].SizeAllowance = max(1, (t.Workspaces[i].CurrentSize*5/4+gib-1)/gib) * gib
	}
	t.Revisions = generateRevisions(t.Models)
	return t
}

// mix is SplitMix64's finalizer: a cheap bijection that turns counters
// into well-spread, deterministic IDs (distinct inputs, distinct outputs).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
