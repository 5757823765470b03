package emulator

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// Chunk bytes go straight from the request body to a file on disk and
// back, through io.Copy's small buffer: a 1 GiB upload costs the emulator
// a few kilobytes of memory, not a gigabyte.

// errUpload is a problem with what the client sent (answered 400).
type errUpload struct{ msg string }

func (e *errUpload) Error() string { return e.msg }

func uploadErrorf(format string, args ...any) error {
	return &errUpload{fmt.Sprintf(format, args...)}
}

// readErrRecorder remembers an error of the underlying body, so a broken
// connection is not reported as bad gzip.
type readErrRecorder struct {
	r   io.Reader
	err error
}

func (e *readErrRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// receiveChunk streams one chunk into a new temporary file in dir and
// returns its path and size. gzipped bodies (Content-Type
// application/x-gzip) are decompressed on the way; the limit applies to the
// decompressed bytes. On error nothing is left behind.
func receiveChunk(dir string, body io.Reader, gzipped bool, limit int64, what string) (path string, size int64, err error) {
	rec := &readErrRecorder{r: body}
	var src io.Reader = rec
	if gzipped {
		// Compressed input never needs to be much larger than its output;
		// the cap stops a stream of empty deflate blocks from running forever.
		rec.r = io.LimitReader(body, 2*limit+1<<20)
		gz, err := gzip.NewReader(rec)
		if err != nil {
			if rec.err != nil {
				return "", 0, rec.err
			}
			return "", 0, uploadErrorf("%s: the body is not gzip data (Content-Type application/x-gzip): %v; send the bytes as they are with Content-Type application/octet-stream, or compress them with gzip", what, err)
		}
		defer gz.Close()
		src = gz
	}
	tmp, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	size, err = io.Copy(tmp, io.LimitReader(src, limit+1))
	switch {
	case err != nil && rec.err != nil:
		return "", 0, rec.err
	case err != nil && gzipped:
		return "", 0, uploadErrorf("%s: the gzip data is corrupt: %v", what, err)
	case err != nil:
		return "", 0, err
	case size > limit:
		return "", 0, uploadErrorf("%s is larger than %d MB uncompressed; Anaplan takes chunks of 1 to 50 MB: split the file into more chunks", what, limit>>20)
	}
	if err = tmp.Close(); err != nil {
		return "", 0, err
	}
	return tmp.Name(), size, nil
}

// receiveSplit streams a whole file (a single-shot PUT) into chunk files
// 0, 1, … of at most chunkSize bytes in dir, and returns their sizes.
func receiveSplit(dir string, body io.Reader, chunkSize int64, maxChunks int) ([]int64, error) {
	var sizes []int64
	for i := 0; ; i++ {
		if i == maxChunks {
			var one [1]byte
			if n, _ := io.ReadFull(body, one[:]); n > 0 {
				return nil, uploadErrorf("the file is larger than %d chunks of %d MB; upload it in chunks", maxChunks, chunkSize>>20)
			}
			return sizes, nil
		}
		path := filepath.Join(dir, strconv.Itoa(i))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return nil, err
		}
		n, err := io.CopyN(f, body, chunkSize)
		cerr := f.Close()
		if err != nil && err != io.EOF {
			return nil, err
		}
		if cerr != nil {
			return nil, cerr
		}
		if n == 0 {
			os.Remove(path)
		} else {
			sizes = append(sizes, n)
		}
		if err == io.EOF {
			return sizes, nil
		}
	}
}

// writeChunks writes content the emulator produced (export output) into
// chunk files of at most chunkSize bytes in dir.
func writeChunks(dir string, data []byte, chunkSize int) ([]int64, error) {
	return receiveSplit(dir, bytes.NewReader(data), int64(chunkSize), 1<<30)
}

// chunkReader reads a file's chunks in order as one stream, opening one
// chunk file at a time, so reading a file of a thousand chunks needs one
// file descriptor. Size lets the engine report progress by bytes read.
type chunkReader struct {
	paths []string
	size  int64
	cur   *os.File
	next  int
	done  func() // releases the content; called once by Close
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for {
		if c.cur == nil {
			if c.next == len(c.paths) {
				return 0, io.EOF
			}
			f, err := os.Open(c.paths[c.next])
			if err != nil {
				return 0, fmt.Errorf("chunk %d: %w", c.next, err)
			}
			c.cur = f
			c.next++
		}
		n, err := c.cur.Read(p)
		if errors.Is(err, io.EOF) {
			c.cur.Close()
			c.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

// Size is the total number of bytes.
func (c *chunkReader) Size() int64 { return c.size }

// Close closes the open chunk and releases the content.
func (c *chunkReader) Close() error {
	if c.cur != nil {
		c.cur.Close()
		c.cur = nil
	}
	if c.done != nil {
		c.done()
		c.done = nil
	}
	return nil
}

// openContent returns a reader over content c, holding a reference until
// Close. The caller holds b.mu.
func (b *bulk) openContent(c *blob) *chunkReader {
	b.acquire(c)
	r := &chunkReader{size: c.size(), done: func() { b.release(c) }}
	for i := range c.sizes {
		r.paths = append(r.paths, b.chunkPath(c.dir, i))
	}
	return r
}
