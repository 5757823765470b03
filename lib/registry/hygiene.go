package registry

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Check names one hygiene check.
type Check string

// The hygiene checks, in the order the list shows them.
const (
	CheckWorkspaceOver       Check = "workspace-over-allowance" // above its allowance (AllowanceOver)
	CheckWorkspaceNearlyFull Check = "workspace-nearly-full"    // at NearlyFullPercent (90%) or more
	CheckWorkspaceNear       Check = "workspace-near-allowance" // at NearAllowancePercent (75%, Anaplan's amber warning) or more
	CheckDuplicateName       Check = "duplicate-name"           // two models with one name in one workspace
	CheckNoAccess            Check = "no-access"                // the user cannot open the model
	CheckProductionOrphan    Check = "production-orphan"        // production state outside any production family
	CheckArchiveCandidate    Check = "archive-candidate"        // dev/test/uat untouched for IdleAfter
	CheckStale               Check = "stale"                    // not modified for StaleAfter
	defaultStaleAfter              = 180 * 24 * time.Hour
	defaultIdleAfter               = 90 * 24 * time.Hour
)

var checkOrder = []Check{CheckWorkspaceOver, CheckWorkspaceNearlyFull, CheckWorkspaceNear, CheckDuplicateName, CheckNoAccess,
	CheckProductionOrphan, CheckArchiveCandidate, CheckStale}

// Finding is one model an admin should look at, and why.
type Finding struct {
	Check     Check
	ModelID   string
	ModelName string
	Workspace string
	Reason    string
}

// hygiene lists the findings about the registry's models. Archived
// models are left out of the staleness checks: they are already put away.
func hygiene(r *Registry, env []Environment, family []int, families []Family, lineage map[string]ModelLineage, o OrganiseOptions) []Finding {
	names := make(map[[2]string]int, len(r.Models))
	nameKey := make([][2]string, len(r.Models))
	for i, m := range r.Models {
		nameKey[i] = [2]string{m.CurrentWorkspaceID, strings.ToLower(strings.TrimSpace(m.Name))}
		names[nameKey[i]]++
	}
	// The checks run twice: once to count the findings, then to make them
	// into a slice of that size. Growing it by appends held two copies at
	// once, the largest part of Organise's peak at 100,000 models.
	n := 0
	check(r, env, family, families, lineage, o, names, nameKey, func(Check, anaplan.Model, string, ...any) { n++ })
	out := make([]Finding, 0, n)
	kept := sentences{}
	check(r, env, family, families, lineage, o, names, nameKey, func(c Check, m anaplan.Model, format string, args ...any) {
		out = append(out, Finding{Check: c, ModelID: m.ID, ModelName: m.Name, Workspace: r.workspaceName(m), Reason: kept.keep(fmt.Sprintf(format, args...))})
	})
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(slices.Index(checkOrder, a.Check), slices.Index(checkOrder, b.Check)),
			cmp.Compare(a.Workspace, b.Workspace), cmp.Compare(a.ModelName, b.ModelName), cmp.Compare(a.ModelID, b.ModelID))
	})
	return out
}

// check runs the checks over every model, telling add each finding.
func check(r *Registry, env []Environment, family []int, families []Family, lineage map[string]ModelLineage, o OrganiseOptions,
	names map[[2]string]int, nameKey [][2]string, add func(c Check, m anaplan.Model, format string, args ...any)) {
	for i, m := range r.Models {
		ws, _ := r.Workspace(m.CurrentWorkspaceID)
		if level := AllowanceLevelOf(ws); level != AllowanceRoom {
			p, _ := UsedPercent(ws)
			add(level.Check(), m, "workspace %q is %s: %.0f%% of its %s allowance (%s)", ws.Name, level, p, HumanBytes(ws.SizeAllowance), levelRule(level))
		}
		if n := names[nameKey[i]]; n > 1 {
			add(CheckDuplicateName, m, "%d models named %q in workspace %q", n, m.Name, r.workspaceName(m))
		}
		if lineage[m.ID].Status == LineageNoAccess {
			add(CheckNoAccess, m, "the user cannot open this model (the API answers 404 for it): ask for a model role or leave it out")
		}
		if strings.HasPrefix(string(m.ActiveState), "PRODUCTION") {
			f := families[family[i]]
			builds := f.count(EnvDev) + f.count(EnvTest) + f.count(EnvUAT)
			switch {
			case env[i] != EnvProd:
				add(CheckProductionOrphan, m, "in production mode (%s) but classified %s", m.ActiveState, env[i])
			case !f.Lineage && builds == 0:
				add(CheckProductionOrphan, m, "in production mode with no development or test copy and no ALM lineage: changes can only be made in production")
			}
		}
		mod := m.LastModified.Time
		if mod.IsZero() || m.ActiveState == "ARCHIVED" {
			continue
		}
		// Whole calendar days (UTC), so a list made twice in one day
		// reads the same.
		idle := utcDay(o.Now).Sub(utcDay(mod))
		days := int(idle / (24 * time.Hour))
		switch {
		case (env[i] == EnvDev || env[i] == EnvTest || env[i] == EnvUAT) && idle >= o.IdleAfter:
			add(CheckArchiveCandidate, m, "%s copy not modified for %d days (since %s): archive it?", env[i], days, mod.UTC().Format(time.DateOnly))
		case idle >= o.StaleAfter:
			add(CheckStale, m, "not modified for %d days (since %s)", days, mod.UTC().Format(time.DateOnly))
		}
	}
}

// levelRule says where a level starts, for a hygiene reason.
func levelRule(l AllowanceLevel) string {
	switch l {
	case AllowanceOver:
		return "more than 100%"
	case AllowanceNearlyFull:
		return fmt.Sprintf("%.0f%% or more", NearlyFullPercent)
	}
	return fmt.Sprintf("%.0f%% or more, Anaplan's amber warning", NearAllowancePercent)
}

// utcDay is t's UTC date at midnight.
func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
