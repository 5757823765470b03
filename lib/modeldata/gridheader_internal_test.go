package modeldata

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// TestGridHeaderLayouts: the header lines of a CSV grid as the reference
// lays them out (a page line when there are page dimensions, a line per
// column dimension, a blank corner cell per row dimension) become one
// header, the corner named after the row dimensions; the first data row
// is what is read next.
func TestGridHeaderLayouts(t *testing.T) {
	t.Parallel()
	dims := func(names ...string) []anaplan.DimensionItem {
		out := make([]anaplan.DimensionItem, len(names))
		for i, n := range names {
			out[i].Name = n
		}
		return out
	}
	for _, tc := range []struct {
		name       string
		axes       anaplan.ViewMetadata
		grid       string
		want, next []string
	}{
		{"rows only", anaplan.ViewMetadata{Rows: dims("Stores"), Columns: dims("Line items")},
			",Target,Owner\nNorth,1,x\n", []string{"Stores", "Target", "Owner"}, []string{"North", "1", "x"}},
		{"pages", anaplan.ViewMetadata{Rows: dims("Stores"), Columns: dims("Line items"), Pages: dims("Quarters", "Versions")},
			"Q1,Actual\n,Target\nNorth,1\n", []string{"Stores", "Target"}, []string{"North", "1"}},
		{"two row and two column dimensions", anaplan.ViewMetadata{Rows: dims("Regions", "Stores"), Columns: dims("Time", "Line items")},
			",,Jan 24,Jan 24,Feb 24\n,,Sales,Cost,Sales\nNorth,S1,1,2,3\n",
			[]string{"Regions", "Stores", "Jan 24 / Sales", "Jan 24 / Cost", "Feb 24 / Sales"}, []string{"North", "S1", "1", "2", "3"}},
		{"no axes in the metadata", anaplan.ViewMetadata{}, "a,b\n1,2\n", []string{"a", "b"}, []string{"1", "2"}},
	} {
		cr := csv.NewReader(strings.NewReader(tc.grid))
		cr.FieldsPerRecord = -1
		got, err := gridHeader(cr, tc.axes)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: header %q, %v; want %q", tc.name, got, err, tc.want)
			continue
		}
		if next, err := cr.Read(); err != nil || !slices.Equal(next, tc.next) {
			t.Errorf("%s: next record %q, %v; want %q", tc.name, next, err, tc.next)
		}
	}
}
