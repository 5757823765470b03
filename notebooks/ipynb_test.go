package notebooks_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ipynb is the part of an nbformat 4 notebook the harness reads. Everything
// else (metadata, ids, execution counts) is deliberately ignored: it changes
// between runs and machines without changing what a reader sees.
type ipynb struct {
	Cells []ipynbCell `json:"cells"`
}

type ipynbCell struct {
	CellType string        `json:"cell_type"`
	Source   multiline     `json:"source"`
	Outputs  []ipynbOutput `json:"outputs"`
}

type ipynbOutput struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name"` // stream: stdout or stderr
	Text       multiline                  `json:"text"`
	Data       map[string]json.RawMessage `json:"data"` // display_data, execute_result
	EName      string                     `json:"ename"`
	EValue     string                     `json:"evalue"`
	Traceback  []string                   `json:"traceback"`
}

// multiline is nbformat's "multiline string": a string or a list of strings
// to be concatenated.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("want a string or a list of strings, got %.40s", b)
	}
	*m = multiline(strings.Join(parts, ""))
	return nil
}

func parseNotebook(data []byte) (*ipynb, error) {
	var nb ipynb
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("not an nbformat 4 notebook: %w", err)
	}
	return &nb, nil
}

// shownCell is what a reader sees of one code cell, reduced to what must be
// identical between two executions.
type shownCell struct {
	Index    int    // position among all cells, from 1 as a reader counts
	Source   string // the code as written
	Stdout   string
	Stderr   string
	Displays []string // rendered rich outputs, in order
	Errors   []string // ename: evalue, then the traceback
}

// shown returns the code cells of nb as a reader sees them.
//
// Streams are concatenated per stream: GoNB reads stdout, stderr and rich
// displays through separate pipes, so how they interleave (and where a
// stream is split) depends on timing, not on the code.
func shown(nb *ipynb) []shownCell {
	var cells []shownCell
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		s := shownCell{Index: i + 1, Source: string(c.Source)}
		var stdout, stderr strings.Builder
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "stream":
				if o.Name == "stderr" {
					stderr.WriteString(stable(string(o.Text)))
				} else {
					stdout.WriteString(stable(string(o.Text)))
				}
			case "display_data", "execute_result":
				s.Displays = append(s.Displays, renderData(o.Data))
			case "error":
				s.Errors = append(s.Errors, stable(o.EName+": "+o.EValue+"\n"+strings.Join(o.Traceback, "\n")))
			}
		}
		s.Stdout, s.Stderr = stdout.String(), stderr.String()
		cells = append(cells, s)
	}
	return cells
}

// renderData renders one rich output as text, one section per MIME type in
// a fixed order. Binary images are shown by size and digest so a diff stays
// readable while any pixel change still shows.
func renderData(data map[string]json.RawMessage) string {
	mimes := make([]string, 0, len(data))
	for mime := range data {
		mimes = append(mimes, mime)
	}
	slices.Sort(mimes)
	var b strings.Builder
	for _, mime := range mimes {
		raw := data[mime]
		var text multiline
		if err := json.Unmarshal(raw, &text); err != nil {
			// JSON-valued MIME types (application/json, widget views).
			var compact bytes.Buffer
			if json.Compact(&compact, raw) == nil {
				raw = compact.Bytes()
			}
			text = multiline(raw)
		}
		switch {
		case strings.HasPrefix(mime, "image/") && mime != "image/svg+xml":
			digest := sha256.Sum256([]byte(strings.TrimSpace(string(text))))
			fmt.Fprintf(&b, "[%s] %d base64 bytes, sha256 %x\n", mime, len(text), digest[:8])
		default:
			fmt.Fprintf(&b, "[%s]\n%s\n", mime, stable(string(text)))
		}
	}
	return b.String()
}

var (
	// ansiEscape matches terminal colour codes, which GoNB puts around cell
	// references in stack traces.
	ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// gonbTempName matches GoNB's per-kernel temporary directory and program
	// name (gonb_ and 8 hex digits), which differ on every kernel start.
	gonbTempName = regexp.MustCompile(`gonb_[0-9a-f]{8}`)
)

// stable removes from text what differs between executions by construction.
func stable(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = ansiEscape.ReplaceAllString(text, "")
	return gonbTempName.ReplaceAllString(text, "gonb_XXXXXXXX")
}

// text is the canonical text of what a cell shows, for diffs and content
// assertions: two cells show the same thing exactly when their texts are equal.
func (c shownCell) text() string {
	var b strings.Builder
	section := func(name, text string) {
		if text == "" {
			return
		}
		b.WriteString("--- " + name + "\n" + text)
		if !strings.HasSuffix(text, "\n") {
			b.WriteString("\n")
		}
	}
	section("stdout", c.Stdout)
	section("stderr", c.Stderr)
	for i, d := range c.Displays {
		section(fmt.Sprintf("display %d", i+1), d)
	}
	for _, e := range c.Errors {
		section("error", e)
	}
	return b.String()
}

// compareShown reports the first code cell whose output differs between the
// committed and the fresh execution, with a readable diff; "" when they match.
func compareShown(committed, fresh []shownCell) string {
	if len(committed) != len(fresh) {
		return fmt.Sprintf("the committed notebook has %d code cells, the executed one %d", len(committed), len(fresh))
	}
	for i := range committed {
		want, got := committed[i].text(), fresh[i].text()
		if want == got {
			continue
		}
		return fmt.Sprintf("cell %d shows something else than its committed output.\n"+
			"--- source of cell %d\n%s\n"+
			"--- diff (- committed, + fresh execution)\n%s",
			fresh[i].Index, fresh[i].Index, indent(fresh[i].Source), lineDiff(want, got))
	}
	return ""
}

func indent(text string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n    ")
}
