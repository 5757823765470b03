package registry

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// rename is os.Rename; a test swaps it to fail one rename of several.
var rename = os.Rename

// replacement is one target file and the complete temporary file that is
// to take its place.
type replacement struct {
	final string
	temp  *tempFile
}

// checkTargets fails, naming the path, when a target exists but is not a
// file a rename can replace (a directory, a device).
func checkTargets(paths ...string) error {
	for _, p := range paths {
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("cannot replace %s: %w", p, err)
		case fi.IsDir():
			return fmt.Errorf("cannot replace %s: it is a directory (move it away or choose another output directory); no file was changed", p)
		case !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0:
			return fmt.Errorf("cannot replace %s: it is not a regular file (%v); no file was changed", p, fi.Mode().Type())
		}
	}
	return nil
}

// replaceAll moves every temporary file over its target, all or none: it
// checks every target first, keeps a backup of each existing one (a hard
// link, or a copy where links are not supported), and when a rename fails
// puts back what the earlier renames replaced.
func (r *tempRun) replaceAll(targets []replacement) error {
	finals := make([]string, len(targets))
	for i, t := range targets {
		finals[i] = t.final
	}
	if err := checkTargets(finals...); err != nil {
		return err
	}
	backups := make([]*tempFile, len(targets))
	defer func() {
		for _, b := range backups {
			if b != nil {
				b.discard()
			}
		}
	}()
	for i, t := range targets {
		b, err := r.backup(t.final)
		if err != nil {
			return fmt.Errorf("cannot replace %s: keeping its previous version failed: %w; no file was changed", t.final, err)
		}
		backups[i] = b
	}
	for i, t := range targets {
		if err := rename(t.temp.path, t.final); err != nil {
			err = fmt.Errorf("cannot move %s into place: %w", t.final, err)
			return errors.Join(err, restore(targets[:i], backups[:i]))
		}
	}
	return nil
}

// restore puts the backed-up files back over the ones already replaced,
// and removes the new files that had no previous version.
func restore(done []replacement, backups []*tempFile) error {
	var errs []error
	for i := len(done) - 1; i >= 0; i-- {
		final := done[i].final
		var err error
		if b := backups[i]; b != nil {
			err = rename(b.path, final)
		} else {
			err = os.Remove(final)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s could not be restored (%w): it holds the new version", final, err))
		}
	}
	if len(errs) == 0 {
		return errors.New("the files already replaced were restored; no file was changed")
	}
	return errors.Join(errs...)
}

// backup keeps the current version of path under a temporary name of the
// run: a hard link (free), else a copy. It returns nil when path does not
// exist.
func (r *tempRun) backup(path string) (*tempFile, error) {
	name := filepath.Base(path)
	old := r.path(name, "old")
	err := os.Link(path, old)
	if err == nil {
		return &tempFile{path: old}, nil
	}
	if _, serr := os.Lstat(path); errors.Is(serr, fs.ErrNotExist) {
		return nil, nil
	}
	src, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return r.writeTemp(name, func(w io.Writer) error { _, err := io.Copy(w, src); return err })
}
