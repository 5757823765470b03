package anaplan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
)

// taskRef is one entry of GET …/{kind}/{id}/tasks.
type taskRef struct {
	TaskID string `json:"taskId"`
}

// startTask POSTs …/{kind}/{id}/tasks (path p) and returns the new task's
// ID, starting the task once.
//
// A POST may act and still fail to answer: a gateway's 5xx after the model
// took the task, a connection dropped while the answer was on its way, an
// answer garbled on the way. Replaying it blindly would run the import
// twice; giving up would fail a cron job that in fact worked. So the
// client lists the object's tasks before asking, and after a failure that
// leaves the outcome unknown it lists them again: a task that was not
// there before is the one it started, and it follows that task; when none
// appeared, nothing started and it asks again, with backoff, within the
// retry policy. 429 and 409 (nothing was done) are retried as for any
// request, and other 4xx answers are final.
//
// One case remains: a server that answers 5xx and starts the task only
// after the client has listed the tasks again. The next POST then meets
// 409 (the model is busy with that task) and the client waits; when it
// ends, the client would start a second task.
func (m *ModelHandle) startTask(ctx context.Context, kind TaskKind, objectID, p string, body *requestBody) (string, error) {
	// Without the list (a server that does not serve it), a failed POST
	// cannot be checked, so it is not asked again.
	before, listErr := m.taskIDs(ctx, p)
	for attempt := 1; ; attempt++ {
		id, err := m.postTask(ctx, kind, objectID, p, body)
		if err == nil {
			return id, nil
		}
		if ctx.Err() != nil && listErr == nil {
			return "", m.abandonStart(ctx, kind, objectID, p, before, err)
		}
		if listErr != nil || !mayHaveActed(err) || attempt >= m.c.retry.MaxAttempts {
			return "", err
		}
		after, lerr := m.taskIDs(ctx, p)
		if lerr != nil {
			return "", fmt.Errorf("%w (listing the tasks to see whether it started failed too: %v)", err, lerr)
		}
		if id := newTask(before, after); id != "" {
			m.c.logger.WarnContext(ctx, "anaplan: the answer to starting a task was lost, but the task started: following it",
				slog.String("path", m.c.apiURL.String()+p), slog.String("taskId", id), slog.String("reason", oneLine(err.Error(), 200)))
			return id, nil
		}
		wait := m.c.retry.backoff(attempt)
		m.c.logger.LogAttrs(ctx, slog.LevelWarn, "anaplan: retrying request",
			slog.String("method", http.MethodPost), slog.String("path", m.c.apiURL.String()+p), slog.Int("attempt", attempt),
			slog.String("reason", "no task started after "+oneLine(err.Error(), 200)), slog.Duration("wait", wait))
		if serr := m.c.sleep(ctx, wait); serr != nil {
			return "", fmt.Errorf("%w (gave up waiting to start it again: %v)", err, serr)
		}
	}
}

// abandonStart handles a caller who gave up (ctx ended) while a task start
// was on its way: if the server started the task anyway, it is cancelled,
// as Wait cancels a task its caller stops waiting for, so an import does
// not hold the model after the program is gone. The lookup and the
// cancel run detached from ctx, within cancelTimeout.
func (m *ModelHandle) abandonStart(ctx context.Context, kind TaskKind, objectID, p string, before []string, cause error) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
	defer cancel()
	after, err := m.taskIDs(cctx, p)
	if err != nil {
		return fmt.Errorf("%w (could not check whether the %s started: %v)", cause, kind.noun(), err)
	}
	id := newTask(before, after)
	if id == "" {
		return cause
	}
	t := m.Task(kind, objectID, id)
	st, err := t.Cancel(cctx)
	if err != nil {
		return fmt.Errorf("%w (%s had started; cancelling it failed: %v)", cause, t, err)
	}
	return fmt.Errorf("%w (%s had started; asked Anaplan to cancel it: %s)", cause, t, st.State)
}

// postTask sends the POST once (apart from the 429 and 409 retries every
// request gets) and reads the task ID from the answer.
func (m *ModelHandle) postTask(ctx context.Context, kind TaskKind, objectID, p string, body *requestBody) (string, error) {
	raw, err := m.c.doRaw(ctx, request{method: http.MethodPost, path: p, body: body})
	if err != nil {
		return "", err
	}
	st, err := decodeTask(raw)
	if err != nil {
		return "", wrapf(err, "starting %s %s", kind.noun(), objectID)
	}
	if st.TaskID == "" {
		return "", fmt.Errorf("anaplan: starting %s %s: the answer has no taskId", kind.noun(), objectID)
	}
	return st.TaskID, nil
}

// taskIDs lists the IDs of the tasks under p.
func (m *ModelHandle) taskIDs(ctx context.Context, p string) ([]string, error) {
	refs, err := Collect(list[taskRef](m.c, ctx, p, nil, "tasks", ListOptions{}))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.TaskID
	}
	return ids, nil
}

// mayHaveActed reports whether a failed POST may have started the task: a
// 5xx, a network error, an answer that could not be read. Other statuses
// are the server's final word that it did not.
func mayHaveActed(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 500
	}
	return true
}

// newTask returns a task ID in after that is not in before (the newest,
// as Anaplan lists tasks oldest first), or "".
func newTask(before, after []string) string {
	for _, id := range slices.Backward(after) {
		if id != "" && !slices.Contains(before, id) {
			return id
		}
	}
	return ""
}
