package registry

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

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

	// words, when set, is Pattern as a set of whole words (lower case;
	// "a-b" for two words joined by a hyphen): matched on the field's
	// words instead of running the expression, which at 20,000 models
	// was most of the time Organise took.
	words map[string]bool
}

// matches reports whether the rule applies to model m in workspace ws.
func (r Rule) matches(m anaplan.Model, workspace string) bool {
	switch {
	case r.Field == "model":
		return r.match(m.Name)
	case r.Field == "workspace":
		return r.match(workspace)
	case r.Field == "state":
		return r.Pattern.MatchString(string(m.ActiveState))
	case strings.HasPrefix(r.Field, "category:"):
		name := strings.TrimPrefix(r.Field, "category:")
		for _, c := range m.CategoryValues {
			if strings.EqualFold(c.CategoryName, name) && r.match(c.Attribute) {
				return true
			}
		}
	}
	return false
}

func (r Rule) match(s string) bool {
	if r.words == nil {
		return r.Pattern.MatchString(s)
	}
	return hasWord(s, r.words)
}

// hasWord reports whether s holds one of the words, or two adjacent
// words joined by "-" that are one of them ("pre-prod"), as whole words:
// runs of letters and digits.
func hasWord(s string, words map[string]bool) bool {
	prev := ""
	for w := range strings.FieldsFuncSeq(s, notWordRune) {
		w = strings.ToLower(w)
		if words[w] || (prev != "" && words[prev+"-"+w]) {
			return true
		}
		prev = w
	}
	return false
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }

// wordSet is a words constant ("a|b|pre-?prod") as a set: "x-?y" adds
// "x-y" and "xy".
func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Split(words, "|") {
		if a, b, ok := strings.Cut(w, "-?"); ok {
			set[a+"-"+b], set[a+b] = true, true
			continue
		}
		set[w] = true
	}
	return set
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
	uatWords     = `uat|acceptance|pre-?prod|staging`
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
	wordRule := func(env Environment, field, words, why string) Rule {
		r := rule(env, field, word(words), why)
		r.words = wordSet(words)
		return r
	}
	for _, w := range words {
		rules = append(rules, wordRule(w.env, "category:Environment", w.words, "category Environment: "+w.label))
	}
	rules = append(rules, rule(EnvSandbox, "model", `(?i)^\s*copy of\b`, `model name starts "Copy of"`))
	for _, w := range words {
		rules = append(rules, wordRule(w.env, "model", w.words, "model name: "+w.label))
		if w.letter != "" {
			rules = append(rules, rule(w.env, "model", suffix(w.letter), fmt.Sprintf("model name ends %q", " - "+w.letterL)))
		}
	}
	for _, w := range words {
		rules = append(rules, wordRule(w.env, "workspace", w.words, "workspace name: "+w.label))
	}
	// One rule per state, so environmentRule names the state the model is in.
	return append(rules,
		rule(EnvProd, "state", `^PRODUCTION$`, "activeState PRODUCTION (ALM production model)"),
		rule(EnvProd, "state", `^PRODUCTION_MAINTENANCE$`, "activeState PRODUCTION_MAINTENANCE (ALM production model in maintenance)"))
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
