package session

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Limits on the files a setting names. Each is far above what a real one
// holds and far below what would hurt: a setting pointing at a device, a
// pipe or a log by mistake is refused after reading limit+1 bytes, never
// read to its end.
const (
	// MaxEnvFileSize bounds a .env file: a few hundred bytes of settings.
	MaxEnvFileSize = 1 << 20
	// MaxPEMFileSize bounds ANAPLAN_CERT_FILE and ANAPLAN_KEY_FILE: a
	// certificate chain or a key is a few KB.
	MaxPEMFileSize = 1 << 20
)

// readSettingFile reads the file at path, which label (e.g.
// "ANAPLAN_CERT_FILE=/keys/me.pem") says how it was named. It refuses a
// directory and anything larger than limit, reading at most limit+1 bytes
// whatever Stat says (a device or a pipe has no size). kind names what the
// file should hold, for the error. A missing file's error wraps
// fs.ErrNotExist.
func readSettingFile(label, path string, limit int64, kind string) ([]byte, error) {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, missingFileError("anaplan: " + label + ": no such file" + dollarHint(path))
	case err != nil:
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err // the label names the file already
		}
		return nil, fmt.Errorf("anaplan: %s: %w", label, err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("anaplan: %s: is a directory, not %s; name the file itself", label, kind)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("anaplan: %s: %w", label, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("anaplan: %s: larger than %s, the most %s can be; is it the right file?", label, sizeText(limit), kind)
	}
	return b, nil
}

// missingFileError says which file is missing; errors.Is(err,
// fs.ErrNotExist) still holds.
type missingFileError string

func (e missingFileError) Error() string { return string(e) }
func (missingFileError) Unwrap() error   { return fs.ErrNotExist }

// dollarHint explains a missing path holding a $: .env values are not
// expanded, so $HOME stays $HOME.
func dollarHint(path string) string {
	if strings.Contains(path, "$") {
		return " (values in .env are not expanded: write the path out in full)"
	}
	return ""
}

// sizeText is a limit in words, e.g. "1 MiB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
