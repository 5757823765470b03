package history

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// Each table's typed digest is digestOf of the values as stored, which is
// what the migration's SQL function computes: a row written by either
// compares equal to the same values.
func TestTableDigestsAreDigestsOfTheStoredValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	text := func() string { return strconv.FormatUint(rng.Uint64(), 36)[:rng.IntN(8)] }
	for range 200 {
		w := Workspace{Name: text(), Active: rng.IntN(2) == 0, SizeAllowance: rng.Int64(), CurrentSize: -rng.Int64()}
		i := identity{text(), text(), text(), text(), text(), text(), text(), text(), text()}
		a := activity{rng.Int64(), text(), text()}
		check(t, workspaceTable, w)
		check(t, identityTable, i)
		check(t, activityTable, a)
	}
	// Values that would run together without the lengths differ.
	x, y := identity{name: "ab", workspaceID: "c"}, identity{name: "a", workspaceID: "bc"}
	if identityTable.digest(x) == identityTable.digest(y) {
		t.Error(`("ab", "c") and ("a", "bc") have the same digest`)
	}
}

func check[V comparable](t *testing.T, tb table[V], v V) {
	t.Helper()
	want, err := digestOf(tb.args(v))
	if err != nil {
		t.Fatal(err)
	}
	if got := tb.digest(v); got != want {
		t.Fatalf("%s digest of %+v = %d, digestOf its columns = %d", tb.name, v, got, want)
	}
}
