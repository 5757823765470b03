// Package flock takes advisory, exclusive locks on open files. The kernel
// drops a lock when its holder dies, even by SIGKILL, so a lock tells a
// live writer from the leftovers of a killed one without trusting PIDs
// (which the system reuses) or clocks.
package flock

import (
	"errors"
	"os"
)

// ErrUnsupported reports a platform without advisory file locks; callers
// fall back to something weaker (an age limit, no lock).
var ErrUnsupported = errors.ErrUnsupported

// Lock takes an exclusive lock on f, waiting while another process holds
// one. The lock lasts until f is closed (or its process ends).
func Lock(f *os.File) error { return lock(f, true) }

// TryLock takes an exclusive lock on f if nobody holds one: ok is false,
// with a nil error, when another open file (in this process or another)
// holds it.
func TryLock(f *os.File) (ok bool, err error) {
	err = lock(f, false)
	if errors.Is(err, errBusy) {
		return false, nil
	}
	return err == nil, err
}
