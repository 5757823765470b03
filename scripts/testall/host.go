package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator/openapidocs"
)

// command is one program a step runs.
type command struct {
	args []string // program, then arguments
	dir  string   // working directory; "" is the current one
}

func (c command) String() string { return strings.Join(c.args, " ") }

// host is what testall needs from the machine, so tests can replace it.
type host struct {
	isRoot   bool
	lookPath func(file string) (string, error)
	run      func(ctx context.Context, c command, stdout, stderr io.Writer) error
	// openAPI is which OpenAPI documents the contract tests need and
	// where they download from (tests: their own pin and a local server).
	openAPI      openapidocs.Pin
	openAPIFetch openapidocs.FetchOptions
}

func localHost() host {
	return host{isRoot: os.Geteuid() == 0, lookPath: exec.LookPath, run: runCommand, openAPI: openapidocs.Pinned()}
}

func runCommand(ctx context.Context, c command, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, c.args[0], c.args[1:]...)
	cmd.Dir = c.dir
	cmd.Stdin = os.Stdin // sudo may ask for a password
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd.Run()
}
