package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// demoDayFile counts, in the emulator's StateDir, the days the demo tenant
// has moved on.
const demoDayFile = "demo-day"

// demoSeed makes every learner's demo tenant move the same way.
const demoSeed = 1

// maxDemoDay bounds the count a demo-day file may hold.
const maxDemoDay = 100000

// demoTenant is the tenant the built-in emulator serves: the demo tenant
// at the day StateDir counts, moved on a day first when opts.AdvanceDemo
// asks for it (a registry run); other sessions (notebook cells, other
// scripts) see the day the last registry run saw.
func demoTenant(opts Options) (*emulator.Tenant, error) {
	demo := emulator.Demo()
	if opts.StateDir == "" {
		return demo, nil
	}
	path := filepath.Join(opts.StateDir, demoDayFile)
	day, found, err := readDemoDay(path)
	if err != nil {
		return nil, err
	}
	if opts.AdvanceDemo {
		if found { // the first run sees day 0, each later one a day more
			day++
		}
		if err := writeDemoDay(opts.StateDir, day); err != nil {
			return nil, err
		}
	}
	t, _ := demo.Advance(day, demoSeed)
	return t, nil
}

// DemoDay is the day of the demo tenant that the built-in emulator on
// stateDir serves (or, with none running, will serve): what a session
// connected with that StateDir reads. A registry run records it in its
// history, so that RaiseDemoDay can restore it.
func DemoDay(stateDir string) (int, error) {
	if stateDir == "" {
		return 0, nil
	}
	day, _, err := readDemoDay(filepath.Join(stateDir, demoDayFile))
	return day, err
}

// DemoTime is the demo tenant's clock at day: the time that day's changes
// happened (emulator.AdvanceEpoch plus day days, 09:00 UTC). A run of the
// demo tenant is dated by it, and its hygiene counts days by it, not by the
// wall clock: the tenant moves a day per run, so a history dated by the
// wall would see a day's growth in the minutes between two runs and
// forecast absurd paces. scripts/registry and notebook 07 both date their
// runs with it.
func DemoTime(day int) time.Time {
	return emulator.AdvanceEpoch.AddDate(0, 0, day)
}

// RaiseDemoDay makes stateDir count at least day days of the demo tenant.
// The count lives in the temporary directory and a registry history
// elsewhere (out/registry.db): when the temporary directory was cleared,
// the demo tenant would start again at day 0 and the next run's diff
// would show it shrinking. A registry run calls this with the latest day
// its history saw before it connects, so the two cannot disagree: the
// demo only ever moves forward. A count already higher stays.
func RaiseDemoDay(stateDir string, day int) error {
	if stateDir == "" {
		return nil
	}
	if day < 0 || day > maxDemoDay {
		return fmt.Errorf("demo tenant day %d: want 0 to %d", day, maxDemoDay)
	}
	now, found, err := readDemoDay(filepath.Join(stateDir, demoDayFile))
	if err != nil || (found && now >= day) {
		return err
	}
	return writeDemoDay(stateDir, day)
}

// readDemoDay reads a demo-day file: the day, and whether the file was there.
func readDemoDay(path string) (int, bool, error) {
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("reading the demo tenant's day: %w", err)
	}
	day, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || day < 0 || day > maxDemoDay {
		return 0, false, fmt.Errorf("%s holds %q, not a day count: delete it to start the demo tenant again", path, b)
	}
	return day, true, nil
}

// writeDemoDay replaces stateDir's demo-day file atomically.
func writeDemoDay(stateDir string, day int) error {
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return err
	}
	path := filepath.Join(stateDir, demoDayFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(day)+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
