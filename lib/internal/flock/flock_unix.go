//go:build unix

package flock

import (
	"errors"
	"os"
	"syscall"
)

var errBusy = syscall.EWOULDBLOCK

func lock(f *os.File, wait bool) error {
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
