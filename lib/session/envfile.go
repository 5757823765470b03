package session

import (
	"bytes"
	"fmt"
	"strings"
)

// The .env grammar, one NAME=value a line (the README's "How .env values
// are read" says the same for users):
//
//   - Blank lines and lines whose first non-blank character is # are
//     comments. A leading UTF-8 byte-order mark is ignored, CRLF counts as LF.
//   - An optional "export " before the name; blanks around = are allowed.
//     A name is letters, digits, _ and ., not starting with a digit.
//   - 'single quotes' keep everything between them as written, line ends
//     included; there is no escape, so a value holding ' goes in double quotes.
//   - "double quotes" understand \n \r \t \" \\ and \$; any other backslash
//     is kept as written. Line ends inside are kept.
//   - An unquoted value is the rest of the line without the blanks around
//     it; a # after a blank starts a comment, a # inside a word does not.
//   - Nothing is ever expanded: $VAR, ${VAR}, $(cmd) and $2024 stay as
//     written, so a password reaches Anaplan exactly as it is in the file.
//
// After a closing quote only blanks and a comment may follow. A later line
// naming the same variable wins. Errors name the line but never quote the
// file, whose lines hold passwords.

// envSyntaxError is a mistake in a .env file: the line (from 1) and what
// is wrong, in words that never quote the file.
type envSyntaxError struct {
	line int
	what string
}

func (e *envSyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.what) }

// byteOrderMark is what some Windows editors put at the start of a UTF-8 file.
const byteOrderMark = "\uFEFF"

// envParser walks a .env file's bytes, counting lines.
type envParser struct {
	src  []byte
	pos  int
	line int
}

// parseEnv parses the content of a .env file.
func parseEnv(src []byte) (map[string]string, error) {
	src = bytes.TrimPrefix(src, []byte(byteOrderMark))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, &envSyntaxError{1 + bytes.Count(src[:i], []byte("\n")), "a NUL byte; a .env file is text: is this the right file?"}
	}
	p := &envParser{src: src, line: 1}
	vars := map[string]string{}
	for {
		p.skipBlanks()
		switch {
		case p.eof():
			return vars, nil
		case p.peek() == '\n':
			p.newline()
			continue
		case p.peek() == '#':
			p.skipToLineEnd()
			continue
		}
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		value, err := p.value()
		if err != nil {
			return nil, err
		}
		vars[name] = value
	}
}

func (p *envParser) eof() bool  { return p.pos >= len(p.src) }
func (p *envParser) peek() byte { return p.src[p.pos] }

// newline steps over the '\n' at pos.
func (p *envParser) newline() { p.pos++; p.line++ }

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// skipBlanks steps over blanks (not line ends) and says how many there were.
func (p *envParser) skipBlanks() int {
	start := p.pos
	for !p.eof() && isBlank(p.peek()) {
		p.pos++
	}
	return p.pos - start
}

// skipToLineEnd steps to the next '\n' (or the end), not over it.
func (p *envParser) skipToLineEnd() {
	if i := bytes.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i
	} else {
		p.pos = len(p.src)
	}
}

// name reads "[export ]NAME =" and returns NAME.
func (p *envParser) name() (string, error) {
	if rest := p.src[p.pos:]; bytes.HasPrefix(rest, []byte("export")) && len(rest) > 6 && isBlank(rest[6]) {
		p.pos += 6
		p.skipBlanks()
	}
	start := p.pos
	for !p.eof() && p.peek() != '=' && p.peek() != '\n' && !isBlank(p.peek()) {
		p.pos++
	}
	name := string(p.src[start:p.pos])
	p.skipBlanks()
	switch {
	case name != "" && !validEnvName(name):
		return "", &envSyntaxError{p.line, "invalid character in a variable name (letters, digits, _ and . only); expected NAME=value"}
	case p.eof() || p.peek() == '\n':
		if name == "" {
			return "", &envSyntaxError{p.line, "export without a variable; expected export NAME=value"}
		}
		return "", &envSyntaxError{p.line, "no '=' on this line; expected NAME=value (a comment line starts with #)"}
	case p.peek() != '=':
		return "", &envSyntaxError{p.line, "a variable name with a space, or a line without '='; expected NAME=value"}
	case name == "":
		return "", &envSyntaxError{p.line, "no variable name before '='; expected NAME=value"}
	}
	p.pos++ // '='
	return name, nil
}

func validEnvName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '_', c == '.':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return name != ""
}

// value reads what follows '=' up to and including the line end.
func (p *envParser) value() (string, error) {
	blanks := p.skipBlanks()
	if p.eof() {
		return "", nil
	}
	var value string
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		var err error
		if value, err = p.quoted(c); err != nil {
			return "", err
		}
		p.skipBlanks()
		if !p.eof() && p.peek() != '\n' && p.peek() != '#' {
			return "", &envSyntaxError{p.line, "text after the closing quote; put all of the value inside the quotes, or start a comment with #"}
		}
		p.skipToLineEnd()
	case c == '#' && blanks > 0:
		p.skipToLineEnd() // NAME= # comment: an empty value
	default:
		value = p.unquoted()
	}
	if !p.eof() {
		p.newline()
	}
	return value, nil
}

// unquoted reads the rest of the line: up to a # after a blank, without
// the blanks around it.
func (p *envParser) unquoted() string {
	start := p.pos
	p.skipToLineEnd()
	line := p.src[start:p.pos]
	for i := 1; i < len(line); i++ {
		if line[i] == '#' && isBlank(line[i-1]) {
			line = line[:i]
			break
		}
	}
	for len(line) > 0 && isBlank(line[len(line)-1]) {
		line = line[:len(line)-1]
	}
	return string(line)
}

// quoted reads a quoted value, from its opening quote to its closing one.
func (p *envParser) quoted(quote byte) (string, error) {
	opened := p.line
	p.pos++
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		switch {
		case c == quote:
			p.pos++
			return b.String(), nil
		case c == '\n':
			p.line++
		case c == '\\' && quote == '"' && p.pos+1 < len(p.src):
			if r, ok := doubleQuoteEscapes[p.src[p.pos+1]]; ok {
				b.WriteByte(r)
				p.pos += 2
				continue
			}
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", &envSyntaxError{opened, fmt.Sprintf("unterminated quoted value: the %c opened on this line is never closed", quote)}
}

// doubleQuoteEscapes are the escapes a double-quoted value understands.
var doubleQuoteEscapes = map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', '"': '"', '\\': '\\', '$': '$'}
