package session

import (
	"context"
	"errors"
	"log/slog"
	"sync"
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

// inProcess shares the built-in emulator among the sessions of one process
// that use the same StateDir: a notebook cell may open two sessions (one
// per login kind), and a directory holds one emulator at a time, so the
// second must not wait for the first.
var inProcess = struct {
	sync.Mutex
	servers map[string]*sharedServer
}{servers: map[string]*sharedServer{}}

type sharedServer struct {
	srv  *emulator.Server
	refs int
}

// acquireEmulator returns this process's emulator on stateDir, starting
// one (with the options options builds, waiting for another process that
// holds the directory) when none runs. release stops it once the last
// session using it lets go. Without a stateDir every session has its own.
func acquireEmulator(ctx context.Context, stateDir string, options func() (emulator.Options, error), log *slog.Logger) (srv *emulator.Server, release func() error, err error) {
	if stateDir == "" {
		opts, err := options()
		if err != nil {
			return nil, nil, err
		}
		srv, err := emulator.Start("", opts)
		if err != nil {
			return nil, nil, err
		}
		return srv, srv.Close, nil
	}
	inProcess.Lock()
	defer inProcess.Unlock()
	s, ok := inProcess.servers[stateDir]
	if !ok {
		opts, err := options()
		if err != nil {
			return nil, nil, err
		}
		srv, err := startSharedEmulator(ctx, opts, log)
		if err != nil {
			return nil, nil, err
		}
		s = &sharedServer{srv: srv}
		inProcess.servers[stateDir] = s
	}
	s.refs++
	var once sync.Once
	return s.srv, func() (err error) {
		once.Do(func() {
			inProcess.Lock()
			defer inProcess.Unlock()
			if s.refs--; s.refs == 0 {
				delete(inProcess.servers, stateDir)
				err = s.srv.Close()
			}
		})
		return err
	}, nil
}
