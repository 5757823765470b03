package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// sortKey is one validated column of a sort parameter.
type sortKey struct {
	field string
	desc  bool
}

// errSortField is Anaplan's message for an unknown sort column (§3).
var errSortField = errors.New("Failed to parse sort parameter")

// parseSort validates sort=+field|-field[,...] on the endpoints where
// Anaplan validates it (/models, /workspaces): the prefix is mandatory and
// the field must be one of allowed (anaplan-api.md §3).
//
// A leading space counts as '+': query decoding turns an unencoded '+'
// (as in the reference's own examples, "sort=+name") into a space.
func parseSort(r *http.Request, allowed ...string) ([]sortKey, error) {
	raw := r.URL.Query().Get("sort")
	if raw == "" {
		return nil, nil
	}
	var keys []sortKey
	for col := range strings.SplitSeq(raw, ",") {
		if col == "" || !strings.ContainsRune("+- ", rune(col[0])) {
			return nil, fmt.Errorf("Bad sort order format: '%s'. Please follow (-){column_name_1},(+){column_name_2}.. format", col)
		}
		field := col[1:]
		if !slices.Contains(allowed, field) {
			return nil, errSortField
		}
		keys = append(keys, sortKey{field: field, desc: col[0] == '-'})
	}
	return keys, nil
}

// sortBy orders idx (ascending indexes into a collection) by keys;
// compare orders two rows by one field. Rows that tie keep their index
// order, i.e. the tenant's order, which is also the order without a sort
// parameter. (An index tie-break lets the faster unstable sort be stable.)
func sortBy(idx []int, keys []sortKey, compare func(a, b int, field string) int) {
	if len(keys) == 0 {
		return
	}
	slices.SortFunc(idx, func(a, b int) int {
		for _, k := range keys {
			c := compare(a, b, k.field)
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return a - b
	})
}

// searchFilter compiles Anaplan's undocumented s= search: a
// case-insensitive "contains" match where % matches any run of characters
// and _ exactly one (anaplan-api.md §3). It returns nil when s is absent.
func searchFilter(r *http.Request) *regexp.Regexp {
	s := r.URL.Query().Get("s")
	if s == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString("(?is)")
	for _, c := range s {
		switch c {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return regexp.MustCompile(b.String())
}
