package emulator

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// Persistence, one scheme for every seam. With Options.StateDir the
// emulator keeps its mutable state in one directory (mode 0700), every
// file written atomically with mode 0600:
//
//	tokens.json   auth service: token sessions, by SHA-256 of the token
//	bulk.json     bulk API: files, tasks, dumps, counters (state_bulk.go)
//	bulk/...      bulk API bytes: chunks, dumps, model data (state_bulk.go)
//	oauth.json    OAuth: refresh-token hashes (state_oauth.go)
//	alm.json      ALM: revisions and syncs made through the API (state_alm.go)
//
// A seam that needs to persist something adds its own JSON document here
// and reads and writes it through stateDir, under the mutex that guards
// what it writes. New loads every document before it serves.
const (
	sessionsFile  = "tokens.json"
	bulkStateFile = "bulk.json"
	bulkDataDir   = "bulk"
)

// stateDir is the state directory; the zero value (no StateDir) persists
// nothing.
type stateDir struct {
	path string
	log  *slog.Logger
}

// openStateDir creates the directory if needed.
func openStateDir(path string, log *slog.Logger) (stateDir, error) {
	if path == "" {
		return stateDir{log: log}, nil
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return stateDir{}, fmt.Errorf("emulator: state dir %s: %w", path, err)
	}
	return stateDir{path: path, log: log}, nil
}

func (d stateDir) enabled() bool { return d.path != "" }

// read decodes the document name into v; a missing file (or no state
// directory) leaves v untouched.
func (d stateDir) read(name string, v any) error {
	if !d.enabled() {
		return nil
	}
	return readState(d.path, name, v)
}

// write replaces the document name with v. A failed write is logged, not
// returned: this process keeps working, only a restart would lose the
// change. The caller holds the state mutex, so writes never interleave.
func (d stateDir) write(name string, v any, what string) {
	if !d.enabled() {
		return
	}
	if err := writeState(d.path, name, v); err != nil {
		d.log.Error("emulator: cannot persist "+what, "dir", d.path, "error", err)
	}
}

// sessionsState is the on-disk form of the sessions: token hashes only.
type sessionsState struct {
	Version  int                `json:"version"`
	Sessions map[string]session `json:"sessions"` // hex(sha256(token value))
}

// load restores the sessions from tokens.json.
func (s *store) load() error {
	var st sessionsState
	if err := s.state.read(sessionsFile, &st); err != nil {
		return err
	}
	for h, sess := range st.Sessions {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != len(tokenKey{}) {
			return fmt.Errorf("%s: bad token hash %q (delete the file to start afresh)", sessionsFile, h)
		}
		s.sessions[tokenKey(b)] = sess
	}
	return nil
}

// saveSessions persists the sessions; the caller holds s.mu. The worst a
// lost write costs is one re-authentication after a restart.
func (s *store) saveSessions() {
	if !s.state.enabled() {
		return
	}
	st := sessionsState{Version: 1, Sessions: make(map[string]session, len(s.sessions))}
	for k, sess := range s.sessions {
		st.Sessions[hex.EncodeToString(k[:])] = sess
	}
	s.state.write(sessionsFile, st, "tokens")
}

// readState decodes dir/name into v; a missing file leaves v untouched.
func readState(dir, name string, v any) error {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w (delete the file to start afresh)", name, err)
	}
	return nil
}

// writeState writes v as JSON to dir/name atomically (see writeFileAtomic).
func writeState(dir, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeFileAtomic(dir, name, data)
}

// writeFileAtomic writes data to dir/name atomically: a temp file (mode
// 0600) in the same directory, synced, then renamed over the old file, so
// a crash leaves either the old or the new state, never half of one.
func writeFileAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}
