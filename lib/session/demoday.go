package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// demoDayFile counts, in the emulator's StateDir, the days the demo tenant
// has moved on.
const demoDayFile = "demo-day"

// demoSeed makes every learner's demo tenant move the same way.
const demoSeed = 1

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
	day, found := 0, false
	switch b, err := os.ReadFile(path); {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading the demo tenant's day: %w", err)
	default:
		if day, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil || day < 0 || day > 100000 {
			return nil, fmt.Errorf("%s holds %q, not a day count: delete it to start the demo tenant again", path, b)
		}
		found = true
	}
	if opts.AdvanceDemo {
		if found { // the first run sees day 0, each later one a day more
			day++
		}
		if err := os.MkdirAll(opts.StateDir, 0o700); err != nil {
			return nil, err
		}
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(strconv.Itoa(day)+"\n"), 0o600); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, path); err != nil {
			return nil, err
		}
	}
	t, _ := demo.Advance(day, demoSeed)
	return t, nil
}
