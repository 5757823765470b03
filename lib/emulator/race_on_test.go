//go:build race

package emulator_test

// raceDetector reports whether the tests run under -race, which checks
// every byte that crosses a system call: tests that move gigabytes move
// less then.
const raceDetector = true
