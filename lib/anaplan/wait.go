package anaplan

import (
	"context"
	"fmt"
	"time"
)

const (
	// maxPollInterval caps the backoff between polls of a task that shows
	// no change (queued behind another task, a long step): long tasks cost
	// a poll every 30 s, not every 5.
	maxPollInterval = 30 * time.Second
	// cancelTimeout bounds the DELETE Wait sends for a task it abandons.
	cancelTimeout = 30 * time.Second
)

// Wait polls the task until it finishes and returns its final status:
// nil error when it succeeded, a *TaskError when it completed with failures
// or was cancelled (the status is returned too, for its details).
//
// The first poll is immediate. Then Wait polls at the client's poll
// interval (default 5 s, Anaplan's advised minimum; see WithPollInterval)
// while the task moves, and backs off ×1.5 up to 30 s while it shows no
// change. progress, if not nil, sees every status read.
//
// A task that never finishes is bounded only by ctx. A backed-off wait is
// shortened to poll once more a second before ctx's deadline. When ctx
// ends (or its deadline would pass during the next wait), Wait cancels the
// task on the server (DELETE, with a fresh 30 s budget) and returns an
// error wrapping ctx's error: a caller who gives up does not leave an
// import holding the model. To stop waiting without cancelling, poll
// Status yourself.
//
// A status read that fails after the client's retries ends the wait with
// that error; the task may still be running (re-attach with ModelHandle.Task).
func (t *Task) Wait(ctx context.Context, progress func(TaskStatus)) (TaskStatus, error) {
	base := t.m.c.pollInterval
	ceiling := max(maxPollInterval, base)
	wait := base
	var last TaskStatus
	for polls := 0; ; polls++ {
		st, err := t.Status(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return t.abandon(ctx, last, ctx.Err())
			}
			return last, wrapf(err, "waiting for %s (it may still be running)", t)
		}
		if progress != nil {
			progress(st)
		}
		if st.Done() {
			return st, t.outcome(st)
		}
		if polls > 0 && sameProgress(st, last) {
			wait = min(wait*3/2, ceiling)
		} else {
			wait = base
		}
		last = st
		if err := t.m.c.sleep(ctx, fitDeadline(ctx, wait, base)); err != nil {
			return t.abandon(ctx, last, err)
		}
	}
}

// fitDeadline shortens a backed-off wait so that one more poll happens
// shortly before ctx's deadline, but never below the base interval: a task
// gets all the time the caller gave it, and Anaplan no poll faster than
// asked.
func fitDeadline(ctx context.Context, wait, base time.Duration) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline) - time.Second; left < wait {
			return max(left, base)
		}
	}
	return wait
}

// sameProgress reports whether two polls show the task where it was.
func sameProgress(a, b TaskStatus) bool {
	return a.State == b.State && a.Progress == b.Progress && a.CurrentStep == b.CurrentStep
}

// outcome maps a finished status to Wait's error.
func (t *Task) outcome(st TaskStatus) error {
	if st.Succeeded() {
		return nil
	}
	return &TaskError{Kind: t.Kind, ObjectID: t.ObjectID, Task: st}
}

// abandon cancels the task on the server after the caller's context ended.
// The DELETE runs on a context detached from ctx (which is done) with its
// own short timeout.
func (t *Task) abandon(ctx context.Context, last TaskStatus, cause error) (TaskStatus, error) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
	defer cancel()
	st, err := t.Cancel(cctx)
	if err != nil {
		t.m.c.logger.WarnContext(cctx, "anaplan: could not cancel an abandoned task", "task", t.String(), "error", err)
		return last, fmt.Errorf("anaplan: stopped waiting for %s: %w (cancelling it failed: %v)", t, cause, err)
	}
	if st.Done() {
		// Too late: the task finished first, and its changes stand.
		return st, fmt.Errorf("anaplan: stopped waiting for %s: %w (it had already finished: %s)", t, cause, st.State)
	}
	return st, fmt.Errorf("anaplan: stopped waiting for %s: %w (asked Anaplan to cancel it: %s)", t, cause, st.State)
}
