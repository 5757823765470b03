package registry

import (
	"regexp"
	"strings"
	"unicode"
)

// What a family name leaves out of a model name: "Copy of" prefixes and
// the word "copy", environment words and one-letter suffixes, dates
// (2019, 2024-03, 2024-03-31) and the punctuation left around them.
var (
	copyOfPrefix   = regexp.MustCompile(`(?i)^(\s*copy of\s+)+`)
	familyNoise    = regexp.MustCompile(word(`copy|` + devWords + `|` + testWords + `|` + uatWords + `|` + prodWords + `|` + sandboxWords + `|` + archiveWords))
	familyDate     = regexp.MustCompile(`(^|[^\pL\pN])((19|20)\d{2}([-_./](0[1-9]|1[0-2])([-_./](0[1-9]|[12]\d|3[01]))?)?)($|[^\pL\pN])`)
	familySuffix   = regexp.MustCompile(`(?i)([ _-]|\()[DTUP]\)?$`)
	emptyBrackets  = regexp.MustCompile(`\(\s*\)|\[\s*\]`)
	repeatedSpaces = regexp.MustCompile(`\s+`)
)

// familyDisplayName is a model name without the environment: "Sales
// Capacity - DEV" and "Sales Capacity (copy 2024-03)" are both "Sales
// Capacity". A name that would be left empty is kept whole.
func familyDisplayName(name string) string {
	s := copyOfPrefix.ReplaceAllString(name, "")
	s = familySuffix.ReplaceAllString(s, "")
	// The patterns consume the separator on each side, so two adjacent
	// words need two passes.
	for range 2 {
		s = familyNoise.ReplaceAllString(s, "$1$3")
		s = familyDate.ReplaceAllString(s, "$1$8")
	}
	s = emptyBrackets.ReplaceAllString(s, " ")
	s = repeatedSpaces.ReplaceAllString(s, " ")
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("-_–—:,.(/|", r)
	})
	if s == "" {
		return strings.TrimSpace(name)
	}
	return s
}

// familyKey is the name two models must share to be one family by name:
// the display name in lower case with punctuation taken away.
func familyKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(familyDisplayName(name)) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}
