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
// the input, encoded once into the request body itself (prefix, the
// elements comma-separated, suffix), so a batch costs its body and an
// offset per element, not an allocation per element and a copy.
type batch struct {
	start, n int
	data     []byte // the body; complete (suffix included) once the batch is cut
	ends     []int  // where each element's encoding ends in data
	prefix   string
	suffix   string
	// remap, when set, is the input index of each element: a batch
	// re-sent with only some of its elements after a lost answer.
	remap []int
}

func newBatch(start int, prefix, suffix string, capacity int) *batch {
	b := &batch{start: start, prefix: prefix, suffix: suffix, data: make([]byte, 0, capacity)}
	b.data = append(b.data, prefix...)
	return b
}

// add appends one encoded element.
func (b *batch) add(e []byte) {
	if b.n > 0 {
		b.data = append(b.data, ',')
	}
	b.data = append(b.data, e...)
	b.ends = append(b.ends, len(b.data))
	b.n++
}

// size is the body's length once cut.
func (b *batch) size() int { return len(b.data) + len(b.suffix) }

// cut closes the body.
func (b *batch) cut() *batch {
	b.data = append(b.data, b.suffix...)
	return b
}

// body is the request body of a cut batch.
func (b *batch) body() []byte { return b.data }

// elem is element k's encoding.
func (b *batch) elem(k int) []byte {
	from := len(b.prefix)
	if k > 0 {
		from = b.ends[k-1] + 1 // after the comma
	}
	return b.data[from:b.ends[k]]
}

// index is the input index of element k of the batch.
func (b *batch) index(k int) int {
	if b.remap != nil {
		return b.remap[k]
	}
	return b.start + k
}

// subset is a cut batch of the elements ks (ascending) of b.
func (b *batch) subset(ks []int) *batch {
	nb := newBatch(b.index(ks[0]), b.prefix, b.suffix, len(b.data))
	nb.remap = make([]int, 0, len(ks))
	for _, k := range ks {
		nb.add(b.elem(k))
		nb.remap = append(nb.remap, b.index(k))
	}
	return nb.cut()
}

// batches encodes elements one at a time into request bodies of at most
// perCall elements and maxBytes (prefix and suffix included). An element
// too large for any body is an error naming it.
func batches[T any](seq iter.Seq[T], encode func(T) ([]byte, error), perCall, maxBytes int, prefix, suffix string) iter.Seq2[*batch, error] {
	return func(yield func(*batch, error) bool) {
		capacity := min(maxBytes, 1<<20)
		cur := newBatch(0, prefix, suffix, capacity)
		i := 0
		for v := range seq {
			e, err := encode(v)
			if err != nil {
				yield(nil, wrapf(err, "encoding element %d", i))
				return
			}
			if len(e)+len(prefix)+len(suffix) > maxBytes {
				yield(nil, fmt.Errorf("anaplan: element %d is %d bytes encoded, more than one request may carry (%d)", i, len(e), maxBytes))
				return
			}
			if cur.n > 0 && (cur.n >= perCall || cur.size()+1+len(e) > maxBytes) {
				if !yield(cur.cut(), nil) {
					return
				}
				cur = newBatch(i, prefix, suffix, max(capacity, len(cur.data)))
			}
			cur.add(e)
			i++
		}
		if cur.n > 0 {
			yield(cur.cut(), nil)
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

// ahead runs seq one batch ahead of its consumer in a goroutine, so that
// encoding the next batch overlaps sending the current one. Memory holds
// at most two batches besides the one being sent. Stopping early (or an
// error) ends the goroutine.
func ahead(seq iter.Seq2[*batch, error]) iter.Seq2[*batch, error] {
	return func(yield func(*batch, error) bool) {
		type item struct {
			b   *batch
			err error
		}
		ch := make(chan item, 1)
		done := make(chan struct{})
		exited := make(chan struct{})
		defer func() {
			close(done)
			<-exited // the input is never read after the caller returns
		}()
		go func() {
			defer close(exited)
			defer close(ch)
			for b, err := range seq {
				select {
				case ch <- item{b, err}:
				case <-done:
					return
				}
				if err != nil {
					return
				}
			}
		}()
		for it := range ch {
			if !yield(it.b, it.err) || it.err != nil {
				return
			}
		}
	}
}
