package anaplan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
)

// rawAccept asks for file content: Anaplan serves files as
// application/octet-stream (CSV included) and dumps as text/plain.
const rawAccept = "application/octet-stream, text/plain;q=0.9, */*;q=0.8"

// Download writes a file's content to w and returns the bytes written: an
// export's output (file ID = export ID) or an uploaded file. A file of one
// chunk comes in one GET; a larger one chunk by chunk, in order.
//
// Each chunk is read whole before it is written to w, so a connection
// dropped mid-chunk is retried like any failed GET and w never sees a
// partial chunk; memory holds one chunk (Anaplan's chunks are ≤ 50 MB).
// If a chunk fails for good, w holds the chunks before it.
func (m *ModelHandle) Download(ctx context.Context, fileID string, w io.Writer) (int64, error) {
	if err := requireID("file", fileID); err != nil {
		return 0, err
	}
	p, err := m.path("files", fileID)
	if err != nil {
		return 0, err
	}
	n, _, err := m.c.downloadChunked(ctx, p, w)
	var apiErr *APIError
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, errNoChunks) && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
		return n, wrapf(err, "file %s of %s holds no content (no chunks): run its export or upload it first", fileID, m)
	}
	return n, wrapf(err, "downloading file %s of %s", fileID, m)
}

// DownloadChunk writes chunk n (0-based) of a file to w.
func (m *ModelHandle) DownloadChunk(ctx context.Context, fileID string, n int, w io.Writer) (int64, error) {
	if err := requireID("file", fileID); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, fmt.Errorf("anaplan: chunk number %d is negative; chunks count from 0", n)
	}
	p, err := m.path("files", fileID, "chunks", strconv.Itoa(n))
	if err != nil {
		return 0, err
	}
	written, _, err := m.c.fetch(ctx, p, w)
	return written, err
}

// DeleteFile removes a file's uploaded content (DELETE …/files/{id}).
// Anaplan removes only content uploaded through the API; the import data
// source itself stays.
func (m *ModelHandle) DeleteFile(ctx context.Context, fileID string) error {
	if err := requireID("file", fileID); err != nil {
		return err
	}
	p, err := m.path("files", fileID)
	if err != nil {
		return err
	}
	return m.c.do(ctx, request{method: http.MethodDelete, path: p}, nil)
}

// errNoChunks marks a download whose chunk list was empty, so that a 404
// on the whole-file GET can be explained.
var errNoChunks = errors.New("the chunk list is empty")

// downloadChunked downloads what lives at base (a file or a dump): it lists
// base/chunks, then GETs base itself when there is at most one chunk, or
// each base/chunks/{id} in order. It returns the status of the whole-file
// GET too (a dump answers 204 when there is none).
func (c *Client) downloadChunked(ctx context.Context, base string, w io.Writer) (int64, int, error) {
	chunks, err := Collect(list[chunk](c, ctx, base+"/chunks", nil, "chunks", ListOptions{}))
	if err != nil {
		return 0, 0, err
	}
	if len(chunks) <= 1 {
		n, status, err := c.fetch(ctx, base, w)
		if err != nil && len(chunks) == 0 {
			err = fmt.Errorf("%w: %w", errNoChunks, err)
		}
		return n, status, err
	}
	slices.SortStableFunc(chunks, func(a, b chunk) int { return cmp.Compare(chunkOrder(a.ID), chunkOrder(b.ID)) })
	var total int64
	for _, ch := range chunks {
		n, _, err := c.fetch(ctx, base+apiPath("chunks", ch.ID), w)
		total += n
		if err != nil {
			return total, 0, fmt.Errorf("chunk %s of %d: %w", ch.ID, len(chunks), err)
		}
	}
	return total, http.StatusOK, nil
}

// chunkOrder sorts chunk IDs numerically ("10" after "9"); IDs that are not
// numbers keep the server's order after the numbered ones.
func chunkOrder(id string) int {
	n, err := strconv.Atoi(id)
	if err != nil || n < 0 {
		return int(^uint(0) >> 1)
	}
	return n
}

// fetch GETs path and copies the body to w. The body is buffered inside the
// attempt (see Download), so w receives all of it or nothing.
func (c *Client) fetch(ctx context.Context, path string, w io.Writer) (int64, int, error) {
	resp, err := c.roundTrip(ctx, request{method: http.MethodGet, path: path, accept: rawAccept})
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, resp.StatusCode, wrapf(err, "writing %s", path)
	}
	return n, resp.StatusCode, nil
}
