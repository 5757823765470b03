package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// The built-in demo tenant's day is counted in the emulator's state
// directory, under the temporary directory, and the history is in OUT:
// clearing the first and not the second would send the demo tenant back to
// day 0 and make the next diff show models shrinking and disappearing. So
// every demo run records its day in the history, and a run first raises
// the state directory's count to the history's latest day.

// raiseDemoDay raises the demo tenant's day to the latest one the history
// recorded. It reads an existing history only: a run that fails later
// leaves no new file behind.
func (h *historyFlags) raiseDemoDay(ctx context.Context, out string) error {
	path := h.file(out)
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := history.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	day, ok, err := db.LatestDemoDay(ctx)
	if err != nil || !ok {
		return err
	}
	return session.RaiseDemoDay(session.DefaultOptions().StateDir, day)
}

// servedDemoDay is the day of the demo tenant the session reads, nil when
// it talks to a real tenant.
func servedDemoDay(s *session.Session) (*int, error) {
	if !s.Emulated {
		return nil, nil
	}
	day, err := session.DemoDay(session.DefaultOptions().StateDir)
	if err != nil {
		return nil, err
	}
	return &day, nil
}

// runTime is when the run happened: the demo tenant's day (session.DemoTime)
// when it reads the built-in demo tenant, else the wall clock. The history
// dates the run by it and hygiene counts days to it, so the run's date, the
// models' dates and "not modified for N days" read one clock.
func runTime(demoDay *int) time.Time {
	if demoDay != nil {
		return session.DemoTime(*demoDay)
	}
	return time.Now()
}

// checkDemoRunTime refuses, before the files are written, a demo run dated
// before the tenant's latest recorded one: a demo history recorded when
// its runs were dated by the wall clock has runs later than the demo
// tenant's day.
func checkDemoRunTime(ctx context.Context, db *history.DB, tenant string, at time.Time) error {
	if db == nil {
		return nil
	}
	runs, err := db.Runs(ctx, tenant)
	if err != nil || len(runs) == 0 {
		return err
	}
	if last := runs[len(runs)-1]; last.TakenAt.After(at) {
		return fmt.Errorf("%s holds run %d of this tenant at %s, later than this run (%s): runs of the built-in demo tenant are now dated by its own day, not the wall clock; "+
			"delete the history (or name another with -history FILE) to start again", db.Path(), last.ID,
			last.TakenAt.UTC().Format("2006-01-02 15:04"), at.UTC().Format("2006-01-02 15:04"))
	}
	return nil
}
