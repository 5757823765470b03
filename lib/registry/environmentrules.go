package registry

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// A rules file is CSV, the format admins already edit the registry in:
// a header row, then one rule per row, tried in order before the
// built-in rules. Lines starting with # are comments.
//
//	environment,field,pattern,why
//	prod,workspace,^Production Models$,the production workspace
//	dev,category:Stage,^Build$,
//	uat,model,\bPre-Live\b,
//
// field is model, workspace, state or category:NAME; pattern a regular
// expression matched case-insensitively; why (optional) is what
// environmentRule shows, by default "FILE:LINE". To replace the built-in
// rules rather than precede them, end the file with a catch-all
// (unknown,model,.*,).
var rulesHeader = []string{"environment", "field", "pattern", "why"}

// MaxRulesFileSize bounds a rules file, a few dozen rows of CSV: a path
// naming a device, a pipe or a log by mistake is refused after reading one
// byte more, never read to its end.
const MaxRulesFileSize = 1 << 20

// LoadRules reads a rules file and returns its rules followed by
// DefaultRules. Errors name the file and the line; a directory or a file
// over MaxRulesFileSize is refused.
func LoadRules(path string) ([]Rule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules file: %w", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("rules file %s: is a directory; name the CSV file itself", path)
	}
	limited := &io.LimitedReader{R: f, N: MaxRulesFileSize + 1}
	rules, err := ParseRules(path, limited)
	if limited.N == 0 {
		return nil, fmt.Errorf("rules file %s: larger than %d MiB, the most a rules file can be; is it the right file?", path, MaxRulesFileSize>>20)
	}
	if err != nil {
		return nil, err
	}
	return append(rules, DefaultRules()...), nil
}

// ParseRules parses a rules file's content; name is used in errors and in
// the default why.
func ParseRules(name string, r io.Reader) ([]Rule, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var rules []Rule
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			if len(rec) < 3 || !strings.EqualFold(strings.Join(rec[:3], ","), "environment,field,pattern") {
				return nil, fmt.Errorf("%s:%d: the first row must be the header %s", name, line, strings.Join(rulesHeader, ","))
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		rule, err := parseRule(rec)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if rule.Why == "" {
			rule.Why = fmt.Sprintf("%s:%d", name, line)
		}
		rules = append(rules, rule)
	}
	if header {
		return nil, fmt.Errorf("%s: empty rules file: it needs the header %s and at least one rule", name, strings.Join(rulesHeader, ","))
	}
	return rules, nil
}

func parseRule(rec []string) (Rule, error) {
	if len(rec) < 3 || len(rec) > 4 {
		return Rule{}, fmt.Errorf("%d fields, want 3 or 4: %s", len(rec), strings.Join(rulesHeader, ","))
	}
	env, ok := parseEnvironment(strings.TrimSpace(rec[0]))
	if !ok {
		names := make([]string, len(Environments))
		for i, e := range Environments {
			names[i] = string(e)
		}
		return Rule{}, fmt.Errorf("unknown environment %q: use one of %s", rec[0], strings.Join(names, ", "))
	}
	field := strings.TrimSpace(rec[1])
	if strings.HasPrefix(strings.ToLower(field), "category:") {
		field = "category:" + strings.TrimSpace(field[len("category:"):])
	} else {
		field = strings.ToLower(field)
	}
	if !validField(field) {
		return Rule{}, fmt.Errorf("unknown field %q: use model, workspace, state or category:NAME", rec[1])
	}
	if strings.TrimSpace(rec[2]) == "" {
		return Rule{}, errors.New("empty pattern: use .* to match everything")
	}
	re, err := regexp.Compile("(?i)" + rec[2])
	if err != nil {
		return Rule{}, fmt.Errorf("pattern %q is not a regular expression: %v", rec[2], err)
	}
	why := ""
	if len(rec) == 4 {
		why = strings.TrimSpace(rec[3])
	}
	return Rule{Environment: env, Field: field, Pattern: re, Why: why}, nil
}
