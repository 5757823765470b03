package openapidocs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// DefaultBaseURL serves the raw files of the upstream repository; a
// document's URL is BaseURL/<commit>/<path>.
const DefaultBaseURL = "https://raw.githubusercontent.com/" + Repository

// maxDocumentSize bounds one download: the largest document is well under
// 1 MB, so anything past this is not the file asked for.
const maxDocumentSize = 32 << 20

// FetchOptions are Fetch's settings; the zero value downloads from GitHub
// with http.DefaultClient.
type FetchOptions struct {
	BaseURL string       // default DefaultBaseURL; tests point it at httptest
	Client  *http.Client // default http.DefaultClient
}

// Fetch is Pinned().Fetch.
func Fetch(ctx context.Context, root string, opts FetchOptions) (string, error) {
	return Pinned().Fetch(ctx, root, opts)
}

// Fetch downloads the pin's documents into p.CacheDir(root) and returns
// that directory. It writes all four or none: the files go to a
// temporary directory beside the cache, each checked against its pinned
// sum, and that directory is renamed into place only when every file is
// right. A wrong sum is a *ChecksumError naming the file.
func (p Pin) Fetch(ctx context.Context, root string, opts FetchOptions) (string, error) {
	base := strings.TrimRight(opts.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	client := opts.Client
	if client == nil {
		client = http.DefaultClient
	}
	dest := p.CacheDir(root)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("creating the OpenAPI cache: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".download-")
	if err != nil {
		return "", fmt.Errorf("creating the OpenAPI cache: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename; cleans up a failure
	for _, d := range p.Documents {
		url := base + "/" + p.Commit + "/" + d.Path
		data, err := download(ctx, client, url)
		if err != nil {
			return "", fmt.Errorf("downloading %s: %w", url, err)
		}
		if err := check(d, data); err != nil {
			return "", fmt.Errorf("downloading %s: %w", url, err)
		}
		if err := os.WriteFile(filepath.Join(tmp, d.Name), data, 0o644); err != nil {
			return "", fmt.Errorf("writing the OpenAPI cache: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	// A leftover directory (an older, incomplete copy) would block the
	// rename; Locate found it wanting, so it goes.
	if err := os.RemoveAll(dest); err != nil {
		return "", fmt.Errorf("replacing the OpenAPI cache: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return "", fmt.Errorf("writing the OpenAPI cache: %w", err)
	}
	return dest, nil
}

// download GETs url and returns its whole body, or an error for a status
// other than 200, a body cut short, or one larger than maxDocumentSize.
func download(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("server answered %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if len(data) > maxDocumentSize {
		return nil, fmt.Errorf("body larger than %d bytes", maxDocumentSize)
	}
	return data, nil
}

// Ensure is Pinned().Ensure.
func Ensure(ctx context.Context, root string, opts FetchOptions) (dir string, fetched bool, err error) {
	return Pinned().Ensure(ctx, root, opts)
}

// Ensure returns a directory holding the documents: Locate's answer, or,
// when there is no copy, Fetch's. fetched says whether it downloaded. When
// the download fails too, the error is one line: what is missing, what to
// do, and why the download failed.
func (p Pin) Ensure(ctx context.Context, root string, opts FetchOptions) (dir string, fetched bool, err error) {
	dir, err = p.Locate(root)
	var missing *NotFoundError
	if !errors.As(err, &missing) {
		return dir, false, err
	}
	dir, err = p.Fetch(ctx, root, opts)
	if err != nil {
		return "", false, fmt.Errorf("%s (%w)", missing.Error(), oneLineError{err})
	}
	return dir, true, nil
}

// oneLineError prints its error with every run of white space, newlines
// included, as one space, and still unwraps to it.
type oneLineError struct{ err error }

func (e oneLineError) Error() string { return strings.Join(strings.Fields(e.err.Error()), " ") }
func (e oneLineError) Unwrap() error { return e.err }
