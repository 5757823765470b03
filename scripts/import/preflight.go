package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// The script's checks before the network, and its translation of the
// library's upload errors into the script's terms (its flags, its file).

func (o *options) uploadOptions() anaplan.UploadOptions {
	return anaplan.UploadOptions{ChunkSize: int64(o.chunkMiB) << 20, NoGzip: o.noGzip, Parallel: o.parallel}
}

// checkLocal checks, before connecting, what needs no Anaplan: the file
// to upload exists, is not empty and fits in Anaplan's 1000 chunks at
// -chunk-size; and the failure dumps can be written to -dumps.
func (o *options) checkLocal() error {
	if o.file != "" {
		fi, err := os.Stat(o.file)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return cli.UsageError{Err: fmt.Errorf("-file %s does not exist: name the file to upload (or omit -file to run on the data already there)", o.file)}
		case err != nil:
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // "permission denied", without "stat"
			}
			return cli.UsageError{Err: fmt.Errorf("-file %s: %w", o.file, err)}
		case fi.IsDir():
			return cli.UsageError{Err: fmt.Errorf("-file %s is a directory: name the file to upload", o.file)}
		case fi.Mode().IsRegular() && fi.Size() == 0:
			return cli.UsageError{Err: fmt.Errorf("-file %s is empty: Anaplan needs at least one chunk (an empty CSV still has a header row)", o.file)}
		case fi.Mode().IsRegular():
			opts := o.uploadOptions()
			opts.Size = fi.Size()
			if err := opts.Validate(); err != nil {
				return cli.UsageError{Err: o.flagError(err)}
			}
		}
	}
	return checkDumpDir(o.dumps)
}

// uploadError says what went wrong with the upload in the script's terms:
// a chunk-size refusal names -chunk-size; an interrupted upload names the
// local file and the data source (the exit line says what became of the
// server file: cli.ExitCode).
func (o *options) uploadError(source anaplan.File, err error) error {
	var ie *anaplan.UploadInterruptedError
	if errors.As(err, &ie) {
		return fmt.Errorf("upload of %s to %s: %w", o.file, source.Name, err)
	}
	return o.flagError(err)
}

// flagError rewrites a *anaplan.ChunkSizeError, whose message names the
// library's UploadOptions.ChunkSize, in terms of -chunk-size (in MiB);
// other errors pass unchanged.
func (o *options) flagError(err error) error {
	var ce *anaplan.ChunkSizeError
	if !errors.As(err, &ce) {
		return err
	}
	limit := fmt.Sprintf("%d chunks of %d MiB, Anaplan's limit per file", ce.MaxChunks, ce.ChunkSize>>20)
	switch {
	case ce.DataSize == 0:
		return fmt.Errorf("-chunk-size %d is outside Anaplan's limits: use %d to %d", o.chunkMiB, anaplan.MinChunkSize>>20, anaplan.MaxChunkSize>>20)
	case ce.DataSize < 0:
		return fmt.Errorf("-chunk-size %d: %s holds more than %s: raise -chunk-size (up to %d) or split the file", o.chunkMiB, o.file, limit, anaplan.MaxChunkSize>>20)
	case ce.Fit == 0:
		return fmt.Errorf("%s (%d MiB) is too large for one Anaplan file even with -chunk-size %d: split it into several files", o.file, ce.DataSize>>20, anaplan.MaxChunkSize>>20)
	}
	return fmt.Errorf("-chunk-size %d: %s (%d MiB) needs more than %s: use -chunk-size %d or more", o.chunkMiB, o.file, ce.DataSize>>20, limit, ce.Fit>>20)
}

// checkDumpDir makes sure failure dumps can be written to dir before
// anything runs: an import that ran for an hour and then cannot save its
// dump has lost what the user needed. It creates nothing: a directory
// that does not exist yet is checked at its nearest existing parent,
// where it would be created. "" keeps dumps on the server: nothing to
// check.
func checkDumpDir(dir string) error {
	if dir == "" {
		return nil
	}
	at := filepath.Clean(dir)
	for {
		fi, err := os.Stat(at)
		if err == nil {
			if fi.IsDir() {
				break
			}
			if at == filepath.Clean(dir) {
				return cli.UsageError{Err: fmt.Errorf("-dumps %s is a file, not a directory: name a directory for the failure dumps", dir)}
			}
			return cli.UsageError{Err: fmt.Errorf("-dumps %s cannot be created: %s is a file", dir, at)}
		}
		parent := filepath.Dir(at)
		// Not there (or a file stands in its path, ENOTDIR): look at
		// the parent.
		missing := errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
		if !missing || parent == at {
			return fmt.Errorf("-dumps %s: %w", dir, err)
		}
		at = parent
	}
	probe, err := os.CreateTemp(at, ".import-dumps-check-*")
	if err != nil {
		return fmt.Errorf("-dumps %s: failure dumps could not be written: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}
