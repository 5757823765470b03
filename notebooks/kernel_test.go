package notebooks_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// modulePath identifies the repository root: the first go.mod above the
// package directory that declares this module.
const modulePath = "github.com/anaplan-registry/toolkit"

// installHint is what a developer without Jupyter must do.
const installHint = "run the README test command `go run ./scripts/testall` (it installs Jupyter), " +
	"or install it yourself: sudo apt-get install jupyter-nbconvert jupyter-client"

// kernel is the project-local GoNB kernel: its binaries live in
// .cache/jupyter/bin and its kernel spec in .cache/jupyter/data, so the
// developer's own Jupyter kernels are never read or touched.
type kernel struct {
	root   string // repository root
	bin    string // gonb and goimports, at the versions go.mod pins
	data   string // JUPYTER_DATA_DIR holding kernels/gonb/kernel.json
	config string // JUPYTER_CONFIG_DIR, empty: no personal nbconvert config
}

var (
	kernelOnce  sync.Once
	theKernel   *kernel
	kernelErr   error
	kernelSetup time.Duration // how long building and installing took
)

// sharedKernel builds and installs the kernel once per test process. Other
// test processes wait on a file lock while one of them installs.
func sharedKernel() (*kernel, error) {
	kernelOnce.Do(func() {
		start := time.Now()
		theKernel, kernelErr = installKernel()
		kernelSetup = time.Since(start)
	})
	return theKernel, kernelErr
}

func installKernel() (*kernel, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath("jupyter"); err != nil {
		return nil, fmt.Errorf("notebook tests need Jupyter, and `jupyter` is not on PATH: %s", installHint)
	}
	cache := filepath.Join(root, ".cache", "jupyter")
	k := &kernel{
		root:   root,
		bin:    filepath.Join(cache, "bin"),
		data:   filepath.Join(cache, "data"),
		config: filepath.Join(cache, "config"),
	}
	for _, dir := range []string{k.bin, k.data, k.config} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	unlock, err := lockExclusive(filepath.Join(cache, "lock"))
	if err != nil {
		return nil, fmt.Errorf("locking the kernel directory: %w", err)
	}
	err = k.build()
	if err == nil {
		err = k.install()
	}
	// Hold a shared lock while notebooks run, so another test process cannot
	// rebuild the binaries or rewrite kernel.json under a running kernel.
	if lockErr := unlock(); err == nil && lockErr != nil {
		err = lockErr
	}
	if err != nil {
		return nil, err
	}
	if err := lockShared(filepath.Join(cache, "lock")); err != nil {
		return nil, fmt.Errorf("locking the kernel directory: %w", err)
	}
	return k, nil
}

// build compiles gonb and goimports at the versions go.mod pins (its tool
// directives). go build only relinks what changed, so this is quick when
// everything is up to date.
func (k *kernel) build() error {
	cmd := exec.Command("go", "build", "-o", k.bin+string(filepath.Separator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports")
	cmd.Dir = k.root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the GoNB kernel: %s: %w\n%s", cmd, err, out)
	}
	return nil
}

// install writes kernels/gonb/kernel.json into the project-local data dir.
// --raw_error makes compile errors plain text, readable in test logs;
// --force_deps because gopls (completion only) is optional.
func (k *kernel) install() error {
	cmd := exec.Command(filepath.Join(k.bin, "gonb"), "--install", "--raw_error", "--force_deps")
	cmd.Dir = k.root
	cmd.Env = k.env("")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("installing the GoNB kernel: %s: %w\n%s", cmd, err, out)
	}
	if _, err := os.Stat(filepath.Join(k.data, "kernels", "gonb", "kernel.json")); err != nil {
		return fmt.Errorf("installing the GoNB kernel left no kernel.json: %w", err)
	}
	return nil
}

// envFileVar names the dotenv file the library reads credentials from. The
// harness points it at the null device so a developer's .env can never make
// notebooks run against a real tenant: tests always use the emulator.
const envFileVar = "ANAPLAN_ENV_FILE"

// env is the environment notebooks run in: the caller's, without any Anaplan
// configuration, Jupyter configuration, GoNB state or go.work override, plus
// the project-local kernel. tmp, when set, becomes TMPDIR so GoNB's work
// directory and anything a notebook leaves in the temp dir go away with it.
func (k *kernel) env(tmp string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "ANAPLAN_"),
			strings.HasPrefix(name, "JUPYTER_"),
			strings.HasPrefix(name, "GONB_"),
			name == "GOWORK", name == "PATH", name == "TMPDIR":
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		envFileVar+"="+os.DevNull,
		"JUPYTER_DATA_DIR="+k.data,
		"JUPYTER_CONFIG_DIR="+k.config,
		// GoNB runs goimports from PATH at every cell.
		"PATH="+k.bin+string(filepath.ListSeparator)+os.Getenv("PATH"),
	)
	if tmp != "" {
		env = append(env, "TMPDIR="+tmp)
	} else if dir, ok := os.LookupEnv("TMPDIR"); ok {
		env = append(env, "TMPDIR="+dir)
	}
	return env
}

// checkJupyter explains a failed nbconvert run when the cause is a missing
// or broken Jupyter (nbconvert, or nbclient which executes notebooks). It
// costs two Python start-ups, so it only runs after a failure.
func checkJupyter() error {
	for _, sub := range []string{"nbconvert", "execute"} {
		cmd := exec.Command("jupyter", sub, "--version")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("notebook tests need Jupyter's nbconvert and nbclient, and %s fails: %v\n%s\n%s",
				cmd, err, bytes.TrimSpace(out), installHint)
		}
	}
	return nil
}

// repoRoot walks up from the package directory (where go test runs) to the
// directory whose go.mod declares this module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && declaresModule(mod, modulePath) {
			return dir, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod declaring module %s above the working directory", modulePath)
		}
		dir = parent
	}
}

func declaresModule(goMod []byte, path string) bool {
	for _, line := range strings.Split(string(goMod), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "module" && strings.Trim(fields[1], `"`) == path {
			return true
		}
	}
	return false
}
