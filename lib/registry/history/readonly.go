package history

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
)

// OpenReadOnly opens the history database at path for reading only, for
// commands that read what scripts/registry recorded (registry-diff): it
// never creates the file, its schema or anything in it. A missing file, an
// empty one, a file that is not SQLite and a SQLite database that holds no
// registry history are errors that say which. (A registry run that folds
// its log into the file during an immutable read, below, can make that read
// fail or see a torn run: run it again. The file itself is never touched.)
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("history: no database path given")
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil && os.IsNotExist(err):
		return nil, fmt.Errorf("history: there is no history at %s: run go run ./scripts/registry first (it records every run there), or name the file with -history", path)
	case err != nil:
		return nil, fmt.Errorf("history: %w", err)
	case fi.IsDir():
		return nil, fmt.Errorf("history: %s is a directory, not a history database: name the file (e.g. out/registry.db) with -history", path)
	case fi.Size() == 0:
		return nil, fmt.Errorf("history: %s is empty, not a history database: name the file scripts/registry writes (out/registry.db by default) with -history", path)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	if _, err := os.Stat(path + "-wal"); os.IsNotExist(err) {
		// No write-ahead log: every committed run is in the file itself
		// (a run's close folds its log in), and immutable reads it without
		// the -shm and -wal files a WAL reader would otherwise leave
		// behind. With a log (a run is writing, or one was killed) the
		// reader shares it as usual, so it sees every committed run.
		q.Set("immutable", "1")
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	h := &DB{db: db, path: path}
	if err := h.checkReadable(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return h, nil
}

// checkReadable refuses a database this package cannot read: not SQLite,
// written by a newer version, or without the history's tables.
func (h *DB) checkReadable(ctx context.Context) error {
	var v int
	if err := h.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return h.openError(err)
	}
	if v > schemaVersion {
		return fmt.Errorf("history: %s was written by a newer version of this toolkit (schema %d, this one reads %d): update the toolkit", h.path, v, schemaVersion)
	}
	var tables int
	if err := h.db.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('tenants', 'runs', 'workspace_versions', 'model_versions', 'model_activity')`).Scan(&tables); err != nil {
		return h.openError(err)
	}
	if tables < 5 {
		return fmt.Errorf("history: %s is a SQLite database but not a registry history (no runs table): name the file scripts/registry writes with -history", h.path)
	}
	return nil
}
