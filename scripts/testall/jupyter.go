package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// The notebook tests execute notebooks with Jupyter's nbconvert, which runs
// them through nbclient and jupyter_client. On Debian (bookworm and later)
// these two packages bring all of them; --no-install-recommends skips pandoc
// and LaTeX, which executing notebooks does not need.
var aptInstall = []string{"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
	"--no-install-recommends", "jupyter-nbconvert", "jupyter-client"}

// manualInstall is the exact command a user must run when testall cannot.
const manualInstall = "sudo apt-get update && sudo apt-get install -y --no-install-recommends jupyter-nbconvert jupyter-client"

// ensureJupyter installs Jupyter with apt-get when it is missing: directly as
// root, through sudo otherwise. It fails with the command to run when
// neither works.
func (t *tester) ensureJupyter(ctx context.Context) error {
	fmt.Fprintln(t.stdout, "testall: checking for Jupyter (jupyter nbconvert, jupyter execute)")
	missing := t.jupyterMissing(ctx)
	if missing == "" {
		return nil
	}
	fmt.Fprintf(t.stdout, "testall: Jupyter is missing: %s\n", missing)

	if err := t.aptGetInstall(ctx, "Jupyter",
		"install Jupyter's nbconvert, nbclient and jupyter_client with your package manager "+
			"(or: python3 -m pip install --user nbconvert nbclient jupyter_client) and run testall again",
		manualInstall, aptInstall); err != nil {
		return err
	}
	if t.dryRun {
		return nil
	}
	if missing := t.jupyterMissing(ctx); missing != "" {
		return fmt.Errorf("Jupyter is still missing after apt-get install: %s", missing)
	}
	return nil
}

// jupyterMissing says what is missing, or "" when nbconvert and nbclient
// both answer. It asks through the jupyter launcher, so it checks the Python
// that Jupyter itself runs on, not whichever python3 comes first on PATH.
func (t *tester) jupyterMissing(ctx context.Context) string {
	if !t.found("jupyter") {
		return "no jupyter on PATH"
	}
	for _, sub := range []string{"nbconvert", "execute"} {
		c := command{args: []string{"jupyter", sub, "--version"}}
		var out strings.Builder
		if err := t.run(ctx, c, io.Discard, &out); err != nil {
			return fmt.Sprintf("%s fails (%v): %s", c, err, lastLine(out.String()))
		}
	}
	return ""
}

func (t *tester) found(program string) bool {
	_, err := t.lookPath(program)
	return err == nil
}

func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	return lines[len(lines)-1]
}
