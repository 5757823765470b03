// Package modeldata moves a model's data between Anaplan and files: any
// list or view read to CSV or JSON (through a large read request when it
// is big), and list items or cells written from a CSV file with a failure
// report that names the CSV line of each rejected row. It imports
// lib/anaplan only; scripts/read and scripts/write are its front doors.
package modeldata

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Object is a list or a view of a model.
type Object struct {
	Kind     string // "list" or "view"
	ID, Name string
	// Items is a list's item count (from its metadata); -1 for views.
	Items int
	// Axes is a view's metadata: which dimensions are on rows, columns
	// and pages, which shapes the CSV grid Anaplan answers with.
	Axes anaplan.ViewMetadata
}

// Resolve finds the list or view (exactly one of list, view: a name or id).
func Resolve(ctx context.Context, m *anaplan.ModelHandle, list, view string) (Object, error) {
	switch {
	case (list == "") == (view == ""):
		return Object{}, errors.New("name exactly one list or one view (by name or id)")
	case list != "":
		l, err := m.FindList(ctx, list)
		if err != nil {
			return Object{}, err
		}
		md, err := m.ListMetadata(ctx, l.ID)
		if err != nil {
			return Object{}, err
		}
		return Object{Kind: "list", ID: l.ID, Name: l.Name, Items: md.ItemCount}, nil
	}
	v, err := m.FindView(ctx, view)
	if err != nil {
		return Object{}, err
	}
	md, err := m.ViewMetadata(ctx, v.ID)
	if err != nil {
		return Object{}, err
	}
	return Object{Kind: "view", ID: v.ID, Name: v.Name, Items: -1, Axes: md}, nil
}

// Large says when a read goes through a large read request.
type Large string

// The choices of ReadOptions.Large.
const (
	LargeAuto   Large = "auto"   // lists over the threshold; views Anaplan refuses to read at once
	LargeAlways Large = "always" // always a read request (views in the tabular layout)
	LargeNever  Large = "never"
)

// DefaultLargeThreshold is the item count above which a list is read
// through a read request in LargeAuto: Anaplan advises one for lists of
// about 10 MB, some 100,000 items.
const DefaultLargeThreshold = 100_000

// ReadOptions shape Read.
type ReadOptions struct {
	// JSON writes a JSON array of objects keyed by the CSV header instead
	// of CSV.
	JSON bool
	// Large chooses the read; "" means LargeAuto.
	Large Large
	// LargeThreshold is LargeAuto's item count for lists; 0 means the default.
	LargeThreshold int
	// Progress, when set, is told the rows written so far now and then.
	Progress func(rows int64)
	// Notice receives one line when the read changes course (a view too
	// large to read at once, read again through a read request).
	Notice func(string)
}

// ReadResult says how the object was read.
type ReadResult struct {
	Rows  int64 // data rows, header excluded
	Large bool  // read through a read request
}

// Read writes the object's data to w, one row at a time (memory holds a
// row, never the object): CSV as Anaplan renders it, or JSON records.
func Read(ctx context.Context, m *anaplan.ModelHandle, obj Object, w io.Writer, opts ReadOptions) (ReadResult, error) {
	large := opts.Large
	if large == "" {
		large = LargeAuto
	}
	threshold := opts.LargeThreshold
	if threshold <= 0 {
		threshold = DefaultLargeThreshold
	}
	useLarge := large == LargeAlways || (large == LargeAuto && obj.Kind == "list" && obj.Items > threshold)
	src, err := open(ctx, m, obj, useLarge)
	var apiErr *anaplan.APIError
	if err != nil && !useLarge && large == LargeAuto && obj.Kind == "view" && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
		if opts.Notice != nil {
			opts.Notice(fmt.Sprintf("view %q cannot be read at once (%s); reading it through a large read request instead", obj.Name, apiErr.Message))
		}
		useLarge = true
		src, err = open(ctx, m, obj, true)
	}
	if err != nil {
		return ReadResult{}, fmt.Errorf("reading %s %q: %w", obj.Kind, obj.Name, err)
	}
	var grid *anaplan.ViewMetadata
	if obj.Kind == "view" && !useLarge {
		grid = &obj.Axes // the grid layout; a read request's tabular one names its columns
	}
	rows, copyErr := convert(src, w, grid, opts)
	closeErr := src.Close()
	if copyErr != nil {
		return ReadResult{Rows: rows, Large: useLarge}, fmt.Errorf("reading %s %q: %w", obj.Kind, obj.Name, copyErr)
	}
	if closeErr != nil && useLarge {
		// The data is complete; only the clean-up failed (the server frees
		// idle requests after 30 minutes anyway).
		if opts.Notice != nil {
			opts.Notice("deleting the read request failed: " + closeErr.Error())
		}
	}
	return ReadResult{Rows: rows, Large: useLarge}, nil
}

func open(ctx context.Context, m *anaplan.ModelHandle, obj Object, large bool) (io.ReadCloser, error) {
	switch {
	case obj.Kind == "list" && large:
		return m.ReadListLarge(ctx, obj.ID, nil)
	case obj.Kind == "list":
		return m.ListItemsCSV(ctx, obj.ID, anaplan.ListItemsOptions{IncludeAll: true})
	case large:
		return m.ReadViewLarge(ctx, obj.ID, anaplan.LayoutTabularMultiColumn, nil)
	}
	return m.ViewDataCSV(ctx, obj.ID, anaplan.ViewDataOptions{Escaped: true})
}

// progressEvery is how many rows pass between Progress calls.
const progressEvery = 10_000

// convert copies CSV records from src to w as RFC 4180 CSV (LF line ends)
// or as a JSON array of objects, counting data rows. grid, for a view's
// CSV grid, says how its header lines are laid out (see gridHeader).
func convert(src io.Reader, w io.Writer, grid *anaplan.ViewMetadata, opts ReadOptions) (int64, error) {
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var header []string
	var err error
	if grid != nil {
		header, err = gridHeader(cr, *grid)
	} else if header, err = cr.Read(); err == nil {
		header = append([]string(nil), header...)
	}
	if err == io.EOF {
		if opts.JSON {
			_, err = io.WriteString(w, "[]\n")
			return 0, err
		}
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("the server's CSV: %w", err)
	}
	var (
		cw   *csv.Writer
		rows int64
	)
	if !opts.JSON {
		cw = csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return 0, err
		}
	} else if _, err := io.WriteString(w, "["); err != nil {
		return 0, err
	}
	js := newJSONStrings()
	keys := make([][]byte, len(header))
	for i, h := range header {
		keys[i] = js.appendTo(nil, h)
	}
	buf := make([]byte, 0, 4096)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rows, fmt.Errorf("the server's CSV: %w", err)
		}
		if cw != nil {
			if err := cw.Write(rec); err != nil {
				return rows, err
			}
		} else {
			buf = buf[:0]
			if rows > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, "\n{"...)
			for i, v := range rec {
				if i > 0 {
					buf = append(buf, ',')
				}
				if i < len(keys) {
					buf = append(buf, keys[i]...)
				} else {
					buf = fmt.Appendf(buf, "\"column %d\"", i+1)
				}
				buf = append(buf, ':')
				buf = js.appendTo(buf, v)
			}
			buf = append(buf, '}')
			if _, err := w.Write(buf); err != nil {
				return rows, err
			}
		}
		rows++
		if opts.Progress != nil && rows%progressEvery == 0 {
			opts.Progress(rows)
		}
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return rows, err
		}
	} else if _, err := io.WriteString(w, "\n]\n"); err != nil {
		return rows, err
	}
	if opts.Progress != nil {
		opts.Progress(rows)
	}
	return rows, nil
}

// gridHeader reads the header lines of a view's CSV grid, laid out as the
// reference describes it: a line of the page selectors' items when the
// view has page dimensions, then a line per column dimension, whose first
// cells (one per row dimension) are blank. The blank corner cells become
// the row dimensions' names (from the view's metadata: the data carries
// none), and several column lines join into one "Jan 13 / Actual" header.
func gridHeader(cr *csv.Reader, axes anaplan.ViewMetadata) ([]string, error) {
	if len(axes.Pages) > 0 {
		if _, err := cr.Read(); err != nil {
			return nil, err
		}
	}
	var header []string
	for line := range max(len(axes.Columns), 1) {
		rec, err := cr.Read()
		if err != nil {
			return nil, err
		}
		if line == 0 {
			header = append([]string(nil), rec...)
			continue
		}
		for i, v := range rec {
			switch {
			case i >= len(header):
				header = append(header, v)
			case v != "" && i >= len(axes.Rows):
				header[i] = strings.TrimPrefix(header[i]+" / "+v, " / ")
			}
		}
	}
	for i, d := range axes.Rows {
		if i < len(header) && header[i] == "" {
			header[i] = d.Name
		}
	}
	return header, nil
}

// jsonStrings encodes strings as JSON with &, < and > as they are: the
// output is data for a file, not HTML ("FP&A", not "FP\u0026A"). One
// encoder serves every cell.
type jsonStrings struct {
	b   bytes.Buffer
	enc *json.Encoder
}

func newJSONStrings() *jsonStrings {
	j := &jsonStrings{}
	j.enc = json.NewEncoder(&j.b)
	j.enc.SetEscapeHTML(false)
	return j
}

// appendTo appends s, encoded, to buf.
func (j *jsonStrings) appendTo(buf []byte, s string) []byte {
	j.b.Reset()
	_ = j.enc.Encode(s) // a string always encodes
	return append(buf, bytes.TrimSuffix(j.b.Bytes(), []byte("\n"))...)
}
