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
	if !t.found("apt-get") {
		return fmt.Errorf("Chromium is missing and this is not a Debian-like system (no apt-get); " +
			"install Chromium or Chrome and set CHROMIUM to its path, then run testall again")
	}
	var prefix []string
	switch {
	case t.isRoot:
	case t.found("sudo"):
		prefix = []string{"sudo"}
	default:
		return fmt.Errorf("Chromium is missing and installing it needs root; run:\n  %s", manualChromium)
	}
	for _, args := range [][]string{aptUpdate, aptInstallChromium} {
		if err := t.step(ctx, command{args: append(append([]string{}, prefix...), args...)}); err != nil {
			return fmt.Errorf("installing Chromium failed (%w); run:\n  %s", err, manualChromium)
		}
	}
	if !t.dryRun && !t.chromiumWorks(ctx) {
		return fmt.Errorf("Chromium is still missing after apt-get install; run:\n  %s", manualChromium)
	}
	return nil
}

// chromiumWorks reports whether chromium is on PATH (a look-up only, so
// a dry run and the other steps' command lists stay as they were).
func (t *tester) chromiumWorks(context.Context) bool { return t.found("chromium") }
