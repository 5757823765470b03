package notebooks_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestLessonCellsRunInAnyOrder executes each lesson with the code cells
// after the first two (setup, then declarations and the one-line source)
// in reverse order, and checks that every cell shows exactly what it shows
// in order. Each cell is a new program, so a cell that leaned on something
// an earlier cell left behind (a file, emulator state) would fail or show
// something else: learners rerun single cells, in any order.
func TestLessonCellsRunInAnyOrder(t *testing.T) {
	for _, name := range lessons(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			inOrder := executed(t, name)
			k, err := sharedKernel()
			if err != nil {
				t.Fatal(err)
			}
			// The copy must live inside the repository (the setup cell finds
			// go.mod above the notebook), in a gitignored place.
			parent := filepath.Join(k.root, ".cache", "notebook-tests")
			if err := os.MkdirAll(parent, 0o755); err != nil {
				t.Fatal(err)
			}
			dir, err := os.MkdirTemp(parent, "reversed-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			if err := writeReversed(name, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			rel, err := filepath.Rel(filepath.Join(k.root, "notebooks"), filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			reversed, err := execute(filepath.ToSlash(rel))
			if err != nil {
				t.Fatalf("%s with its cells in reverse order: %v", name, err)
			}
			t.Logf("%s in reverse order executed in %s", name, reversed.elapsed.Round(100_000_000))
			for _, c := range reversed.cells {
				i := slices.IndexFunc(inOrder.cells, func(o shownCell) bool { return o.Source == c.Source })
				if i < 0 {
					t.Fatalf("cell %q of the reversed copy is not in %s", c.Source, name)
				}
				if want, got := inOrder.cells[i].text(), c.text(); want != got {
					t.Errorf("cell %d shows something else when the cells after it run first:\n%s\n--- diff (- in order, + reversed)\n%s",
						inOrder.cells[i].Index, indent(c.Source), lineDiff(want, got))
				}
			}
		})
	}
}

// writeReversed writes a copy of notebooks/name holding only its code
// cells: the first two as they are, the others in reverse order.
func writeReversed(name, dest string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var nb map[string]any
	if err := json.Unmarshal(data, &nb); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	cells, _ := nb["cells"].([]any)
	var code []any
	for _, c := range cells {
		if cell, _ := c.(map[string]any); cell["cell_type"] == "code" {
			code = append(code, c)
		}
	}
	if len(code) < 3 {
		return fmt.Errorf("%s has %d code cells, too few to reorder", name, len(code))
	}
	slices.Reverse(code[2:])
	nb["cells"] = code
	out, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(dest, out, 0o644)
}
