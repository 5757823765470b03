package registry

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a family name leaves out of a model name: "Copy of" prefixes and
// the word "copy", environment words and one-letter suffixes, dates
// (2019, 2024-03, 2024-03-31) and the punctuation left around them.
var (
	copyOfPrefix   = regexp.MustCompile(`(?i)^(\s*copy of\s+)+`)
	familySuffix   = regexp.MustCompile(`(?i)([ _-]|\()[DTUP]\)?$`)
	emptyBrackets  = regexp.MustCompile(`\(\s*\)|\[\s*\]`)
	repeatedSpaces = regexp.MustCompile(`\s+`)
)

var familyNoiseWords = wordSet(`copy|` + devWords + `|` + testWords + `|` + uatWords + `|` + prodWords + `|` + sandboxWords + `|` + archiveWords)

// stripWords removes the environment words (and "copy") and dates from
// s, whole words only, keeping the separators around them: "Plan - DEV"
// becomes "Plan - ", "Plan (copy 2024-03)" becomes "Plan ( )". With
// keepFirst the first word stays whatever it is.
func stripWords(s string, keepFirst bool) string {
	type span struct{ lo, hi int }
	var spans []span
	start := -1
	for i, r := range s {
		if notWordRune(r) {
			if start >= 0 {
				spans = append(spans, span{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		spans = append(spans, span{start, len(s)})
	}
	drop := make([]bool, len(spans))
	word := func(i int) string { return strings.ToLower(s[spans[i].lo:spans[i].hi]) }
	sep := func(i int) string { return s[spans[i].hi:spans[i+1].lo] } // between i and i+1
	first := 0
	if keepFirst {
		first = 1
	}
	for i := first; i < len(spans); i++ {
		w := word(i)
		switch {
		case familyNoiseWords[w]:
			drop[i] = true
		case i+1 < len(spans) && sep(i) == "-" && familyNoiseWords[w+"-"+word(i+1)]:
			drop[i], drop[i+1] = true, true
			i++
		case isYear(w):
			drop[i] = true
			// YYYY-MM and YYYY-MM-DD: the month, then the day.
			for _, valid := range []func(string) bool{isMonth, isDay} {
				if i+1 < len(spans) && len(sep(i)) == 1 && strings.Contains("-_./", sep(i)) && valid(word(i+1)) {
					i++
					drop[i] = true
					continue
				}
				break
			}
		}
	}
	var b strings.Builder
	at := 0
	for i, sp := range spans {
		if !drop[i] {
			continue
		}
		b.WriteString(s[at:sp.lo])
		at = sp.hi
		// A date's inner separators go with it.
		if i+1 < len(spans) && drop[i+1] && isYearPart(s[sp.lo:sp.hi], s[spans[i+1].lo:spans[i+1].hi]) {
			at = spans[i+1].lo
		}
	}
	b.WriteString(s[at:])
	return b.String()
}

func isYear(w string) bool {
	return len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) && allDigits(w)
}

func isMonth(w string) bool { return len(w) == 2 && allDigits(w) && w >= "01" && w <= "12" }
func isDay(w string) bool   { return len(w) == 2 && allDigits(w) && w >= "01" && w <= "31" }

// isYearPart reports whether b follows a as the next part of one date.
func isYearPart(a, b string) bool { return allDigits(a) && allDigits(b) && len(b) == 2 }

func allDigits(w string) bool {
	for _, c := range []byte(w) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return w != ""
}

// familyDisplayName is a model name without the environment: "Sales
// Capacity - DEV" and "Sales Capacity (copy 2024-03)" are both "Sales
// Capacity". A name that would be left empty is kept whole. One that would
// be left saying nothing, only words such as "model", "do not use" and
// numbers, keeps its first word: "Test Model 1" is its own family, not
// "Model 1", and "Scratch - do not use" is not "do not use"; but "Legacy
// Consolidation" is "Consolidation".
func familyDisplayName(name string) string {
	s := name
	// Cheap tests first: the expressions cost most of Organise's time.
	if strings.Contains(strings.ToLower(s), "copy of") {
		s = copyOfPrefix.ReplaceAllString(s, "")
	}
	if last := strings.ToUpper(s[max(0, len(s)-1):]); last != "" && strings.Contains("DTUP)", last) {
		s = familySuffix.ReplaceAllString(s, "")
	}
	out := tidyFamilyName(stripWords(s, false))
	switch {
	case out == "":
		return strings.TrimSpace(name)
	case saysNothing(out):
		return tidyFamilyName(stripWords(s, true))
	}
	return out
}

// tidyFamilyName drops what stripping left around the name: empty
// brackets, runs of spaces, separators at the ends.
func tidyFamilyName(s string) string {
	s = emptyBrackets.ReplaceAllString(s, " ")
	s = repeatedSpaces.ReplaceAllString(s, " ")
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("-_–—:,.(/|", r)
	})
}

// emptyWords say nothing about which application a model is: what is left
// of "Test Model 1" or "Scratch - do not use" without the environment word.
var emptyWords = wordSet(`model|models|do|not|dont|don|use|delete|deleted|me|new|temp|tmp|the|an|of|for|only|please|my|draft|backup|version`)

// saysNothing reports whether every word of s is an empty word, a number
// or a single letter.
func saysNothing(s string) bool {
	for w := range strings.FieldsFuncSeq(s, notWordRune) {
		w = strings.ToLower(w)
		if !emptyWords[w] && !allDigits(w) && utf8.RuneCountInString(w) > 1 {
			return false
		}
	}
	return true
}

// familyKey is the name two models must share to be one family by name:
// the display name in lower case with punctuation taken away.
func familyKey(name string) string { return keyOf(familyDisplayName(name)) }

// keyOf is a display name's key: lower case, words only.
func keyOf(display string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(display) {
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
