//go:build unix

package notebooks_test

import (
	"os"
	"syscall"
)

// sharedLock keeps the shared lock's file open (and so locked) until the test
// process exits; an unreferenced *os.File would be closed by its finalizer.
var sharedLock *os.File

// lockExclusive waits until no other test process holds the kernel lock, so
// only one builds and installs at a time.
func lockExclusive(path string) (unlock func() error, err error) {
	f, err := flock(path, syscall.LOCK_EX)
	if err != nil {
		return nil, err
	}
	return f.Close, nil // closing the file releases the lock
}

// lockShared marks this process as running notebooks until it exits.
func lockShared(path string) error {
	f, err := flock(path, syscall.LOCK_SH)
	if err != nil {
		return err
	}
	sharedLock = f
	return nil
}

func flock(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
