package session

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseEnvFile feeds arbitrary .env text to the parser: no panic, and a
// failure names the file and a line of it without quoting it.
func FuzzParseEnvFile(f *testing.F) {
	f.Add([]byte("ANAPLAN_USERNAME=a@b.c\nANAPLAN_PASSWORD=\"p#w\"\n"))
	f.Add([]byte("A=\"multi\nline\"\nBAD-NAME=TopSecret123\n"))
	f.Add([]byte("export X='unterminated\r\nY=1"))
	f.Add([]byte("\uFEFFA=$B ${C} \"\\$D\" # c\n"))
	lineRef := regexp.MustCompile(`^anaplan: \.env line ([0-9]+): `)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parseEnvFile(".env", data)
		if err == nil {
			return
		}
		m := lineRef.FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("error does not name the file and line: %v", err)
		}
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("error names a line the file does not have: %v", err)
		}
		const secret = "TopSecret123"
		if bytes.Contains(data, []byte(secret)) && strings.Contains(err.Error(), secret) {
			t.Fatalf("error quotes the file: %v", err)
		}
	})
}

// FuzzEnvValueRoundTrip: any value written the way the README says, single
// quoted, double quoted with escapes, or bare where that is unambiguous,
// reads back exactly, whatever $, #, quotes or backslashes it holds.
func FuzzEnvValueRoundTrip(f *testing.F) {
	for _, v := range []string{"Summer$2024!", "${HOME}", "p #ss", `a\"b'c`, "multi\nline", "  x  ", "#", "", "\\", "é✓"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsRune(v, 0) {
			return // no environment variable can hold a NUL
		}
		var forms []string
		if !strings.ContainsAny(v, "'\r") { // CRLF inside reads as LF
			forms = append(forms, "'"+v+"'")
		}
		forms = append(forms, `"`+strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", `\r`).Replace(v)+`"`)
		if bare(v) {
			forms = append(forms, v)
		}
		for _, form := range forms {
			lines := []string{"ANAPLAN_PASSWORD=" + form}
			if form != v || v[0] != '#' { // "NAME = #x" is a comment: # after a blank
				lines = append(lines, "export ANAPLAN_PASSWORD = "+form+" # comment")
			}
			for _, line := range lines {
				vars, err := parseEnv([]byte("# first\nA=1\n" + line + "\nB=2\n"))
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				if vars["ANAPLAN_PASSWORD"] != v || vars["A"] != "1" || vars["B"] != "2" {
					t.Fatalf("%q read as %q (A=%q B=%q), want %q", line, vars["ANAPLAN_PASSWORD"], vars["A"], vars["B"], v)
				}
			}
		}
	})
}

// bare reports whether v can be written without quotes: one line, no
// blanks at either end, not starting with a quote, no # after a blank.
func bare(v string) bool {
	if v == "" || strings.ContainsAny(v, "\n\r") || v[0] == '\'' || v[0] == '"' {
		return false
	}
	if isBlank(v[0]) || isBlank(v[len(v)-1]) {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && isBlank(v[i-1]) {
			return false
		}
	}
	return true
}
