package engine

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// source reads the records of an uploaded import data source as its file
// definition says: separator, header row, first data row, encoding. Quoting
// is RFC 4180 with '"' (embedded separators, quotes and newlines), and a
// UTF-8 byte order mark is skipped.
type source struct {
	file    *file
	csv     *csv.Reader
	counter *countingReader
	total   int64    // size of the upload when known, else -1
	header  []string // the file's header row, or the definition's headers when headerRow is 0
	recNo   int      // records read so far (1-based row number of the last one)
}

// row is one data record. When the record could not be parsed (an unmatched
// quote), fields holds what was read before the problem and parseErr says
// what it was; the row fails, it is not dropped.
type row struct {
	fields   []string
	line     int // physical line the record starts on, for _Line_
	parseErr error
}

func openSource(f *file, data io.Reader) (*source, error) {
	s := &source{file: f, counter: &countingReader{r: data}, total: sizeOf(data)}
	br := bufio.NewReaderSize(s.counter, 64<<10)
	var text io.Reader = br
	if f.encoding == "ISO-8859-1" {
		text = &latin1Reader{r: br}
	} else if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	s.csv = csv.NewReader(text)
	s.csv.Comma = f.separator
	s.csv.FieldsPerRecord = -1
	s.csv.ReuseRecord = true

	if f.headerRow == 0 {
		s.header = f.headers
	}
	for s.recNo+1 < f.firstDataRow {
		rec, err := s.csv.Read()
		if err == io.EOF {
			break
		}
		if err != nil && !isParseError(err) {
			return nil, err
		}
		s.recNo++
		if s.recNo == f.headerRow {
			s.header = validUTF8(slices.Clone(rec))
		}
	}
	return s, nil
}

// next returns the next data row, or io.EOF.
func (s *source) next() (row, error) {
	rec, err := s.csv.Read()
	switch {
	case err == nil:
		s.recNo++
		line, _ := s.csv.FieldPos(0)
		return row{fields: validUTF8(rec), line: line}, nil
	case isParseError(err):
		s.recNo++
		var pe *csv.ParseError
		errors.As(err, &pe)
		return row{fields: validUTF8(rec), line: pe.StartLine, parseErr: pe}, nil
	default:
		return row{}, err
	}
}

// columns maps each named column to its index in the file's header. A
// missing column maps to -1 and is returned in missing.
func (s *source) columns(names ...string) (idx []int, missing []string) {
	idx = make([]int, len(names))
	for i, n := range names {
		idx[i] = -1
		if n == "" {
			continue
		}
		if idx[i] = slices.Index(s.header, n); idx[i] < 0 {
			missing = append(missing, n)
		}
	}
	return idx, missing
}

// fraction is how much of the upload has been read, for task progress.
// Without a known size it approaches 1 as rows go by.
func (s *source) fraction(rows int) float64 {
	if s.total > 0 {
		return min(float64(s.counter.n)/float64(s.total), 1)
	}
	return float64(rows) / float64(rows+100_000)
}

// validUTF8 replaces bytes that are not UTF-8 in a UTF-8 file by U+FFFD,
// once, on the way in: every reader of the model (JSON, snapshots) then sees
// the same text, and two different invalid codes cannot become one later.
func validUTF8(fields []string) []string {
	for i, f := range fields {
		if !utf8.ValidString(f) {
			fields[i] = strings.ToValidUTF8(f, "\uFFFD")
		}
	}
	return fields
}

// estimateRows extrapolates the number of data rows of the upload from the
// rows read so far and the bytes they took, with a margin; 0 when the
// size is unknown.
func (s *source) estimateRows(rows int) int {
	read := s.csv.InputOffset()
	if s.total <= 0 || read <= 0 {
		return 0
	}
	return int(float64(rows) * float64(s.total) / float64(read) * 1.05)
}

func isParseError(err error) bool {
	var pe *csv.ParseError
	return errors.As(err, &pe)
}

func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size()
	case interface{ Len() int }:
		return int64(v.Len())
	}
	return -1
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// latin1Reader decodes ISO-8859-1 to UTF-8: every byte is the code point
// of the same value. Decoded text waits in pending for callers that read
// in small pieces (bufio does, near the end of its buffer).
type latin1Reader struct {
	r       io.Reader
	in, out []byte
	pending []byte
	err     error
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) == 0 {
		if l.err != nil {
			return 0, l.err
		}
		if l.in == nil {
			l.in, l.out = make([]byte, 16<<10), make([]byte, 32<<10)
		}
		n, err := l.r.Read(l.in)
		l.err = err
		out := l.out[:0]
		for _, c := range l.in[:n] {
			out = utf8.AppendRune(out, rune(c))
		}
		l.pending = out
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	if len(l.pending) == 0 && l.err != nil {
		return n, l.err
	}
	return n, nil
}
