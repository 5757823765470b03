package main

import (
	"context"
	"fmt"
)

// aptUpdate refreshes the package lists before an install.
var aptUpdate = []string{"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-y", "-q", "update"}

// aptGetInstall installs what (its name in messages) with apt-get update
// and then install: directly as root, through sudo otherwise. noApt is the
// advice for a system without apt-get; manual is the exact command the
// user must run when testall cannot.
func (t *tester) aptGetInstall(ctx context.Context, what, noApt, manual string, install []string) error {
	if !t.found("apt-get") {
		return fmt.Errorf("%s is missing and this is not a Debian-like system (no apt-get); %s", what, noApt)
	}
	var prefix []string
	switch {
	case t.isRoot:
	case t.found("sudo"):
		prefix = []string{"sudo"}
	default:
		return fmt.Errorf("%s is missing and installing it needs root; run:\n  %s", what, manual)
	}
	for _, args := range [][]string{aptUpdate, install} {
		if err := t.step(ctx, command{args: append(append([]string{}, prefix...), args...)}); err != nil {
			return fmt.Errorf("installing %s failed (%w); run:\n  %s", what, err, manual)
		}
	}
	return nil
}
