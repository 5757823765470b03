// Package history remembers every registry run in a SQLite database: a dated
// snapshot of each workspace and model, stored as changes rather than whole
// copies, so a year of daily runs on a large tenant stays small. It answers
// what a tenant looked like at any run, what changed between two runs, and
// how fast each workspace fills (see Diff and Forecast).
//
// The database is an ordinary SQLite file (schema.sql documents it), written
// through modernc.org/sqlite, a pure-Go driver: `go run` needs no C compiler,
// and `sqlite3 out/registry.db` reads it. A run is recorded in one
// transaction, so a run that fails adds nothing, and concurrent runs wait
// for each other instead of corrupting the file; Stage and Commit split it
// for a caller that commits only once its other outputs have landed.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeout is how long a run waits for another run's write to finish.
// A registry run writes for well under a second per 20,000 models.
const busyTimeout = 30 * time.Second

// DB is an open history database. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the history database at path.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("history: no database path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("history: the folder of %s does not exist; create it or name another -history file", path)
		}
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate") // a run's read-then-write must not interleave with another's
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	h := &DB{db: db, path: path}
	if err := h.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return h, nil
}

// Close closes the database.
func (h *DB) Close() error { return h.db.Close() }

// Path is the database file.
func (h *DB) Path() string { return h.path }

// openError explains the usual cause of a failure at open: a file that is
// not a SQLite database.
func (h *DB) openError(err error) error {
	if strings.Contains(err.Error(), "not a database") || strings.Contains(err.Error(), "file is encrypted") {
		return fmt.Errorf("history: %s is not a SQLite database; move it away or name another -history file", h.path)
	}
	return fmt.Errorf("history: %s: %w", h.path, err)
}
