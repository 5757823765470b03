package notebooks_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

var trackOnce sync.Once

// trackInputs opens every file the notebooks' outcome depends on: the
// module's Go sources, go.mod, go.sum and the notebooks. Notebooks compile
// the library inside a kernel process, which go test's result cache cannot
// see; go test does record the files a test opens, so opening them here makes
// an edit in lib/ re-run the notebooks instead of replaying a cached PASS.
func trackInputs(root string) {
	trackOnce.Do(func() {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable parts cannot affect a build either
			}
			name := d.Name()
			if d.IsDir() {
				if path != root && (strings.HasPrefix(name, ".") || name == "out") {
					return filepath.SkipDir
				}
			} else if !(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".ipynb") ||
				name == "go.mod" || name == "go.sum") {
				return nil
			}
			// Opening a directory records its listing, so new files count too.
			if f, err := os.Open(path); err == nil {
				f.Close()
			}
			return nil
		})
	})
}
