package session

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// stateWaitPoll is how often a run waiting for the demo tenant's state
// directory tries again.
const stateWaitPoll = 100 * time.Millisecond

// stateWaitFor bounds that wait: a sandbox left running on the directory
// would hold it for good, and the error then names it.
const stateWaitFor = 2 * time.Minute

// startSharedEmulator starts the in-process emulator on opts.StateDir. The
// directory holds one emulator at a time, and two notebook kernels, or a
// script beside a notebook, may want it at once: then this run waits for
// the other to finish (its cells and scripts take seconds), saying once on
// log whom it waits for, until ctx ends.
func startSharedEmulator(ctx context.Context, opts emulator.Options, log *slog.Logger) (*emulator.Server, error) {
	var tick *time.Ticker
	for {
		srv, err := emulator.Start("", opts)
		var inUse *emulator.StateDirInUseError
		if !errors.As(err, &inUse) {
			return srv, err
		}
		if tick == nil {
			tick = time.NewTicker(stateWaitPoll)
			defer tick.Stop()
			if log != nil {
				log.Warn("waiting for the other run using the demo tenant's state to finish", "error", inUse.Error())
			}
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(err, context.Cause(ctx))
		case <-tick.C:
		}
	}
}
