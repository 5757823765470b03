package emulator

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Each kind of mutable state lives in its own file under StateDir, so a
// later feature (uploaded files, model data) adds a file without touching
// the others.
const sessionsFile = "tokens.json"

// The bulk API keeps its metadata (files, tasks, counters) in bulkStateFile
// and the bytes (uploaded chunks, dumps, export output, model data) under
// bulkDataDir (see state_bulk.go).
const (
	bulkStateFile = "bulk.json"
	bulkDataDir   = "bulk"
)

// sessionsState is the on-disk form of the sessions: token hashes only.
type sessionsState struct {
	Version  int                `json:"version"`
	Sessions map[string]session `json:"sessions"` // hex(sha256(token value))
}

// load reads every state file present in the state directory, creating
// the directory (mode 0700) if needed.
func (s *store) load() error {
	if s.dir == "" {
		return nil
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	var st sessionsState
	if err := readState(s.dir, sessionsFile, &st); err != nil {
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

// saveSessions persists the sessions; the caller holds s.mu. A failed
// write is logged, not returned: the token works for this process, and the
// worst a lost write costs is one re-authentication after a restart.
func (s *store) saveSessions() {
	if s.dir == "" {
		return
	}
	st := sessionsState{Version: 1, Sessions: make(map[string]session, len(s.sessions))}
	for k, sess := range s.sessions {
		st.Sessions[hex.EncodeToString(k[:])] = sess
	}
	if err := writeState(s.dir, sessionsFile, st); err != nil {
		s.log.Error("emulator: cannot persist tokens", "dir", s.dir, "error", err)
	}
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
