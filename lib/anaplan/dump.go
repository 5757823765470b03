package anaplan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrNoDump is returned (wrapped) by Dump and NestedDump when there is no
// failure dump to download: the task had no failures, or the dump is gone
// (Anaplan keeps a dump 48 h after its last access, per user, and only for
// that user's latest run of the import).
var ErrNoDump = errors.New("anaplan: no failure dump")

// Dump writes the task's failure dump to w: CSV text with _Status_, the
// row's data columns, _Line_ and _Error_1_… columns, one row per rejected
// record. It is downloaded chunk by chunk (Anaplan's dump chunks are at
// most 10 MB).
//
// For a process, the dump belongs to the action that failed: Dump reads the
// task's result and downloads the dump of the one nested action that has
// one; when several do, it says which and NestedDump picks one.
func (t *Task) Dump(ctx context.Context, w io.Writer) error {
	if t.Kind == KindProcess {
		return t.processDump(ctx, w)
	}
	p, err := t.path("dump")
	if err != nil {
		return err
	}
	return t.dump(ctx, p, "", w)
}

// NestedDump writes the failure dump of one action of a process task to w;
// objectID is the action's ID from TaskResult.NestedResults.
func (t *Task) NestedDump(ctx context.Context, objectID string, w io.Writer) error {
	if err := requireID("nested action", objectID); err != nil {
		return err
	}
	p, err := t.path("dumps", objectID)
	if err != nil {
		return err
	}
	return t.dump(ctx, p, objectID, w)
}

func (t *Task) processDump(ctx context.Context, w io.Writer) error {
	st, err := t.Status(ctx)
	if err != nil {
		return err
	}
	if !st.Done() || st.Result == nil {
		return fmt.Errorf("anaplan: %s has not finished (%s): its failure dump comes after; Wait first", t, st.State)
	}
	var withDump []string
	for _, n := range st.Result.NestedResults {
		if n.FailureDumpAvailable {
			withDump = append(withDump, n.ObjectID)
		}
	}
	switch len(withDump) {
	case 0:
		return fmt.Errorf("%w for %s: none of its actions reports one", ErrNoDump, t)
	case 1:
		return t.NestedDump(ctx, withDump[0], w)
	}
	return fmt.Errorf("anaplan: %s has failure dumps for several actions (%s): download each with NestedDump",
		t, strings.Join(withDump, ", "))
}

// dump downloads the dump at p and explains a missing one.
func (t *Task) dump(ctx context.Context, p, nested string, w io.Writer) error {
	what := t.String()
	if nested != "" {
		what += " action " + nested
	}
	_, status, err := t.m.c.downloadChunked(ctx, p, w)
	switch {
	case err == nil && status == http.StatusNoContent:
		return fmt.Errorf("%w for %s: Anaplan says it had no failures", ErrNoDump, what)
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w for %s: none was written, or it has expired: %w", ErrNoDump, what, err)
	case err != nil:
		return wrapf(err, "downloading the failure dump of %s", what)
	}
	return nil
}
