//go:build !unix

package flock

import (
	"errors"
	"os"
)

var errBusy = errors.New("flock: busy")

func lock(*os.File, bool) error { return ErrUnsupported }
