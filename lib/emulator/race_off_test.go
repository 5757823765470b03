//go:build !race

package emulator_test

// raceDetector reports whether the tests run under -race (see race_on_test.go).
const raceDetector = false
