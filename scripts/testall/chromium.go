package main

import (
	"context"
	"fmt"
	"os"
)

// The browser test (scripts/sandbox/browser_test.go) drives headless
// Chromium from Debian's packages; like Jupyter, testall installs it when
// it is missing.
var aptInstallChromium = []string{"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "chromium"}

// manualChromium is the exact command a user must run when testall cannot.
const manualChromium = "sudo apt-get update && sudo apt-get install -y chromium"

// ensureChromium installs Chromium with apt-get when neither $CHROMIUM nor
// a chromium on PATH is there: directly as root, through sudo otherwise.
func (t *tester) ensureChromium(ctx context.Context) error {
	fmt.Fprintln(t.stdout, "testall: checking for Chromium (the OAuth browser test)")
	if os.Getenv("CHROMIUM") != "" || t.chromiumWorks(ctx) {
		return nil
	}
	fmt.Fprintln(t.stdout, "testall: Chromium is missing")
	if err := t.aptGetInstall(ctx, "Chromium",
		"install Chromium or Chrome and set CHROMIUM to its path, then run testall again",
		manualChromium, aptInstallChromium); err != nil {
		return err
	}
	if !t.dryRun && !t.chromiumWorks(ctx) {
		return fmt.Errorf("Chromium is still missing after apt-get install; run:\n  %s", manualChromium)
	}
	return nil
}

// chromiumWorks reports whether chromium is on PATH (a look-up only, so
// a dry run and the other steps' command lists stay as they were).
func (t *tester) chromiumWorks(context.Context) bool { return t.found("chromium") }
