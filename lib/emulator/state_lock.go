package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/anaplan-registry/toolkit/lib/internal/flock"
)

// stateLockFile in StateDir is held (flock) by the one emulator using the
// directory and names it: its process id and, once it listens, its
// address. The kernel drops the lock when the process dies, even by
// SIGKILL, so a crash never leaves the directory locked.
const stateLockFile = "lock"

// ErrStateDirInUse reports a StateDir another live emulator holds; the
// error is a *StateDirInUseError that says which.
var ErrStateDirInUse = errors.New("the state directory is in use by another emulator")

// StateDirInUseError names the emulator that holds a state directory.
type StateDirInUseError struct {
	Dir  string
	PID  int    // 0 when the holder has not written it yet
	Addr string // "" when the holder does not listen (an in-process handler) or has not yet
}

func (e *StateDirInUseError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = fmt.Sprintf("process %d", e.PID)
	}
	if e.Addr != "" {
		holder += " (listening on " + e.Addr + ")"
	}
	return fmt.Sprintf("emulator: state directory %s is in use by %s: two emulators sharing it would lose each other's writes; stop that one or use another state directory", e.Dir, holder)
}

func (e *StateDirInUseError) Unwrap() error { return ErrStateDirInUse }

// stateLock is the held lock; nil when the emulator keeps no state.
type stateLock struct {
	mu   sync.Mutex
	f    *os.File
	info stateHolder
}

type stateHolder struct {
	PID  int    `json:"pid"`
	Addr string `json:"addr,omitempty"`
}

// lockStateDir takes dir's lock, creating dir (0700) if needed, or fails
// with a *StateDirInUseError naming the holder. "" takes nothing.
func lockStateDir(dir string) (*stateLock, error) {
	if dir == "" {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator: state directory: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, stateLockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("emulator: state directory: %w", err)
	}
	ok, err := flock.TryLock(f)
	if errors.Is(err, flock.ErrUnsupported) {
		ok, err = true, nil // no advisory locks here: the caller's word, as before
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("emulator: locking the state directory %s: %w", dir, err)
	}
	if !ok {
		inUse := &StateDirInUseError{Dir: dir}
		var h stateHolder
		if b, err := os.ReadFile(f.Name()); err == nil && json.Unmarshal(b, &h) == nil {
			inUse.PID, inUse.Addr = h.PID, h.Addr
		}
		f.Close()
		return nil, inUse
	}
	l := &stateLock{f: f, info: stateHolder{PID: os.Getpid()}}
	l.write()
	return l, nil
}

// setAddr records where the holder listens, for the error a second
// emulator gets.
func (l *stateLock) setAddr(addr string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.info.Addr = addr
	l.write()
}

// write replaces the lock file's content; the caller holds l.mu or owns l.
// A failed write only loses the holder's name from a second one's error.
func (l *stateLock) write() {
	b, _ := json.Marshal(l.info)
	if err := l.f.Truncate(0); err == nil {
		l.f.WriteAt(append(b, '\n'), 0)
	}
}

// release drops the lock. The file stays: removing it would let a third
// emulator lock a new file while a second still waits on the old one.
func (l *stateLock) release() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}
