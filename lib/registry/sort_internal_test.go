package registry

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func TestPermute(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 100} {
		s := make([]int, n)
		for i := range s {
			s[i] = i * 10
		}
		order := rng.Perm(n)
		want := make([]int, n)
		for i, from := range order {
			want[i] = s[from]
		}
		permute(s, slices.Clone(order))
		if !slices.Equal(s, want) {
			t.Errorf("permute by %v = %v, want %v", order, s, want)
		}
	}
}

// The registry's order is what sorting the models directly by workspace
// name, name and id gives, orphans (workspace unknown) by the name they carry.
func TestModelOrderMatchesADirectSort(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	workspaces := []anaplan.Workspace{{ID: "w1", Name: "Beta"}, {ID: "w2", Name: "Alpha"}, {ID: "w3", Name: "Beta"}}
	var models []anaplan.Model
	for i := range 500 {
		ws := []string{"w1", "w2", "w3", "gone"}[rng.IntN(4)]
		models = append(models, anaplan.Model{
			ID: fmt.Sprintf("%03d", rng.IntN(1000)), Name: fmt.Sprintf("Plan %d", rng.IntN(20)),
			CurrentWorkspaceID: ws, CurrentWorkspaceName: "Orphan " + ws, MemoryUsage: anaplan.Bytes(i),
		})
	}
	input := slices.Clone(models)
	r := New(workspaces, models)
	if !slices.EqualFunc(models, input, func(a, b anaplan.Model) bool { return a.MemoryUsage == b.MemoryUsage }) {
		t.Fatal("New reordered its input")
	}
	want := slices.Clone(input)
	slices.SortStableFunc(want, func(a, b anaplan.Model) int {
		return cmp.Or(cmp.Compare(r.workspaceName(a), r.workspaceName(b)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	for i := range want {
		a, b := r.Models[i], want[i]
		if a.ID != b.ID || a.Name != b.Name || r.workspaceName(a) != r.workspaceName(b) {
			t.Fatalf("models[%d] = %s/%s/%s, want %s/%s/%s", i, r.workspaceName(a), a.Name, a.ID, r.workspaceName(b), b.Name, b.ID)
		}
	}
}
