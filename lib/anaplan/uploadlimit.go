package anaplan

import (
	"fmt"
	"runtime"
	"strconv"
)

// ChunkSizeError is an upload refused because of its chunk size: outside
// Anaplan's 1 to 50 MB, or too small to carry the data in the 1000
// chunks Anaplan allows per file. Its message names UploadOptions.ChunkSize,
// the setting a library user changes; a program that exposes the chunk
// size under another name (a command-line flag) reads the fields with
// errors.As and says it in its own terms.
type ChunkSizeError struct {
	// ChunkSize is the chunk size asked for, in bytes.
	ChunkSize int64
	// DataSize is the size of the data when it is the reason: known before
	// sending, or -1 when a stream of unknown size turned out longer than
	// MaxChunks chunks. 0 when the chunk size itself is out of range.
	DataSize int64
	// MaxChunks is the limit of chunks per file that applied.
	MaxChunks int
	// Fit is the smallest whole-MB chunk size that carries DataSize within
	// MaxChunks; 0 when even MaxChunkSize cannot (or DataSize is unknown).
	Fit int64
}

func (e *ChunkSizeError) Error() string {
	switch {
	case e.DataSize == 0:
		return fmt.Sprintf("anaplan: upload chunk size %s is outside Anaplan's limits of 1 to 50 MB; set UploadOptions.ChunkSize between anaplan.MinChunkSize and anaplan.MaxChunkSize (or 0 for %s)",
			megabytes(e.ChunkSize), megabytes(DefaultChunkSize))
	case e.DataSize < 0:
		return fmt.Sprintf("the data needs more than %d chunks of %s, Anaplan's limit per file; set UploadOptions.ChunkSize larger (up to 50 MB) or split the data",
			e.MaxChunks, megabytes(e.ChunkSize))
	}
	head := fmt.Sprintf("anaplan: %s in chunks of %s needs more than %d chunks, Anaplan's limit per file", megabytes(e.DataSize), megabytes(e.ChunkSize), e.MaxChunks)
	if e.Fit == 0 {
		return head + "; even 50 MB chunks cannot hold it: split the data into several files"
	}
	return fmt.Sprintf("%s; set UploadOptions.ChunkSize to at least %s", head, megabytes(e.Fit))
}

// tooManyChunks explains the 1000-chunk limit and the chunk size that fits.
func tooManyChunks(size, chunkSize int64, maxChunks int) error {
	fit := (size + int64(maxChunks) - 1) / int64(maxChunks)
	fit = (fit + MinChunkSize - 1) / MinChunkSize * MinChunkSize // whole MB
	if fit > MaxChunkSize {
		fit = 0
	}
	return &ChunkSizeError{ChunkSize: chunkSize, DataSize: size, MaxChunks: maxChunks, Fit: fit}
}

// megabytes prints a byte count in MB (2^20), e.g. "8 MB" or "1.5 MB".
func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB"
}

// Validate checks the options as Upload would, without a reader or the
// network: with Size set, it also checks that the data fits in
// MaxChunks chunks. Its errors are Upload's (*ChunkSizeError for the chunk
// size), so a program can check its settings before it connects.
func (o UploadOptions) Validate() error {
	_, err := o.plan(nil)
	return err
}

// DefaultUploadParallelism is the Parallel that 0 stands for on this
// machine: one PUT per CPU, at least 2 and at most DefaultUploadParallel.
// A program that shows its defaults (a flag's help) shows this.
func DefaultUploadParallelism() int {
	return min(max(runtime.GOMAXPROCS(0), 2), DefaultUploadParallel)
}
