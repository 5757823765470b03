package engine

import (
	"bytes"
	"io"
	"strings"
)

// csvOut writes RFC 4180 records into a buffer without building rows as
// slices: fields are quoted when they need it, or always when quoteAll is
// set (Anaplan's "text/csv;escaped=true").
type csvOut struct {
	w        *bytes.Buffer
	quoteAll bool
	first    bool
}

func newCSVOut(escaped bool) *csvOut {
	return &csvOut{w: bytes.NewBuffer(make([]byte, 0, 64<<10)), quoteAll: escaped, first: true}
}

// drain writes what the buffer holds to w and empties it.
func (c *csvOut) drain(w io.Writer) error {
	_, err := w.Write(c.w.Bytes())
	c.w.Reset()
	return err
}

func (c *csvOut) field(s string) {
	if !c.first {
		c.w.WriteByte(',')
	}
	c.first = false
	if !c.quoteAll && !strings.ContainsAny(s, ",\"\r\n") && (s == "" || (s[0] != ' ' && s[len(s)-1] != ' ')) {
		c.w.WriteString(s)
		return
	}
	c.w.WriteByte('"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		c.w.WriteString(s[:i+1])
		c.w.WriteByte('"')
		s = s[i+1:]
	}
	c.w.WriteString(s)
	c.w.WriteByte('"')
}

func (c *csvOut) end() {
	c.w.WriteString("\r\n")
	c.first = true
}

func (c *csvOut) record(fields ...string) {
	for _, f := range fields {
		c.field(f)
	}
	c.end()
}
