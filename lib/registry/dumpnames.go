package registry

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// dumpSuffix ends every failure dump's file name.
const dumpSuffix = ".dump.csv"

// maxDumpStem keeps a dump's file name under the 255 bytes most file
// systems allow, with room for a " (n)" and the temp file's decorations.
const maxDumpStem = 180

// dumpNames hands out the failure dump file names of one run. Import names
// are free text; the names made safe for a file system can collide ("X/Y"
// and "X_Y", or "Sales" and "sales" on a case-insensitive disk), and a
// second dump must not overwrite the first: a name already taken gets
// " (2)", " (3)", ... in the order the dumps are saved.
type dumpNames struct{ taken map[string]bool }

func newDumpNames() *dumpNames { return &dumpNames{taken: map[string]bool{}} }

// claim returns a file name for the dump of importName that no earlier
// claim of this run returned.
func (d *dumpNames) claim(importName string) string {
	stem := dumpStem(importName)
	name := stem + dumpSuffix
	for n := 2; d.taken[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s (%d)%s", stem, n, dumpSuffix)
	}
	d.taken[strings.ToLower(name)] = true
	return name
}

// dumpStem makes an import's name safe as a file name on Linux, macOS and
// Windows: path separators, characters Windows refuses and control
// characters become '_', leading and trailing dots and spaces go, and a
// long name is cut on a character boundary.
func dumpStem(importName string) string {
	safe := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, importName)
	safe = strings.Trim(safe, ". ")
	for len(safe) > maxDumpStem {
		_, size := utf8.DecodeLastRuneInString(safe)
		safe = safe[:len(safe)-size]
	}
	if safe == "" {
		return "import"
	}
	return safe
}
