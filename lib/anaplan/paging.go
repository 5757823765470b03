package anaplan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
)

// ListOptions shape a list call.
type ListOptions struct {
	// Details asks for the optional fields: tenantDetails=true for
	// workspaces (sizes), modelDetails=true for models (memoryUsage, dates).
	Details bool
	// PageSize is the limit asked per page; 0 means 5000, Anaplan's maximum.
	// The server may return fewer; paging follows what it returns.
	PageSize int
	// Sort is Anaplan's sort expression, e.g. "+name" or "-activeState,+name".
	// The sign is mandatory; unknown fields make Anaplan answer 400.
	Sort string
	// Concurrency is how many pages may be in flight at once after the
	// first, whose meta.paging says how many follow; 0 or 1 asks for one
	// page at a time. Items come in order either way. Reading a whole large
	// list, 4 hides most round trips (20,000 models are 4 pages) and stays
	// far from Anaplan's rate limits.
	Concurrency int
	// Total, when set, is told meta.paging.totalSize as soon as the first
	// page arrives, before its items are yielded, so that a caller
	// collecting every item can allocate once: growing a slice of 100,000
	// models held two copies at once. It is a hint from the server, not a
	// promise: cap what you allocate on it.
	Total func(n int)
}

// maxPageSize is Anaplan's default and effective maximum page size.
const maxPageSize = 5000

func (o ListOptions) query(detailsParam string) url.Values {
	q := url.Values{}
	if o.Details {
		q.Set(detailsParam, "true")
	}
	if o.Sort != "" {
		q.Set("sort", o.Sort)
	}
	return q
}

func (o ListOptions) pageSize() int {
	if o.PageSize <= 0 {
		return maxPageSize
	}
	return o.PageSize
}

// paging is meta.paging of a list answer.
type paging struct {
	CurrentPageSize int `json:"currentPageSize"`
	TotalSize       int `json:"totalSize"`
	Offset          int `json:"offset"`
}

// decodePage reads one list answer: the items under key (absent means
// none: Anaplan omits empty collections) and meta.paging (nil if absent).
// Pages of models take a one-pass shortcut when it applies (modeldecode.go);
// the result is the same either way.
func decodePage[T any](data []byte, key string) ([]T, *paging, error) {
	if _, models := any((*T)(nil)).(*Model); models && key == "models" {
		if ms, p, ok := decodeModelsPage(data); ok { // the one-pass shortcut, see modeldecode.go
			return any(ms).([]T), p, nil
		}
	}
	return decodePageJSON[T](data, key)
}

// decodePageJSON is decodePage with encoding/json, for every page. It
// streams the top-level object and decodes the items one at a time.
func decodePageJSON[T any](data []byte, key string) ([]T, *paging, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, fmt.Errorf("the answer is not a JSON object%s", tokenErr(err))
	}
	var (
		items []T
		meta  struct {
			Paging *paging `json:"paging"`
		}
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("invalid JSON%s", tokenErr(err))
		}
		name, _ := tok.(string)
		switch name {
		case "meta":
			err = dec.Decode(&meta)
		case key:
			items, err = decodeItems[T](dec)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("decoding %q%s", name, tokenErr(err))
		} else if err != nil {
			return nil, nil, fmt.Errorf("decoding %q: %w", name, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("invalid JSON%s", tokenErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("invalid JSON: data after the top-level object")
	}
	return items, meta.Paging, nil
}

// decodeItems decodes a JSON array (or null) one element at a time, so
// the decoder buffers one item, not a copy of the whole page.
func decodeItems[T any](dec *json.Decoder) ([]T, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('[') {
		// The error encoding/json gives when decoding the whole array.
		return nil, &json.UnmarshalTypeError{Value: jsonKind(tok), Type: reflect.TypeFor[[]T](), Offset: dec.InputOffset()}
	}
	var items []T
	for dec.More() {
		var item T
		if err := dec.Decode(&item); err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return items, nil
}

// jsonKind names the kind of JSON value a token starts, as
// json.UnmarshalTypeError does.
func jsonKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "bool"
	}
	return fmt.Sprintf("%v", tok)
}

// tokenErr describes a tokenizer error; io.EOF there means the body ended early.
func tokenErr(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return ": the body ends early (truncated?)"
	}
	return ": " + err.Error()
}

// advance decides what follows a page that was asked at offset requested and
// held got items. It trusts meta.paging, not the limit asked (servers cap
// pages silently): the next page starts at paging.offset plus the page's
// size, and the list ends when that reaches totalSize. An empty page or an
// offset that does not move before the end is an error, never a loop.
func (p *paging) advance(requested, got int) (next int, done bool, err error) {
	if p == nil {
		return 0, true, nil // an unpaged answer holds everything
	}
	if p.Offset < 0 || p.TotalSize < 0 || p.CurrentPageSize < 0 {
		return 0, false, fmt.Errorf("meta.paging is invalid (offset %d, currentPageSize %d, totalSize %d)", p.Offset, p.CurrentPageSize, p.TotalSize)
	}
	size := p.CurrentPageSize
	if size != got {
		// Follow the items actually received, so none is skipped.
		size = got
	}
	end := p.Offset + size
	switch {
	case end >= p.TotalSize:
		return 0, true, nil
	case got == 0:
		return 0, false, fmt.Errorf("the server returned an empty page at offset %d of %d items", p.Offset, p.TotalSize)
	case end <= requested:
		return 0, false, fmt.Errorf("the server does not advance: asked offset %d, got a page ending at %d of %d items", requested, end, p.TotalSize)
	}
	return end, false, nil
}

// list pages through a GET collection, yielding its items one by one. The
// caller's query (details, sort) goes on every page; offset and limit are
// set per page. The sequence stops after the first error it yields.
//
// Pages are processed strictly in order, each as if it had been asked for
// alone. With concurrency above 1, once the consumer has taken the whole
// first page, its meta.paging says how many items remain and how many the
// server puts on a page, and the following pages are asked for ahead of
// need, up to concurrency at a time: on a tenant of 20,000 models that
// turns four sequential round trips into two. A page
// asked ahead is used only when the offset it was asked at is the one the
// pager would ask next; otherwise (the list changed, the server pages
// unevenly) the pages asked ahead are dropped and paging goes on one
// request at a time.
func list[T any](c *Client, ctx context.Context, path string, query url.Values, key string, opts ListOptions) iter.Seq2[T, error] {
	pageSize, concurrency := opts.pageSize(), opts.Concurrency
	return func(yield func(T, error) bool) {
		var zero T
		fetch := func(ctx context.Context, offset int) page[T] {
			return fetchPage[T](c, ctx, path, query, key, offset, pageSize)
		}
		var ahead *prefetch[T]
		defer func() { ahead.stop() }()
		shared := stringTable{} // see stringSharer
		planned, told := false, false
		offset := 0
		for {
			pg, ok := ahead.take(offset)
			if !ok {
				ahead.stop() // the plan no longer holds, if there was one
				ahead = nil
				pg = fetch(ctx, offset)
			}
			if pg.err != nil {
				yield(zero, pg.err)
				return
			}
			items, p := pg.items, pg.paging
			if p != nil && p.CurrentPageSize != len(items) {
				c.logger.WarnContext(ctx, "anaplan: page size in meta.paging differs from the items received; following the items",
					slog.String("path", path), slog.Int("currentPageSize", p.CurrentPageSize), slog.Int("items", len(items)))
			}
			next, done, err := p.advance(offset, len(items))
			if err != nil {
				yield(zero, wrapf(err, "GET %s%s (offset %d)", c.apiURL, path, offset))
				return
			}
			if opts.Total != nil && p != nil && !told {
				told = true
				opts.Total(p.TotalSize)
			}
			for i := range items {
				if s, ok := any(&items[i]).(stringSharer); ok {
					s.shareStrings(shared.share)
				}
				if !yield(items[i], nil) {
					return
				}
			}
			if done {
				return
			}
			if !planned && concurrency > 1 {
				planned = true
				ahead = startPrefetch(ctx, fetch, concurrency, plannedOffsets(next, len(items), p.TotalSize))
			}
			offset = next
		}
	}
}

// page is one fetched and decoded page of a list.
type page[T any] struct {
	items  []T
	paging *paging
	err    error // the request's error as is; a decoding error wrapped with the path and offset
}

// fetchPage GETs and decodes the page at offset.
func fetchPage[T any](c *Client, ctx context.Context, path string, query url.Values, key string, offset, limit int) page[T] {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("offset", strconv.Itoa(offset))
	q.Set("limit", strconv.Itoa(limit))
	raw, err := c.doRaw(ctx, request{method: http.MethodGet, path: path, query: q})
	if err != nil {
		return page[T]{err: err}
	}
	items, p, err := decodePage[T](raw, key)
	if err != nil {
		return page[T]{err: wrapf(err, "GET %s%s (offset %d)", c.apiURL, path, offset)}
	}
	return page[T]{items: items, paging: p}
}

// Collect gathers a sequence into a slice, stopping at the first error
// (and returning the items gathered before it).
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for item, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}

// getOne GETs a single object found under key in the answer.
func getOne[T any](c *Client, ctx context.Context, path string, query url.Values, key string) (T, error) {
	var zero T
	var top map[string]json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: path, query: query}, &top); err != nil {
		return zero, err
	}
	raw, ok := top[key]
	if !ok || string(raw) == "null" {
		return zero, fmt.Errorf("anaplan: GET %s: the answer has no %q", path, key)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return zero, wrapf(err, "GET %s: decoding %q", path, key)
	}
	return v, nil
}
