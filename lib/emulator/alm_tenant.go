package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Revision is an ALM revision (anaplan-api.md §13): created in one model,
// its source (the development model), and applied by syncs to others.
// A model's revision history is the revisions created in it and the ones
// applied to it; its latest revision is the last of them by date.
type Revision struct {
	ID             string // 32 uppercase hex digits
	ModelID        string // the source model the revision was created in
	Name           string // at most 60 characters
	Description    string // at most 250 characters
	CreatedOn      time.Time
	CreatedBy      string // the creator's login
	CreationMethod string // "user" unless set
	// Applied are the syncs that applied the revision to other models.
	Applied []RevisionApplied
}

// RevisionApplied records one sync of a revision into a target model.
type RevisionApplied struct {
	ModelID   string
	AppliedOn time.Time
	AppliedBy string // the login of who ran the sync
}

// validateRevisions checks the tenant's ALM lineage: known models, unique
// well-formed IDs, the documented length limits, and no sync before the
// revision existed.
func (t *Tenant) validateRevisions() error {
	models := make(map[string]bool, len(t.Models))
	for _, m := range t.Models {
		models[m.ID] = true
	}
	seen := make(map[string]bool, len(t.Revisions))
	for _, r := range t.Revisions {
		switch {
		case !upperHex32.MatchString(r.ID):
			return fmt.Errorf("revision %q: ID %q: want 32 uppercase hex digits", r.Name, r.ID)
		case seen[r.ID]:
			return fmt.Errorf("revision %q: duplicate ID %s", r.Name, r.ID)
		case !models[r.ModelID]:
			return fmt.Errorf("revision %q: source model %q is not in the tenant", r.Name, r.ModelID)
		case r.Name == "" || len([]rune(r.Name)) > 60 || len([]rune(r.Description)) > 250:
			return fmt.Errorf("revision %q: name must have 1-60 characters, description at most 250", r.Name)
		}
		seen[r.ID] = true
		for _, a := range r.Applied {
			if !models[a.ModelID] || a.ModelID == r.ModelID {
				return fmt.Errorf("revision %q: applied to %q, which is not another tenant model", r.Name, a.ModelID)
			}
			if a.AppliedOn.Before(r.CreatedOn) {
				return fmt.Errorf("revision %q: applied to %s before it was created", r.Name, a.ModelID)
			}
		}
	}
	return nil
}

func cloneRevisions(rs []Revision) []Revision {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Applied = slices.Clone(out[i].Applied)
	}
	return out
}

// DemoFamily is what the demo tenant was built to show about one
// application: its models by environment and the problems an admin should
// see. Tests compare the registry's families against DemoFamilies.
type DemoFamily struct {
	Name string
	// Models maps an environment (dev, test, uat, prod, sandbox, archive)
	// to the names of the family's models in it.
	Models map[string][]string
	// Lineage is true when the family comes from ALM, false when only
	// names tie its models together.
	Lineage bool
	// Flags are the family's problems: "no-production", "multiple-production",
	// "production-behind", "changed-outside-alm", "development-archived".
	Flags []string
}

// demoLineage is the demo tenant's ALM history, by model name: each source
// development model, how many revisions it has, and the targets with the
// revision (1-based) last applied to them. outside marks a target changed
// after its last sync.
var demoLineage = []struct {
	source    string
	revisions int
	targets   []demoTarget
}{
	// In sync: test and production have the latest revision.
	{"FP&A Planning - DEV", 3, []demoTarget{{name: "FP&A Planning - TEST", rev: 3}, {name: "FP&A Planning", rev: 3}}},
	{"Budget, Forecast & Actuals - DEV", 2, []demoTarget{{name: "Budget, Forecast & Actuals", rev: 2}}},
	// Production two revisions behind development; test is current.
	{"Sales Capacity - DEV", 4, []demoTarget{{name: "Sales Capacity - TEST", rev: 4}, {name: "Sales Capacity", rev: 2}}},
	// Production changed outside ALM after its last sync.
	{"Demand Planning - DEV", 2, []demoTarget{{name: "Demand Planning - TEST", rev: 2}, {name: "Demand Planning", rev: 2, outside: true}}},
	// Two production copies of one development model.
	{"Workforce Planning - DEV", 1, []demoTarget{{name: "Workforce Planning - TEST", rev: 1}, {name: "Workforce Planning", rev: 1},
		{name: "HR Compensation Planning (Restricted)", rev: 1}}},
	// A development model nobody deployed.
	{"Consolidation - DEV", 1, nil},
	// Development archived, production still live.
	{"Supply Planning 2023", 2, []demoTarget{{name: "S&OP Executive Review", rev: 2}}},
}

type demoTarget struct {
	name    string
	rev     int
	outside bool
}

// DemoFamilies is the demo tenant's intended organisation: every family
// of two or more models, and each lone model with a flag. A lineage
// family is named by the cleaned name most of its models share (ties: its
// source's).
func DemoFamilies() []DemoFamily {
	return []DemoFamily{
		{Name: "FP&A Planning", Lineage: true, Models: map[string][]string{
			"dev": {"FP&A Planning - DEV"}, "test": {"FP&A Planning - TEST"}, "prod": {"FP&A Planning"},
			"archive": {"FP&A Planning (copy 2024-03)", "FP&A Planning 2019"}, "sandbox": {"Copy of Copy of FP&A Planning"}}},
		{Name: "Budget, Forecast & Actuals", Lineage: true, Models: map[string][]string{
			"dev": {"Budget, Forecast & Actuals - DEV"}, "prod": {"Budget, Forecast & Actuals"}}},
		{Name: "Sales Capacity", Lineage: true, Flags: []string{"production-behind"}, Models: map[string][]string{
			"dev": {"Sales Capacity - DEV"}, "test": {"Sales Capacity - TEST"}, "prod": {"Sales Capacity"},
			"archive": {"Sales Capacity (copy 2024-03)", "Sales Capacity 2019"}}},
		{Name: "Demand Planning", Lineage: true, Flags: []string{"changed-outside-alm"}, Models: map[string][]string{
			"dev": {"Demand Planning - DEV"}, "test": {"Demand Planning - TEST"}, "prod": {"Demand Planning"}}},
		{Name: "Workforce Planning", Lineage: true, Flags: []string{"multiple-production"}, Models: map[string][]string{
			"dev": {"Workforce Planning - DEV"}, "test": {"Workforce Planning - TEST"},
			"prod": {"HR Compensation Planning (Restricted)", "Workforce Planning"}}},
		{Name: "Consolidation", Lineage: true, Flags: []string{"no-production"}, Models: map[string][]string{
			"dev": {"Consolidation - DEV"}, "archive": {"Legacy Consolidation"}}},
		{Name: "Supply Planning", Lineage: true, Flags: []string{"development-archived"}, Models: map[string][]string{
			"archive": {"Supply Planning 2023"}, "prod": {"S&OP Executive Review"}}},
		{Name: "Capex Planning", Models: map[string][]string{"uat": {"Capex Planning - UAT"}, "prod": {"Capex Planning"}}},
		{Name: `Incentive Comp "ICM"`, Flags: []string{"no-production"}, Models: map[string][]string{"dev": {`Incentive Comp "ICM" - DEV`}}},
	}
}

// demoRevisions builds the demo lineage on the demo models: revisions a
// week apart ending ten days before the family's earliest modification, so
// every sync happens after its revision and no later than its target's
// last change (exactly at it, or nine days before it for an "outside"
// target).
func demoRevisions(models []Model, users []User) []Revision {
	byName := make(map[string]Model, len(models))
	for _, m := range models {
		byName[m.Name] = m
	}
	var out []Revision
	for _, l := range demoLineage {
		src := byName[l.source]
		end := src.LastModified
		for _, t := range l.targets {
			end = minTime(end, byName[t.name].LastModified)
		}
		end = end.Add(-10 * 24 * time.Hour)
		first := len(out)
		for k := 1; k <= l.revisions; k++ {
			out = append(out, Revision{
				ID:             demoRevisionID(src.ID, k),
				ModelID:        src.ID,
				Name:           fmt.Sprintf("Release %d.0", k),
				Description:    fmt.Sprintf("%s: release %d", strings.TrimSuffix(l.source, " - DEV"), k),
				CreatedOn:      end.Add(-time.Duration(l.revisions-k) * 7 * 24 * time.Hour),
				CreatedBy:      users[k%len(users)].Email,
				CreationMethod: "user",
			})
		}
		for _, t := range l.targets {
			m := byName[t.name]
			on := m.LastModified
			if t.outside {
				on = on.Add(-9 * 24 * time.Hour)
			}
			r := &out[first+t.rev-1]
			r.Applied = append(r.Applied, RevisionApplied{ModelID: m.ID, AppliedOn: on, AppliedBy: users[0].Email})
		}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// demoRevisionID derives the k-th revision ID of a source model.
func demoRevisionID(modelID string, k int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("anaplan-emulator/revision/%s/%d", modelID, k)))
	return strings.ToUpper(hex.EncodeToString(sum[:16]))
}

// generateRevisions gives a generated tenant lineage: every model i with
// i%4 == 0 is a source with three revisions, model i+1 (its "- TEST")
// gets the latest and model i+2 (production) the latest, or the first
// for every third family (behind).
func generateRevisions(models []Model) []Revision {
	var out []Revision
	for i := 1; i+2 < len(models); i++ {
		if i%4 != 0 {
			continue
		}
		src := models[i]
		base := src.Created.Add(24 * time.Hour)
		for k := 1; k <= 3; k++ {
			r := Revision{ID: demoRevisionID(src.ID, k), ModelID: src.ID, Name: fmt.Sprintf("Release %d.0", k),
				CreatedOn: base.Add(time.Duration(k) * time.Hour), CreatedBy: DemoUser, CreationMethod: "user"}
			test, prod := models[i+1], models[i+2]
			if k == 3 {
				r.Applied = append(r.Applied, RevisionApplied{ModelID: test.ID, AppliedOn: maxTime(r.CreatedOn, test.LastModified), AppliedBy: DemoUser})
			}
			if (k == 3 && i%12 != 0) || (k == 1 && i%12 == 0) {
				r.Applied = append(r.Applied, RevisionApplied{ModelID: prod.ID, AppliedOn: maxTime(r.CreatedOn, prod.LastModified), AppliedBy: DemoUser})
			}
			out = append(out, r)
		}
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
