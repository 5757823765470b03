package anaplan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// uploadCleanupTimeout bounds what an interrupted upload spends leaving
// the server file clean. It runs on a fresh context (the caller's is
// usually the one that was cancelled), so it must end on its own: a
// Ctrl-C'd script waits at most this long before it exits.
const uploadCleanupTimeout = 10 * time.Second

// UploadOutcome is what became of the server file when an upload stopped
// part way.
type UploadOutcome int

const (
	// UploadLeftOpen: neither completing nor discarding the upload
	// succeeded; the server file shows chunkCount -1 until the next
	// upload to it or a DeleteFile.
	UploadLeftOpen UploadOutcome = iota
	// UploadUnchanged: the upload had not begun on the server.
	UploadUnchanged
	// UploadCompleted: every chunk had been acknowledged, so the upload
	// was marked complete and the file holds all the data.
	UploadCompleted
	// UploadDiscarded: the chunks sent were deleted (DELETE
	// …/files/{fileId}), and with them the content uploaded before: the
	// file holds no uploaded data. (Anaplan keeps a file's default
	// content, if the model has any; the emulator's files have none, so
	// they show chunkCount 0.)
	UploadDiscarded
)

// UploadInterruptedError is an upload that stopped after it had begun on
// the server (its context cancelled, a chunk failing for good, the reader
// failing). Anaplan keeps such a file half-written, chunkCount -1, until
// the next upload; so Upload, on a fresh context bounded in time,
// completes the file when every chunk had been acknowledged, or else
// discards what it sent, and says which. It unwraps to the reason the
// upload stopped (context.Canceled after a Ctrl-C).
type UploadInterruptedError struct {
	FileID string
	// Err is why the upload stopped.
	Err error
	// Chunks is the number of chunks Anaplan had acknowledged.
	Chunks  int
	Outcome UploadOutcome
	// File is the completed file (UploadCompleted only).
	File File
	// CleanupErr is why completing or discarding failed (UploadLeftOpen).
	CleanupErr error
}

func (e *UploadInterruptedError) Error() string { return fmt.Sprintf("%v; %s", e.Err, e.Settled()) }

func (e *UploadInterruptedError) Unwrap() error { return e.Err }

// Settled says, for people, what became of the server file.
func (e *UploadInterruptedError) Settled() string {
	switch e.Outcome {
	case UploadUnchanged:
		return "nothing had been uploaded; the server file is unchanged"
	case UploadCompleted:
		return fmt.Sprintf("all %s had been sent, so the upload was completed; the server file holds all the data", chunksText(e.Chunks))
	case UploadDiscarded:
		return fmt.Sprintf("discarded the %s sent; the server file holds no uploaded data", chunksText(e.Chunks))
	}
	return fmt.Sprintf("could not discard the %s sent (%v); the server file stays half-written (chunkCount -1) until the next upload to it or a DELETE of file %s",
		chunksText(e.Chunks), e.CleanupErr, e.FileID)
}

func chunksText(n int) string {
	if n == 1 {
		return "1 chunk"
	}
	return fmt.Sprintf("%d chunks", n)
}

// settle leaves the server file clean after the upload stopped with
// cause. meta is nil when the upload's start did not answer (it may or
// may not have reached Anaplan); sentAll says every chunk was
// acknowledged, so completing is possible. Nothing here uses ctx's
// cancellation: a cancelled upload is exactly when this must run.
func (u *upload) settle(ctx context.Context, cause error, meta map[string]json.RawMessage, chunks int, sentAll bool) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), uploadCleanupTimeout)
	defer cancel()
	u.mu.Lock()
	e := &UploadInterruptedError{FileID: u.fileID, Err: cause, Chunks: u.stats.Chunks}
	u.mu.Unlock()
	if meta == nil {
		f, err := u.m.FindFile(cctx, u.fileID)
		if err == nil && f.ChunkCount != -1 {
			e.Outcome = UploadUnchanged
			return e
		}
	}
	if sentAll {
		answer, err := u.postComplete(cctx, meta, chunks)
		if err == nil {
			if e.File, err = u.completed(answer, chunks); err == nil {
				e.Outcome = UploadCompleted
				return e
			}
		}
		e.CleanupErr = err // discarding may still work
	}
	if err := u.m.DeleteFile(cctx, u.fileID); err != nil {
		e.CleanupErr = errors.Join(e.CleanupErr, err)
		return e
	}
	e.Outcome, e.CleanupErr = UploadDiscarded, nil
	return e
}
