package anaplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// Anaplan's limits on one transactional write (anaplan-api.md §6, §8, §13).
const (
	// MaxItemsPerCall is the most list items one add, update or delete takes.
	MaxItemsPerCall = 100_000
	// MaxCellsPerCall is the most cells one cell write takes. The OpenAPI
	// text says 1,000, the help pages 100,000: WriteOptions.MaxPerCall
	// lowers it for a tenant that enforces the smaller figure.
	MaxCellsPerCall = 100_000
	// MaxWriteBytes is the largest request body of a cell write (15 MB);
	// list item writes are held to it too.
	MaxWriteBytes = 15 << 20
)

// WriteOptions shape a batched write of list items or cells.
type WriteOptions struct {
	// MaxPerCall is the most items (cells) sent in one request; 0 means
	// Anaplan's limit, 100,000.
	MaxPerCall int
	// MaxBytes bounds one request body; 0 means 15 MB.
	MaxBytes int
	// Progress, when set, is told after each request how many elements of
	// the input have been sent so far.
	Progress func(sent int)
}

func (o WriteOptions) limits(defaultPerCall int) (perCall, maxBytes int) {
	perCall, maxBytes = o.MaxPerCall, o.MaxBytes
	if perCall <= 0 {
		perCall = defaultPerCall
	}
	if maxBytes <= 0 {
		maxBytes = MaxWriteBytes
	}
	return perCall, maxBytes
}

// WriteFailure is one element Anaplan rejected. Index points into the
// caller's input (not into the request that carried it), so a batched
// write of a million rows names the row that failed.
type WriteFailure struct {
	Index   int    `json:"requestIndex"`
	Type    string `json:"failureType"`
	Details string `json:"failureMessageDetails"`
}

func (f WriteFailure) String() string {
	return fmt.Sprintf("index %d: %s: %s", f.Index, f.Type, f.Details)
}

// batch is one request's worth of a write: elements [start, start+n) of
// the input, encoded.
type batch struct {
	start, n int
	elems    [][]byte // each element's JSON
	size     int      // sum of len(elems) plus commas
	// remap, when set, is the input index of each element: a batch
	// re-sent with only some of its elements after a lost answer.
	remap []int
}

// index is the input index of element k of the batch.
func (b *batch) index(k int) int {
	if b.remap != nil {
		return b.remap[k]
	}
	return b.start + k
}

// subset is a batch of the elements ks (ascending) of b.
func (b *batch) subset(ks []int) *batch {
	nb := &batch{start: b.index(ks[0]), remap: make([]int, 0, len(ks))}
	for _, k := range ks {
		if nb.n > 0 {
			nb.size++
		}
		nb.elems = append(nb.elems, b.elems[k])
		nb.size += len(b.elems[k])
		nb.remap = append(nb.remap, b.index(k))
		nb.n++
	}
	return nb
}

// body wraps the elements in prefix … suffix, comma-separated.
func (b *batch) body(prefix, suffix string) []byte {
	buf := make([]byte, 0, len(prefix)+b.size+len(suffix))
	buf = append(buf, prefix...)
	for i, e := range b.elems {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, e...)
	}
	return append(buf, suffix...)
}

// batches encodes elements one at a time and cuts them into batches of at
// most perCall elements and maxBytes of body (overhead included). An
// element too large for any body is an error naming it.
func batches[T any](seq iter.Seq[T], encode func(T) ([]byte, error), perCall, maxBytes, overhead int) iter.Seq2[*batch, error] {
	return func(yield func(*batch, error) bool) {
		cur := &batch{}
		i := 0
		for v := range seq {
			b, err := encode(v)
			if err != nil {
				yield(nil, fmt.Errorf("anaplan: encoding element %d: %w", i, err))
				return
			}
			if len(b)+overhead > maxBytes {
				yield(nil, fmt.Errorf("anaplan: element %d is %d bytes encoded, more than one request may carry (%d)", i, len(b), maxBytes))
				return
			}
			extra := len(b)
			if cur.n > 0 {
				extra++ // the comma
			}
			if cur.n > 0 && (cur.n >= perCall || cur.size+extra+overhead > maxBytes) {
				if !yield(cur, nil) {
					return
				}
				cur = &batch{start: i}
				extra = len(b)
			}
			cur.elems = append(cur.elems, b)
			cur.size += extra
			cur.n++
			i++
		}
		if cur.n > 0 {
			yield(cur, nil)
		}
	}
}

// failuresJSON is the failures array of a write answer, batch-relative.
type failuresJSON []WriteFailure

// shift makes batch-relative failure indexes point into the whole input.
// An index outside the batch (a server bug) is kept, shifted, and marked.
func (fs failuresJSON) shift(b *batch) []WriteFailure {
	out := make([]WriteFailure, len(fs))
	for i, f := range fs {
		out[i] = f
		if f.Index < 0 || f.Index >= b.n {
			out[i].Details = fmt.Sprintf("%s (the server named request index %d of a batch of %d)", f.Details, f.Index, b.n)
		}
		if f.Index >= 0 && f.Index < b.n {
			out[i].Index = b.index(f.Index)
		} else {
			out[i].Index = b.start + f.Index
		}
	}
	return out
}

// answerLost reports whether err leaves unknown whether the server acted
// on a write: the connection failed after the request may have arrived,
// or the server failed (5xx) mid-way. A 4xx or 429/409 answer, or the
// caller's own cancellation, is known not to have written.
func answerLost(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	return err != nil
}

// compactJSON is json.Marshal without HTML escaping: names with & < >
// travel as they are, which also keeps bodies smaller.
func compactJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
