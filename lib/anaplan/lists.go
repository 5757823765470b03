package anaplan

import (
	"context"
	"io"
	"iter"
	"net/http"
	"net/url"
)

// The transactional API's lists (anaplan-api.md §6 "Lists"): the list of
// lists, list metadata, items as JSON or CSV, and resetIndex. Writes are
// in listwrite.go; large reads in largeread.go.

// List is one list of a model, as GET …/lists returns it.
type List struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// ObjectRef names another model object (a parent list, a dimension).
type ObjectRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ListProperty is one property of a list.
type ListProperty struct {
	Name         string `json:"name"`
	Format       string `json:"format,omitempty"`
	Notes        string `json:"notes,omitempty"`
	ReferencedBy string `json:"referencedBy,omitempty"`
}

// ListMetadata is GET …/lists/{listId}'s "metadata". Anaplan omits the
// entries a list does not set (no parent, no top level), so those stay
// zero here.
type ListMetadata struct {
	ID                       string         `json:"id"`
	Name                     string         `json:"name"`
	Properties               []ListProperty `json:"properties,omitempty"`
	HasSelectiveAccess       bool           `json:"hasSelectiveAccess"`
	Parent                   *ObjectRef     `json:"parent,omitempty"`
	TopLevelItem             string         `json:"topLevelItem,omitempty"`
	ManagedBy                string         `json:"managedBy,omitempty"`
	NumberedList             bool           `json:"numberedList"`
	UseTopLevelAsPageDefault bool           `json:"useTopLevelAsPageDefault"`
	ItemCount                int            `json:"itemCount"`
	NextItemIndex            int            `json:"nextItemIndex,omitempty"`
	WorkflowEnabled          bool           `json:"workflowEnabled"`
	ProductionData           bool           `json:"productionData"`
	Category                 string         `json:"category,omitempty"`
}

// ListItem is one item as GET …/lists/{listId}/items returns it. Parent is
// the parent item's name and ParentID its id; ListID and ListName name the
// parent list (only for lists with a parent hierarchy). Properties
// (string-encoded, whatever their format) and Subsets come only with
// includeAll.
type ListItem struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Code       string            `json:"code,omitempty"`
	Parent     string            `json:"parent,omitempty"`
	ParentID   string            `json:"parentId,omitempty"`
	ListID     string            `json:"listId,omitempty"`
	ListName   string            `json:"listName,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
	Subsets    map[string]bool   `json:"subsets,omitempty"`
}

// ListLists yields the model's lists (GET …/lists): the ids that list
// reads and writes address.
func (m *ModelHandle) ListLists(ctx context.Context) iter.Seq2[List, error] {
	return listUnder[List](ctx, m, nil, "lists", "lists")
}

// FindList returns the list with the given id, or else the given name.
func (m *ModelHandle) FindList(ctx context.Context, idOrName string) (List, error) {
	return find(ctx, m, "list", m.ListLists, idOrName, func(l List) (string, string) { return l.ID, l.Name })
}

// ListMetadata describes a list: properties, parent, item count.
func (m *ModelHandle) ListMetadata(ctx context.Context, listID string) (ListMetadata, error) {
	if err := requireID("list", listID); err != nil {
		return ListMetadata{}, err
	}
	return getUnder[ListMetadata](ctx, m, nil, "metadata", "lists", listID)
}

// ListItemsOptions shape a read of list items (ListItems, ListItemsCSV).
type ListItemsOptions struct {
	// IncludeAll asks for properties, subsets and selective access
	// (includeAll=true).
	IncludeAll bool
	// PageSize is the limit asked per page; 0 means 5000. ListItemsCSV
	// ignores it: the CSV comes in one answer.
	PageSize int
}

// ListItems yields a list's items (GET …/lists/{listId}/items) page by page (offset and limit, following
// meta.paging), so memory holds one page. For lists of hundreds of
// thousands of items a large read (StartListRead) is kinder to the model.
func (m *ModelHandle) ListItems(ctx context.Context, listID string, opts ListItemsOptions) iter.Seq2[ListItem, error] {
	p, err := m.path("lists", listID, "items")
	if err == nil {
		err = requireID("list", listID)
	}
	if err != nil {
		return failed[ListItem](err)
	}
	q := url.Values{}
	if opts.IncludeAll {
		q.Set("includeAll", "true")
	}
	return list[ListItem](m.c, ctx, p, q, "listItems", ListOptions{PageSize: opts.PageSize})
}

// ListItemsCSV streams a list's items as CSV (GET …/lists/{listId}/items
// with Accept: text/csv), as Anaplan renders them, so a file can be
// written without decoding items. The caller closes the reader.
func (m *ModelHandle) ListItemsCSV(ctx context.Context, listID string, opts ListItemsOptions) (io.ReadCloser, error) {
	if err := requireID("list", listID); err != nil {
		return nil, err
	}
	p, err := m.path("lists", listID, "items")
	if err != nil {
		return nil, err
	}
	var q url.Values
	if opts.IncludeAll {
		q = url.Values{"includeAll": {"true"}}
	}
	return m.c.streamGET(ctx, p, q, "text/csv")
}

// ResetListIndex resets a list's index counter to 1 (Workspace
// Administrator). Anaplan answers 400 while the list has items.
func (m *ModelHandle) ResetListIndex(ctx context.Context, listID string) error {
	if err := requireID("list", listID); err != nil {
		return err
	}
	p, err := m.path("lists", listID, "resetIndex")
	if err != nil {
		return err
	}
	// Resetting twice is resetting once: safe to retry.
	return m.c.do(ctx, request{method: http.MethodPost, path: p, repeatable: true}, nil)
}

// streamGET GETs path and hands the 2xx body to the caller unread.
func (c *Client) streamGET(ctx context.Context, path string, q url.Values, accept string) (io.ReadCloser, error) {
	resp, err := c.roundTrip(ctx, request{method: http.MethodGet, path: path, query: q, accept: accept, stream: true})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}
