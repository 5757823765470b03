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
// It streams the top-level object, so a 5000-item page is scanned once.
func decodePage[T any](data []byte, key string) ([]T, *paging, error) {
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
			items = nil
			err = dec.Decode(&items)
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
func list[T any](c *Client, ctx context.Context, path string, query url.Values, key string, pageSize int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		offset := 0
		for {
			q := url.Values{}
			for k, v := range query {
				q[k] = v
			}
			q.Set("offset", strconv.Itoa(offset))
			q.Set("limit", strconv.Itoa(pageSize))
			raw, err := c.doRaw(ctx, request{method: http.MethodGet, path: path, query: q})
			if err != nil {
				yield(zero, err)
				return
			}
			items, p, err := decodePage[T](raw, key)
			if err == nil && p != nil && p.CurrentPageSize != len(items) {
				c.logger.WarnContext(ctx, "anaplan: page size in meta.paging differs from the items received; following the items",
					slog.String("path", path), slog.Int("currentPageSize", p.CurrentPageSize), slog.Int("items", len(items)))
			}
			var next int
			var done bool
			if err == nil {
				next, done, err = p.advance(offset, len(items))
			}
			if err != nil {
				yield(zero, fmt.Errorf("anaplan: GET %s%s (offset %d): %w", c.apiURL, path, offset, err))
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if done {
				return
			}
			offset = next
		}
	}
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
		return zero, fmt.Errorf("anaplan: GET %s: decoding %q: %w", path, key, err)
	}
	return v, nil
}
