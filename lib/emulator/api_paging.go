package emulator

import (
	"fmt"
	"net/http"
	"strconv"
)

// maxPageSize is both the default and the maximum page size of Anaplan's
// list endpoints; a larger limit is silently capped (anaplan-api.md §3, §8).
const maxPageSize = 5000

// pageRequest is a validated offset/limit pair.
type pageRequest struct {
	offset int
	limit  int
}

// pagingJSON is meta.paging. Next and Previous are ready-made absolute URLs
// that echo every query parameter of the request with a new offset/limit.
type pagingJSON struct {
	CurrentPageSize int    `json:"currentPageSize"`
	TotalSize       int    `json:"totalSize"`
	Offset          int    `json:"offset"`
	Next            string `json:"next,omitempty"`
	Previous        string `json:"previous,omitempty"`
}

// parsePage reads offset and limit. An empty parameter counts as absent.
// Anaplan's message for a bad value is not documented; ours names the
// parameter and the accepted range.
func parsePage(r *http.Request) (pageRequest, error) {
	q := r.URL.Query()
	p := pageRequest{offset: 0, limit: maxPageSize}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, fmt.Errorf("Invalid value for query parameter 'offset': '%s'. Use an integer of at least 0.", v)
		}
		p.offset = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, fmt.Errorf("Invalid value for query parameter 'limit': '%s'. Use an integer of at least 1.", v)
		}
		p.limit = min(n, maxPageSize)
	}
	return p, nil
}

// window returns the half-open index range [lo, hi) of this page in a
// collection of total items.
func (p pageRequest) window(total int) (lo, hi int) {
	lo = min(p.offset, total)
	hi = lo + min(p.limit, total-lo)
	return lo, hi
}

// paging builds meta.paging for a page of size n out of total items.
func (p pageRequest) paging(r *http.Request, n, total int) *pagingJSON {
	pg := &pagingJSON{CurrentPageSize: n, TotalSize: total, Offset: p.offset}
	if p.offset+n < total {
		pg.Next = pageURL(r, p.offset+p.limit, p.limit)
	}
	if p.offset > 0 {
		pg.Previous = pageURL(r, max(0, p.offset-p.limit), p.limit)
	}
	return pg
}

// pageURL is the request's own URL with offset and limit replaced.
func pageURL(r *http.Request, offset, limit int) string {
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset))
	q.Set("limit", strconv.Itoa(limit))
	return baseURL(r) + r.URL.EscapedPath() + "?" + q.Encode()
}

// readPage parses offset and limit, answering 400 when either is bad;
// list handlers start (after their lookups) with it.
func (e *Emulator) readPage(w http.ResponseWriter, r *http.Request) (pageRequest, bool) {
	p, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return p, false
	}
	return p, true
}

// pageOf is the part of items that page p shows.
func pageOf[T any](p pageRequest, items []T) []T {
	lo, hi := p.window(len(items))
	return items[lo:hi]
}

// rendered maps the rows of a page to their JSON objects.
func rendered[S, T any](rows []S, render func(S) T) []T {
	out := make([]T, len(rows))
	for i, row := range rows {
		out[i] = render(row)
	}
	return out
}

// writePage answers 200 with one page of a list: env with meta.paging
// for page p (items is the page, total the size of the whole list), then
// the items under key, the key omitted when the page is empty, as
// Anaplan omits empty lists (anaplan-api.md §3).
func writePage[T any](w http.ResponseWriter, r *http.Request, p pageRequest, env envelope, key string, items []T, total int) {
	env.Meta.Paging = p.paging(r, len(items), total)
	writeEnvelopeWith(w, env, key, items, len(items) > 0)
}
