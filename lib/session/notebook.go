package session

import (
	"fmt"
	"io"
	"os"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Every notebook cell is a new program: these are the setup each one
// repeats, in one call.

// exit ends the program after a failed step; tests replace it.
var exit = os.Exit

// stderr is where a failed step says why; tests replace it.
var stderr io.Writer = os.Stderr

// Open is what a notebook cell starts with: Connect with DefaultOptions,
// the given client options added (a Recorder's, anaplan.WithTokenCache("")
// to log in afresh). On an error (a .env with a user name but no password)
// it stops the cell as Must does.
func Open(opts ...anaplan.Option) *Session {
	o := DefaultOptions()
	o.ClientOptions = opts
	return Must(Connect(o))
}

// Must returns v, or stops the program when err is not nil: it prints
// "error: " and the message on stderr and exits with status 1, so a failed
// notebook step says why, once, instead of a panic's stack.
func Must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		exit(1)
	}
	return v
}
