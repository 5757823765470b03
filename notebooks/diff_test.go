package notebooks_test

import (
	"fmt"
	"strings"
)

// maxDiffCells bounds the LCS table; larger outputs fall back to showing the
// first differing line, which is what a reader needs first anyway.
const maxDiffCells = 4_000_000

// lineDiff returns a line diff of want and got: unchanged lines start with
// two spaces, removed lines with "- ", added lines with "+ ". Runs of more
// than a few unchanged lines are elided.
func lineDiff(want, got string) string {
	a := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	b := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(a)*len(b) > maxDiffCells {
		return firstDifference(a, b)
	}

	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}

	var lines []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			lines = append(lines, "  "+a[i])
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, "- "+a[i])
			i++
		default:
			lines = append(lines, "+ "+b[j])
			j++
		}
	}
	return strings.Join(elideUnchanged(lines, 3), "\n") + "\n"
}

// elideUnchanged keeps context lines of unchanged text around each change.
func elideUnchanged(lines []string, context int) []string {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if strings.HasPrefix(l, "  ") {
			continue
		}
		for k := max(0, i-context); k <= min(len(lines)-1, i+context); k++ {
			keep[k] = true
		}
	}
	var out []string
	skipped := 0
	for i, l := range lines {
		if keep[i] {
			if skipped > 0 {
				out = append(out, fmt.Sprintf("  ... %d unchanged lines", skipped))
				skipped = 0
			}
			out = append(out, l)
			continue
		}
		skipped++
	}
	if skipped > 0 {
		out = append(out, fmt.Sprintf("  ... %d unchanged lines", skipped))
	}
	return out
}

func firstDifference(a, b []string) string {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference at line %d (of %d committed, %d fresh):\n- %s\n+ %s\n", i+1, len(a), len(b), a[i], b[i])
		}
	}
	return fmt.Sprintf("committed has %d lines, fresh has %d; the first %d are equal\n", len(a), len(b), min(len(a), len(b)))
}
