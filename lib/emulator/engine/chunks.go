package engine

// Streamed reads (view data, list items, read request pages) hold the
// model's read lock only while they render a chunk of rows into memory,
// never while they write to the network: a client that reads slowly
// cannot hold up imports and writes. A write between two chunks is seen
// by the later chunks (rows removed meanwhile end the read early).

// chunkRows is how many rows are rendered per hold of the read lock.
const chunkRows = 4096

// streamRows renders rows [lo, hi) with render, chunk by chunk, and
// after each chunk calls flush outside the lock. bound gives the current
// number of rows (it is read under the lock, so deletions are seen).
func (m *Model) streamRows(lo, hi int, bound func() int, render func(row int) error, flush func() error) error {
	for start := lo; start < hi; start += chunkRows {
		end := min(hi, start+chunkRows)
		m.mu.RLock()
		end = min(end, bound())
		var err error
		for row := start; row < end && err == nil; row++ {
			err = render(row)
		}
		m.mu.RUnlock()
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		if end < min(hi, start+chunkRows) {
			return nil
		}
	}
	return nil
}
