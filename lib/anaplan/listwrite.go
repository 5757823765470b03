package anaplan

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// ItemInput is one list item to add, update or delete. Add takes Name
// (general lists; numbered lists generate names and refuse one), Code,
// Parent, Properties and Subsets. Update and delete identify the item by
// exactly one of ID, Code or Name (numbered lists: ID or Code). Empty
// fields are not sent.
type ItemInput struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Code string `json:"code,omitempty"`
	// Parent is the parent item (its name, or the code the registry's
	// numbered lists use); empty leaves it unset.
	Parent     string            `json:"parent,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
	Subsets    map[string]bool   `json:"subsets,omitempty"`
}

// ItemsResult is the merged answer of a batched add, update or delete.
type ItemsResult struct {
	// Added, Updated and Deleted count the items the action applied to
	// (only the action's own field is set).
	Added, Updated, Deleted int
	// Ignored counts the items Anaplan did not apply; Failures says why,
	// with indexes into the caller's input, in input order.
	Ignored  int
	Total    int
	Failures []WriteFailure
	// Requests is how many write requests were sent.
	Requests int
	// Recovered counts items of a request whose answer was lost that were
	// found already applied (see AddListItems), instead of being sent again.
	Recovered int
}

// itemsAnswer decodes both shapes Anaplan documents: top-level counts and
// failures (the help page for add and update, SDK and Anaplan Connect for
// delete), and delete's {"result":{"numberOfItemsDeleted","failures"}}.
type itemsAnswer struct {
	Added    int          `json:"added"`
	Updated  int          `json:"updated"`
	Deleted  int          `json:"deleted"`
	Ignored  int          `json:"ignored"`
	Total    int          `json:"total"`
	Failures failuresJSON `json:"failures"`
	Result   *struct {
		NumberOfItemsDeleted int          `json:"numberOfItemsDeleted"`
		Failures             failuresJSON `json:"failures"`
	} `json:"result"`
}

type itemAction int

const (
	actionAdd itemAction = iota
	actionUpdate
	actionDelete
)

func (a itemAction) String() string {
	return [...]string{"adding", "updating", "deleting"}[a]
}

// AddListItems adds items to a list in batches of at most 100,000 (see
// WriteOptions) and merges the answers: failures carry indexes into items.
//
// An add is not idempotent: sent twice, the second finds every item there
// and reports it ignored as a duplicate (or, on a numbered list with no
// codes, adds it twice). So an add whose answer is lost (a dropped
// connection, a 5xx) is never replayed blindly: the client looks the
// batch's items up by code or name (POST …/dimensions/{listId}/items),
// counts those found as added (Recovered), and sends only the rest. Items
// it cannot look up (numbered lists without codes) end it with an error
// saying the outcome is unknown; read the list before trying again.
func (m *ModelHandle) AddListItems(ctx context.Context, listID string, items []ItemInput, opts WriteOptions) (ItemsResult, error) {
	return m.writeItems(ctx, listID, actionAdd, items, opts)
}

// UpdateListItems updates items (properties, parent, code) in batches.
// An update is a PUT, retried like any idempotent request.
func (m *ModelHandle) UpdateListItems(ctx context.Context, listID string, items []ItemInput, opts WriteOptions) (ItemsResult, error) {
	return m.writeItems(ctx, listID, actionUpdate, items, opts)
}

// DeleteListItems deletes items identified by ID, Code or Name, in
// batches. A delete whose answer is lost is checked like an add: items no
// longer found count as deleted, the rest are sent again.
func (m *ModelHandle) DeleteListItems(ctx context.Context, listID string, items []ItemInput, opts WriteOptions) (ItemsResult, error) {
	return m.writeItems(ctx, listID, actionDelete, items, opts)
}

// maxRecoveries bounds the look-up-and-resend rounds for one batch.
const maxRecoveries = 3

func (m *ModelHandle) writeItems(ctx context.Context, listID string, action itemAction, items []ItemInput, opts WriteOptions) (ItemsResult, error) {
	res := ItemsResult{Total: len(items)}
	if err := requireID("list", listID); err != nil {
		return res, err
	}
	p, err := m.path("lists", listID, "items")
	if err != nil {
		return res, err
	}
	perCall, maxBytes := opts.limits(MaxItemsPerCall)
	const prefix, suffix = `{"items":[`, `]}`
	for b, err := range ahead(batches(slices.Values(items), func(it ItemInput) ([]byte, error) { return compactJSON(it) },
		perCall, maxBytes, prefix, suffix)) {
		if err != nil {
			return res, err
		}
		if err := m.sendItemBatch(ctx, p, listID, action, items, b, &res); err != nil {
			return res, wrapf(err, "%s items %d-%d of %d in list %s of %s",
				action, b.start, b.start+b.n-1, len(items), listID, m)
		}
		if opts.Progress != nil {
			opts.Progress(b.start + b.n)
		}
	}
	slices.SortStableFunc(res.Failures, func(a, b WriteFailure) int { return a.Index - b.Index })
	res.Ignored = len(res.Failures)
	return res, nil
}

// sendItemBatch sends one batch and merges its answer into res; after a
// lost answer to an add or delete it checks what happened and sends only
// what did not.
func (m *ModelHandle) sendItemBatch(ctx context.Context, path, listID string, action itemAction, items []ItemInput, b *batch, res *ItemsResult) error {
	for round := 0; ; round++ {
		ans, err := m.postItems(ctx, path, action, b.body())
		res.Requests++
		if err == nil {
			res.Added += ans.Added
			res.Updated += ans.Updated
			fails := ans.Failures
			if ans.Result != nil {
				res.Deleted += ans.Result.NumberOfItemsDeleted
				fails = append(fails, ans.Result.Failures...)
			} else {
				res.Deleted += ans.Deleted
			}
			res.Failures = append(res.Failures, fails.shift(b)...)
			return nil
		}
		if action == actionUpdate || !answerLost(err) || ctx.Err() != nil {
			return err
		}
		if round >= maxRecoveries {
			return fmt.Errorf("the answer was lost %d times; the items may or may not be written: %w", round+1, err)
		}
		m.c.logger.WarnContext(ctx, "anaplan: the answer to a list write was lost; checking which items it applied",
			"action", action.String(), "items", b.n, "error", err)
		rest, applied, lookErr := m.checkApplied(ctx, listID, action, items, b)
		if lookErr != nil {
			return fmt.Errorf("the answer was lost (%v) and checking the list failed, so whether the items were written is unknown; read the list before trying again: %w", err, lookErr)
		}
		res.Recovered += applied
		if action == actionAdd {
			res.Added += applied
		} else {
			res.Deleted += applied
		}
		if rest == nil {
			return nil
		}
		b = rest
	}
}

// postItems sends one add, update or delete body.
func (m *ModelHandle) postItems(ctx context.Context, path string, action itemAction, body []byte) (itemsAnswer, error) {
	r := request{method: http.MethodPost, path: path, body: bytesBody("application/json", body)}
	switch action {
	case actionAdd:
		r.query = url.Values{"action": {"add"}}
	case actionDelete:
		r.query = url.Values{"action": {"delete"}}
	case actionUpdate:
		r.method = http.MethodPut
	}
	var ans itemsAnswer
	err := m.c.do(ctx, r, &ans)
	return ans, err
}

// checkApplied looks a batch's items up in the list after a lost answer.
// For an add, items found were applied; for a delete, items not found
// were. It returns the batch of the items still to send (nil: none) and
// how many were applied. Items it cannot look up make it fail.
func (m *ModelHandle) checkApplied(ctx context.Context, listID string, action itemAction, items []ItemInput, b *batch) (*batch, int, error) {
	var names, codes []string
	for k := range b.n {
		it := items[b.index(k)]
		switch {
		case it.Code != "":
			codes = append(codes, it.Code)
		case it.Name != "" && it.ID == "":
			names = append(names, it.Name)
		default:
			return nil, 0, fmt.Errorf("item %d has neither code nor name to look it up by", b.index(k))
		}
	}
	found, err := m.LookupDimensionItems(ctx, listID, names, codes)
	if err != nil {
		return nil, 0, err
	}
	// Anaplan matches names and codes case-insensitively.
	byCode, byName := map[string]bool{}, map[string]bool{}
	for _, it := range found {
		if it.Code != "" {
			byCode[strings.ToLower(it.Code)] = true
		}
		byName[strings.ToLower(it.Name)] = true
	}
	applied := 0
	var keep []int
	for k := range b.n {
		it := items[b.index(k)]
		present := byCode[strings.ToLower(it.Code)]
		if it.Code == "" {
			present = byName[strings.ToLower(it.Name)]
		}
		if present == (action == actionAdd) {
			applied++
			continue
		}
		keep = append(keep, k)
	}
	if len(keep) == 0 {
		return nil, applied, nil
	}
	return b.subset(keep), applied, nil
}
