package main

import (
	"os"
	"runtime/debug"
	"syscall"
)

// maxRSS is the peak resident set size of an exited child, from wait4's
// rusage (Linux reports it in KiB).
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}

// resetPeakRSS lowers the bench's own recorded peak RSS to what it holds
// now. Linux charges a child, when it execs, with the peak RSS of the
// memory it was forked from, and os/exec forks with CLONE_VM, so that
// memory is the bench's own: without this, every child measured after the
// bench once held a large buffer would report at least that much.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // 5: reset the peak RSS (Linux 4.0+)
}
