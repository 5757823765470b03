package cli

import "strconv"

// Count says how many of a thing, with the noun in the singular for one:
// Count(1, "row") is "1 row", Count(3, "row") "3 rows". The nouns the
// scripts count all take an s.
func Count(n int, noun string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
