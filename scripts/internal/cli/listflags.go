package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"
)

// SortVar defines a -sort flag for a listing Anaplan sorts on the server.
// Anaplan validates sort there (anaplan-api.md §3): each column of
// +field|-field[,…] needs its prefix and a field from a short list, and a
// bad one comes back as a bare 400 ("Failed to parse sort parameter").
// Checking while the flags are parsed turns that into a usage error that
// names the flag and the fields, before anything connects.
func SortVar(fs *flag.FlagSet, p *string, fields ...string) {
	example := "+" + fields[0]
	if len(fields) > 1 {
		example += " or -" + fields[1]
	}
	fs.Var(&sortFlag{p: p, fields: fields}, "sort",
		fmt.Sprintf("server-side `order`, e.g. %s: +field (ascending) or -field (descending), comma-separated; fields: %s",
			example, strings.Join(fields, ", ")))
}

type sortFlag struct {
	p      *string
	fields []string
}

func (f *sortFlag) String() string {
	if f == nil || f.p == nil {
		return ""
	}
	return *f.p
}

// Set accepts +field or -field, comma-separated, fields from the list.
func (f *sortFlag) Set(s string) error {
	for col := range strings.SplitSeq(s, ",") {
		col = strings.TrimSpace(col)
		field := strings.TrimLeft(col, "+-")
		switch {
		case col == "":
			return fmt.Errorf("empty column; use +field or -field, fields: %s", strings.Join(f.fields, ", "))
		case !slices.Contains(f.fields, field):
			return fmt.Errorf("%q is not a field Anaplan sorts by; use %s", field, strings.Join(f.fields, ", "))
		case len(col)-len(field) != 1:
			return fmt.Errorf("%q needs one + (ascending) or - (descending) before the field, e.g. +%s", col, field)
		}
	}
	*f.p = s
	return nil
}

// ChoiceVar defines a string flag that takes one of choices, compared
// without regard to case and stored as the choice is spelled; "" (the
// default) means no choice. A value outside is a usage error naming the
// flag and the choices, raised while the flags are parsed.
func ChoiceVar(fs *flag.FlagSet, p *string, name string, choices []string, usage string) {
	fs.Var(&choiceFlag{p: p, choices: choices}, name, fmt.Sprintf("%s: %s", usage, strings.Join(choices, ", ")))
}

type choiceFlag struct {
	p       *string
	choices []string
}

func (f *choiceFlag) String() string {
	if f == nil || f.p == nil {
		return ""
	}
	return *f.p
}

func (f *choiceFlag) Set(s string) error {
	for _, c := range f.choices {
		if strings.EqualFold(c, strings.TrimSpace(s)) {
			*f.p = c
			return nil
		}
	}
	return fmt.Errorf("unknown value; use one of %s", strings.Join(f.choices, ", "))
}
