package registry

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/internal/flock"
)

// A run that writes files into a directory (the registry, failure dumps)
// is a tempRun: it holds a lock file ".TOKEN.registry-lock" there for as
// long as it lives, and names every temporary file it makes
// ".NAME.TOKEN.KIND.registry-tmp". The kernel drops the lock when the run
// dies, even by SIGKILL, so the next run recognises the leftovers of a
// killed one, whatever their size, and removes them, while the files of a
// run still at work stay alone.
const (
	tempSuffix = ".registry-tmp"
	lockSuffix = ".registry-lock"
)

// staleAge is when a run's files count as stale on platforms without file
// locks: no write of the registry takes a day.
const staleAge = 24 * time.Hour

// tempRun is one run's claim on a directory's temporary files.
type tempRun struct {
	dir, token string
	lock       *os.File
	n          int
}

// startTempRun removes what killed runs left in dir and starts a run there.
func startTempRun(dir string) (*tempRun, error) {
	removeStaleTemps(dir)
	for {
		b := make([]byte, 8)
		rand.Read(b)
		token := hex.EncodeToString(b)
		path := filepath.Join(dir, "."+token+lockSuffix)
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot write to directory %s: %w", dir, err)
		}
		if err := flock.Lock(f); err != nil && !errors.Is(err, flock.ErrUnsupported) {
			f.Close()
			os.Remove(path)
			return nil, err
		}
		// A concurrent cleaner may have taken our fresh, not yet locked
		// file for a dead run's and removed it: then start again.
		if same, err := sameFile(f); err != nil || !same {
			f.Close()
			if err != nil {
				return nil, err
			}
			continue
		}
		return &tempRun{dir: dir, token: token, lock: f}, nil
	}
}

// end removes the run's lock file; every temporary file must be gone.
func (r *tempRun) end() {
	os.Remove(r.lock.Name())
	r.lock.Close()
}

// path is a new temporary name for name in the run's directory.
func (r *tempRun) path(name, kind string) string {
	r.n++
	return filepath.Join(r.dir, fmt.Sprintf(".%s.%s.%s%d%s", name, r.token, kind, r.n, tempSuffix))
}

func sameFile(f *os.File) (bool, error) {
	open, err := f.Stat()
	if err != nil {
		return false, err
	}
	named, err := os.Lstat(f.Name())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(open, named), nil
}

// tempFile is a complete temporary file waiting to be renamed into place.
type tempFile struct{ path string }

// discard removes the file (a no-op once it was renamed).
func (t *tempFile) discard() { os.Remove(t.path) }

// writeTemp writes one file's content to a new temporary file of the run,
// synced to disk, mode 0644.
func (r *tempRun) writeTemp(name string, write func(io.Writer) error) (*tempFile, error) {
	path := r.path(name, "new")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot write to directory %s: %w", r.dir, err)
	}
	buf := bufio.NewWriterSize(f, 256<<10)
	err = write(buf)
	if err == nil {
		err = buf.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing %s: %w", filepath.Join(r.dir, name), err)
	}
	return &tempFile{path: path}, nil
}

// removeStaleTemps removes the temporary and lock files of runs that died
// in dir: those whose lock file nobody holds, or that have none. It is
// best effort: what it cannot inspect stays for a later run.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	runs := map[string][]string{} // token -> its temporary files
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, ".") {
			continue
		}
		switch {
		case strings.HasSuffix(name, tempSuffix):
			parts := strings.Split(strings.TrimSuffix(name, tempSuffix), ".")
			if len(parts) >= 3 {
				token := parts[len(parts)-2]
				runs[token] = append(runs[token], name)
			}
		case strings.HasSuffix(name, lockSuffix):
			token := strings.TrimSuffix(name[1:], lockSuffix)
			if _, seen := runs[token]; !seen {
				runs[token] = nil // a lock alone: the run may be dead
			}
		}
	}
	for token, temps := range runs {
		removeIfDead(dir, token, temps)
	}
}

// removeIfDead removes a run's files when its lock is free, or gone: a
// run creates its lock file before any temporary file and removes it after
// the last, so a temporary file without one belongs to no live run.
func removeIfDead(dir, token string, temps []string) {
	lock := filepath.Join(dir, "."+token+lockSuffix)
	f, err := os.Open(lock)
	if errors.Is(err, fs.ErrNotExist) {
		removeAll(dir, temps)
		return
	}
	if err != nil {
		return
	}
	defer f.Close() // after the removal, so a starting run sees its lock file gone
	dead, err := flock.TryLock(f)
	if errors.Is(err, flock.ErrUnsupported) {
		fi, serr := f.Stat()
		dead, err = serr == nil && time.Since(fi.ModTime()) > staleAge, serr
	}
	if err != nil || !dead {
		return
	}
	removeAll(dir, temps)
	os.Remove(lock)
}

func removeAll(dir string, names []string) {
	for _, n := range names {
		os.Remove(filepath.Join(dir, n))
	}
}
