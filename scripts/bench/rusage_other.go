//go:build !linux

package main

import "os"

// maxRSS is unknown off Linux: the bench reports 0 there.
func maxRSS(*os.ProcessState) int64 { return 0 }

// resetPeakRSS has nothing to do off Linux.
func resetPeakRSS() {}
