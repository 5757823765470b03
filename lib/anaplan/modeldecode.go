package anaplan

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Decoding model pages was two thirds of scripts/registry's CPU time:
// encoding/json scans every value twice (once to find its end, once to
// decode it) and sets fields by reflection, about 18 µs per model. A page
// of models has one known shape, so decodeModelsPage reads it in one pass.
//
// It is a shortcut, never a second definition of the format: it only
// answers when it is sure encoding/json would decode the page to exactly
// the same models and paging without an error. Anything else (a value of
// an unexpected type, a key that differs from a field's name only in case,
// a repeated key, a null item, invalid JSON, ...) makes it give up, and the
// page is decoded by encoding/json as before. The fields with their own
// UnmarshalJSON get their raw value as encoding/json would hand it. Fuzz
// tests check that both decoders agree.

// decodeModelsPage decodes a list answer whose items are models under
// "models". ok is false when the caller must decode it with encoding/json.
func decodeModelsPage(data []byte) (models []Model, p *paging, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(gaveUp); !ok {
				panic(r)
			}
			models, p, ok = nil, nil, false
		}
	}()
	s := &scanner{data: data, shared: map[string]string{}}
	seenMeta, seenModels := false, false
	for more := s.begin('{', '}'); more; more = s.next('}') {
		switch key := s.key(); string(key) {
		case "meta":
			if seenMeta {
				giveUp()
			}
			seenMeta = true
			p = s.meta()
		case "models":
			if seenModels {
				giveUp()
			}
			seenModels = true
			capacity := 0
			if p != nil {
				capacity = min(max(p.CurrentPageSize, 0), 2*maxPageSize)
			}
			models = s.models(capacity)
		default:
			s.skip(0)
		}
	}
	s.space()
	if s.pos != len(s.data) {
		giveUp()
	}
	return models, p, true
}

// scanner reads JSON from data, giving up (a panic recovered by
// decodeModelsPage) at the first thing it does not handle.
type scanner struct {
	data []byte
	pos  int
	// shared holds one copy of each repeated value of the page (see
	// stringSharer), so that 5,000 models do not allocate 5,000 copies.
	shared map[string]string
}

type gaveUp struct{}

func giveUp() { panic(gaveUp{}) }

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte without consuming it.
func (s *scanner) peek() byte {
	s.space()
	if s.pos >= len(s.data) {
		giveUp()
	}
	return s.data[s.pos]
}

func (s *scanner) expect(c byte) {
	if s.peek() != c {
		giveUp()
	}
	s.pos++
}

// begin consumes an object's or array's opening byte and reports whether
// an element follows (false: it was empty, and is consumed).
func (s *scanner) begin(open, close byte) bool {
	s.expect(open)
	if s.peek() == close {
		s.pos++
		return false
	}
	return true
}

// next consumes what follows an element: a comma (true: another element
// follows) or the closing byte (false).
func (s *scanner) next(close byte) bool {
	switch s.peek() {
	case ',':
		s.pos++
		return true
	case close:
		s.pos++
		return false
	}
	giveUp()
	return false
}

// key reads an object key and its colon. Keys with escapes give up.
func (s *scanner) key() []byte {
	raw, plain := s.stringLiteral()
	if !plain {
		giveUp()
	}
	s.expect(':')
	return raw[1 : len(raw)-1]
}

// null consumes a null and reports true, or consumes nothing.
func (s *scanner) null() bool {
	if s.peek() == 'n' {
		s.literal("null")
		return true
	}
	return false
}

func (s *scanner) literal(word string) {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		giveUp()
	}
	s.pos += len(word)
}

// stringLiteral consumes a string and returns its raw literal, quotes
// included; plain reports that its text is the literal's inside as it is
// (no escape, valid UTF-8). A control character is invalid JSON.
func (s *scanner) stringLiteral() (raw []byte, plain bool) {
	s.expect('"')
	start := s.pos - 1
	escaped, ascii := false, true
	for s.pos < len(s.data) {
		for s.pos < len(s.data) && ordinary[s.data[s.pos]] {
			s.pos++
		}
		if s.pos >= len(s.data) {
			break
		}
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			raw = s.data[start:s.pos]
			return raw, !escaped && (ascii || utf8.Valid(raw))
		case c == '\\':
			escaped = true
			s.pos++
			if s.pos >= len(s.data) {
				giveUp()
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				if _, ok := hex4(s.data[s.pos+1:]); !ok {
					giveUp()
				}
				s.pos += 5
			default:
				giveUp()
			}
		case c < 0x20:
			giveUp()
		default: // not ASCII
			ascii = false
			s.pos++
		}
	}
	giveUp()
	return nil, false
}

// ordinary marks the bytes a string literal holds as they are: printable
// ASCII but the quote and the backslash.
var ordinary = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// hex4 decodes the four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// text returns the text of a string literal stringLiteral accepted, as
// encoding/json decodes it: escapes resolved, a lone surrogate and every
// byte of invalid UTF-8 replaced by U+FFFD.
func text(raw []byte, plain bool) string {
	inner := raw[1 : len(raw)-1]
	if plain {
		return string(inner)
	}
	out := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); {
		switch c := inner[i]; {
		case c == '\\' && inner[i+1] == 'u':
			r := escapedRune(inner[i:])
			i += 6
			if utf16.IsSurrogate(r) {
				if pair := utf16.DecodeRune(r, escapedRune(inner[i:])); pair != utf8.RuneError {
					out = utf8.AppendRune(out, pair)
					i += 6
					continue
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		case c == '\\':
			out = append(out, unescape(inner[i+1]))
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(inner[i:])
			out = utf8.AppendRune(out, r) // U+FFFD for each invalid byte, as encoding/json
			i += size
		}
	}
	return string(out)
}

// unescape is the byte a one-letter escape stands for (stringLiteral
// accepted only these).
func unescape(e byte) byte {
	switch e {
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return e // " \ /
}

// escapedRune decodes the \uXXXX escape at the start of b, or returns -1.
func escapedRune(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	r, ok := hex4(b[2:])
	if !ok {
		return -1
	}
	return r
}

// str reads a string into *dst as encoding/json would: null leaves it,
// anything but a string gives up.
func (s *scanner) str(dst *string) {
	if s.null() {
		return
	}
	*dst = text(s.stringLiteral())
}

// sharedStr is str for a value that repeats across models: one copy per
// distinct value of the page.
func (s *scanner) sharedStr(dst *string) {
	if s.null() {
		return
	}
	raw, plain := s.stringLiteral()
	if !plain {
		*dst = text(raw, plain)
		return
	}
	inner := raw[1 : len(raw)-1]
	if v, ok := s.shared[string(inner)]; ok {
		*dst = v
		return
	}
	v := string(inner)
	s.shared[v] = v
	*dst = v
}

// number consumes a number, checked against JSON's grammar, and returns
// its raw literal.
func (s *scanner) number() []byte {
	s.space()
	d, start, i := s.data, s.pos, s.pos
	digits := func() {
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			giveUp()
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else {
		digits()
	}
	if i < len(d) && d[i] == '.' {
		i++
		digits()
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		digits()
	}
	s.pos = i
	return d[start:i]
}

// scalar consumes a string, number, true, false or null and returns its raw
// literal, for a field with its own UnmarshalJSON; objects and arrays give up.
func (s *scanner) scalar() []byte {
	c := s.peek()
	start := s.pos
	switch c {
	case '"':
		s.stringLiteral()
	case 'n':
		s.literal("null")
	case 't':
		s.literal("true")
	case 'f':
		s.literal("false")
	default:
		s.number()
	}
	return s.data[start:s.pos]
}

// unmarshal hands one scalar to a field's own UnmarshalJSON, as
// encoding/json does.
func (s *scanner) unmarshal(u json.Unmarshaler) {
	if err := u.UnmarshalJSON(s.scalar()); err != nil {
		giveUp()
	}
}

// skip consumes any valid JSON value.
func (s *scanner) skip(depth int) {
	if depth > 100 {
		giveUp()
	}
	switch s.peek() {
	case '{':
		for more := s.begin('{', '}'); more; more = s.next('}') {
			s.key()
			s.skip(depth + 1)
		}
	case '[':
		for more := s.begin('[', ']'); more; more = s.next(']') {
			s.skip(depth + 1)
		}
	case '"':
		s.stringLiteral()
	case 't':
		s.literal("true")
	case 'f':
		s.literal("false")
	case 'n':
		s.literal("null")
	default:
		s.number()
	}
}

// unknown skips the value of a key the type does not have, unless
// encoding/json would match it to a field by case-insensitive comparison.
func (s *scanner) unknown(key []byte, fields []string) {
	for _, c := range key {
		if c >= 0x80 { // Unicode case folding (K, ſ): not worth matching encoding/json's rules
			giveUp()
		}
	}
	for _, f := range fields {
		if strings.EqualFold(string(key), f) {
			giveUp()
		}
	}
	s.skip(0)
}

// seen marks key number i as read; a repeated key gives up.
func seen(mask *uint32, i int) {
	if *mask&(1<<i) != 0 {
		giveUp()
	}
	*mask |= 1 << i
}

var (
	metaFields   = []string{"paging"}
	pagingFields = []string{"currentPageSize", "totalSize", "offset"}
)

// meta reads meta: only its paging matters.
func (s *scanner) meta() *paging {
	if s.null() {
		return nil
	}
	var p *paging
	var keys uint32
	for more := s.begin('{', '}'); more; more = s.next('}') {
		key := s.key()
		if string(key) != "paging" {
			s.unknown(key, metaFields)
			continue
		}
		seen(&keys, 0)
		if s.null() {
			continue
		}
		p = &paging{}
		var pk uint32
		for more := s.begin('{', '}'); more; more = s.next('}') {
			var dst *int
			switch key := s.key(); string(key) {
			case "currentPageSize":
				seen(&pk, 0)
				dst = &p.CurrentPageSize
			case "totalSize":
				seen(&pk, 1)
				dst = &p.TotalSize
			case "offset":
				seen(&pk, 2)
				dst = &p.Offset
			default:
				s.unknown(key, pagingFields)
				continue
			}
			if s.null() {
				continue
			}
			n, err := strconv.Atoi(string(s.number()))
			if err != nil {
				giveUp()
			}
			*dst = n
		}
	}
	return p
}

func (s *scanner) models(capacity int) []Model {
	if s.null() {
		return nil
	}
	var out []Model
	if capacity > 0 {
		out = make([]Model, 0, capacity)
	}
	for more := s.begin('[', ']'); more; more = s.next(']') {
		if s.null() {
			giveUp() // encoding/json appends a zero model; too odd to mirror
		}
		out = append(out, Model{})
		s.model(&out[len(out)-1])
	}
	return out
}

var modelFields = []string{"id", "name", "activeState", "currentWorkspaceId", "currentWorkspaceName", "modelUrl",
	"categoryValues", "memoryUsage", "lastSavedSerialNumber", "lastModifiedByUserGuid", "isoCreationDate",
	"lastModified", "modelTransactionRunning"}

func (s *scanner) model(m *Model) {
	var keys uint32
	for more := s.begin('{', '}'); more; more = s.next('}') {
		switch key := s.key(); string(key) {
		case "id":
			seen(&keys, 0)
			s.str(&m.ID)
		case "name":
			seen(&keys, 1)
			s.str(&m.Name)
		case "activeState":
			seen(&keys, 2)
			s.sharedStr((*string)(&m.ActiveState))
		case "currentWorkspaceId":
			seen(&keys, 3)
			s.sharedStr(&m.CurrentWorkspaceID)
		case "currentWorkspaceName":
			seen(&keys, 4)
			s.sharedStr(&m.CurrentWorkspaceName)
		case "modelUrl":
			seen(&keys, 5)
			s.str(&m.ModelURL)
		case "categoryValues":
			seen(&keys, 6)
			m.CategoryValues = s.categories()
		case "memoryUsage":
			seen(&keys, 7)
			s.unmarshal(&m.MemoryUsage)
		case "lastSavedSerialNumber":
			seen(&keys, 8)
			s.unmarshal(&m.LastSavedSerialNumber)
		case "lastModifiedByUserGuid":
			seen(&keys, 9)
			s.sharedStr(&m.LastModifiedByUserGUID)
		case "isoCreationDate":
			seen(&keys, 10)
			s.unmarshal(&m.ISOCreationDate)
		case "lastModified":
			seen(&keys, 11)
			s.unmarshal(&m.LastModified)
		case "modelTransactionRunning":
			seen(&keys, 12)
			switch s.peek() {
			case 't':
				s.literal("true")
				m.ModelTransactionRunning = true
			case 'f':
				s.literal("false")
				m.ModelTransactionRunning = false
			default:
				if !s.null() {
					giveUp()
				}
			}
		default:
			s.unknown(key, modelFields)
		}
	}
}

var categoryFields = []string{"id", "attribute", "categoryId", "categoryName", "customerId"}

func (s *scanner) categories() []CategoryValue {
	if s.null() {
		return nil
	}
	out := []CategoryValue{} // [] decodes to an empty slice, not nil
	for more := s.begin('[', ']'); more; more = s.next(']') {
		if s.null() {
			giveUp()
		}
		out = append(out, CategoryValue{})
		c := &out[len(out)-1]
		var keys uint32
		for more := s.begin('{', '}'); more; more = s.next('}') {
			switch key := s.key(); string(key) {
			case "id":
				seen(&keys, 0)
				s.sharedStr(&c.ID)
			case "attribute":
				seen(&keys, 1)
				s.sharedStr(&c.Attribute)
			case "categoryId":
				seen(&keys, 2)
				s.sharedStr(&c.CategoryID)
			case "categoryName":
				seen(&keys, 3)
				s.sharedStr(&c.CategoryName)
			case "customerId":
				seen(&keys, 4)
				s.sharedStr(&c.CustomerID)
			default:
				s.unknown(key, categoryFields)
			}
		}
	}
	return out
}
