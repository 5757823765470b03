package registry

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Environment is the stage of the application lifecycle a model serves.
type Environment string

// The environments, in the order tables show them.
const (
	EnvDev     Environment = "dev"
	EnvTest    Environment = "test"
	EnvUAT     Environment = "uat"
	EnvProd    Environment = "prod"
	EnvSandbox Environment = "sandbox"
	EnvArchive Environment = "archive"
	EnvUnknown Environment = "unknown"
)

// Environments lists every environment in table order.
var Environments = []Environment{EnvDev, EnvTest, EnvUAT, EnvProd, EnvSandbox, EnvArchive, EnvUnknown}

func parseEnvironment(s string) (Environment, bool) {
	for _, e := range Environments {
		if strings.EqualFold(s, string(e)) {
			return e, true
		}
	}
	return "", false
}

// Rule gives an environment to the models whose Field matches Pattern.
// Rules are tried in order; the first match wins.
type Rule struct {
	Environment Environment
	// Field is what the pattern is matched against: "model" (the model
	// name), "workspace" (the workspace name), "state" (activeState) or
	// "category:NAME" (the value of the model's category NAME, e.g.
	// "category:Environment").
	Field string
	// Pattern is a regular expression (RE2), matched case-insensitively
	// anywhere in the field unless anchored.
	Pattern *regexp.Regexp
	// Why is what environmentRule shows for a model this rule classified.
	Why string
}

// matches reports whether the rule applies to model m in workspace ws.
func (r Rule) matches(m anaplan.Model, workspace string) bool {
	switch {
	case r.Field == "model":
		return r.Pattern.MatchString(m.Name)
	case r.Field == "workspace":
		return r.Pattern.MatchString(workspace)
	case r.Field == "state":
		return r.Pattern.MatchString(string(m.ActiveState))
	case strings.HasPrefix(r.Field, "category:"):
		name := strings.TrimPrefix(r.Field, "category:")
		for _, c := range m.CategoryValues {
			if strings.EqualFold(c.CategoryName, name) && r.Pattern.MatchString(c.Attribute) {
				return true
			}
		}
	}
	return false
}

func validField(f string) bool {
	switch f {
	case "model", "workspace", "state":
		return true
	}
	name, ok := strings.CutPrefix(f, "category:")
	return ok && strings.TrimSpace(name) != ""
}

// Words real tenants use for each environment, as whole words or as a
// one-letter suffix (" - D", "_P"). They also go into family names: a
// family's name is its models' names without them.
const (
	devWords     = `dev|development|develop`
	testWords    = `test|tst|qa|sit`
	uatWords     = `uat|acceptance|pre-?prod|preprod|staging`
	prodWords    = `prod|prd|production|live`
	sandboxWords = `sandbox|scratch|playground`
	archiveWords = `archive|archived|legacy|old|obsolete|retired`
)

// word matches one of the words as a whole word (letters and digits
// around it do not count as a boundary).
func word(words string) string { return `(?i)(^|[^\pL\pN])(` + words + `)($|[^\pL\pN])` }

// suffix matches a one-letter environment suffix: "X - D", "X_P", "X (T)".
func suffix(letter string) string { return `(?i)([ _-]|\()` + letter + `\)?$` }

// DefaultRules are the built-in rules, first match wins: an archived
// model is archive whatever its name; an Environment category says it
// explicitly; then "Copy of …", words and suffixes in the model name,
// the same in the workspace name; finally ALM's production state.
// Anything else is unknown.
func DefaultRules() []Rule {
	rule := func(env Environment, field, pattern, why string) Rule {
		return Rule{Environment: env, Field: field, Pattern: regexp.MustCompile(pattern), Why: why}
	}
	rules := []Rule{
		rule(EnvArchive, "state", `^ARCHIVED$`, "activeState ARCHIVED"),
	}
	words := []struct {
		env            Environment
		words, letter  string
		label, letterL string
	}{
		// UAT first: "Pre-prod" holds the word "prod".
		{EnvUAT, uatWords, "U", "UAT/Acceptance/Pre-prod", "U"},
		{EnvProd, prodWords, "P", "PROD/PRD/Production/Live", "P"},
		{EnvTest, testWords, "T", "TEST/QA", "T"},
		{EnvDev, devWords, "D", "DEV/Development", "D"},
		{EnvSandbox, sandboxWords, "", "Sandbox/Scratch", ""},
		{EnvArchive, archiveWords, "", "Archive/Legacy", ""},
	}
	for _, w := range words {
		rules = append(rules, rule(w.env, "category:Environment", word(w.words), "category Environment: "+w.label))
	}
	rules = append(rules, rule(EnvSandbox, "model", `(?i)^\s*copy of\b`, `model name starts "Copy of"`))
	for _, w := range words {
		rules = append(rules, rule(w.env, "model", word(w.words), "model name: "+w.label))
		if w.letter != "" {
			rules = append(rules, rule(w.env, "model", suffix(w.letter), fmt.Sprintf("model name ends %q", " - "+w.letterL)))
		}
	}
	for _, w := range words {
		rules = append(rules, rule(w.env, "workspace", word(w.words), "workspace name: "+w.label))
	}
	return append(rules,
		rule(EnvProd, "state", `^PRODUCTION(_MAINTENANCE)?$`, "activeState PRODUCTION (ALM production model)"))
}

// classify returns the environment of a model and why.
func classify(rules []Rule, m anaplan.Model, workspace string) (Environment, string) {
	for _, r := range rules {
		if r.matches(m, workspace) {
			return r.Environment, r.Why
		}
	}
	return EnvUnknown, "no rule matched"
}
