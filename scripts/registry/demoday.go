package main

import (
	"context"
	"errors"
	"os"

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
