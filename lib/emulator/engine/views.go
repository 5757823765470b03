package engine

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Views (anaplan-api.md §6 "Views", "View data"). Each module has one
// view, its default view, whose id is the module's: the first dimension
// on rows, line items on columns, the other dimensions on pages. A line
// item id stands in for a view id: the default view with that line item
// only. Rows are the leaf items of the row list (no aggregate rows).

// LineItemsDimensionID is the id of the "Line items" axis in view
// metadata, as the OAS example of GET …/views/{viewId} shows it.
const LineItemsDimensionID = "101999999999"

// MaxViewCells is the most cells a synchronous view read or dimension
// item read returns (H:viewdata).
const MaxViewCells = 1_000_000

// ErrBadPage is wrapped by errors for a pages selector that names no
// page dimension of the view or no item of it.
var ErrBadPage = errors.New("bad page selector")

// View is an entry of GET …/views.
type View struct {
	Code     string `json:"code"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	ModuleID string `json:"moduleId"`
}

// Dimension is a dimension or dimension item: {id, name, code?}.
type Dimension struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// ViewMetadata is GET …/views/{viewId}; empty axes are omitted.
type ViewMetadata struct {
	ViewName string      `json:"viewName"`
	ViewID   string      `json:"viewId"`
	Rows     []Dimension `json:"rows,omitempty"`
	Columns  []Dimension `json:"columns,omitempty"`
	Pages    []Dimension `json:"pages,omitempty"`
}

// PageSelector picks the item shown for one page dimension.
type PageSelector struct {
	DimensionID string
	ItemID      string
}

// Views lists every module's default view.
func (m *Model) Views() []View {
	out := make([]View, len(m.modules))
	for i, mod := range m.modules {
		out[i] = View{ID: idString(mod.id), Name: mod.name, ModuleID: idString(mod.id)}
	}
	return out
}

// ModuleViews lists the views of one module: its default view.
func (m *Model) ModuleViews(moduleID string) ([]View, error) {
	mod, err := m.moduleByID(moduleID)
	if err != nil {
		return nil, err
	}
	return []View{{ID: idString(mod.id), Name: mod.name, ModuleID: idString(mod.id)}}, nil
}

// view is a resolved view: its module and the line items on columns.
type view struct {
	id        string
	mod       *module
	lineItems []*lineItem
}

func (m *Model) viewByID(id string) (view, error) {
	if mod, err := m.moduleByID(id); err == nil {
		return view{id: id, mod: mod, lineItems: mod.lineItems}, nil
	}
	for _, li := range m.lineItems {
		if idString(li.id) == id {
			return view{id: id, mod: li.module, lineItems: []*lineItem{li}}, nil
		}
	}
	return view{}, fmt.Errorf("engine: view %q: %w", id, ErrNotFound)
}

// ViewMetadata describes a view's axes.
func (m *Model) ViewMetadata(viewID string) (ViewMetadata, error) {
	v, err := m.viewByID(viewID)
	if err != nil {
		return ViewMetadata{}, err
	}
	md := ViewMetadata{ViewName: v.mod.name, ViewID: viewID,
		Columns: []Dimension{{ID: LineItemsDimensionID, Name: "Line items"}}}
	for i, l := range v.mod.dims {
		d := Dimension{ID: idString(l.id), Name: l.name}
		if i == 0 {
			md.Rows = append(md.Rows, d)
		} else {
			md.Pages = append(md.Pages, d)
		}
	}
	return md, nil
}

// ViewGrid is one page of a view as GET …/views/{viewId}/data returns it:
// its labels, resolved when the read starts, and its rows, read in
// chunks by EachRow.
type ViewGrid struct {
	Pages   []string // label of the selected item of each page dimension
	Columns []string // line item names
	Rows    int
	m       *Model
	v       view
	key     rowKey
}

// ReadView resolves the page selectors (the first item of each page
// dimension by default) and calls fn with the grid, without holding the
// model's lock (EachRow takes it per chunk). A view of more than
// MaxViewCells cells fails with ErrTooMany.
func (m *Model) ReadView(viewID string, pages []PageSelector, fn func(*ViewGrid) error) error {
	v, err := m.viewByID(viewID)
	if err != nil {
		return err
	}
	g, err := m.resolveGrid(v, viewID, pages)
	if err != nil {
		return err
	}
	return fn(g)
}

func (m *Model) resolveGrid(v view, viewID string, pages []PageSelector) (*ViewGrid, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	g := &ViewGrid{m: m, v: v, Rows: v.mod.dims[0].len()}
	for _, li := range v.lineItems {
		g.Columns = append(g.Columns, li.name)
	}
	for i := 1; i < len(v.mod.dims); i++ {
		if v.mod.dims[i].len() == 0 {
			g.Rows = 0
		}
	}
	for _, p := range pages {
		i := -1
		for j := 1; j < len(v.mod.dims); j++ {
			if idString(v.mod.dims[j].id) == p.DimensionID {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("Invalid page selector [%s]: %w", p.DimensionID, ErrBadPage)
		}
		ord, ok := v.mod.dims[i].ordinalOf(p.ItemID)
		if !ok {
			return nil, fmt.Errorf("Invalid page selector [%s:%s]: %w", p.DimensionID, p.ItemID, ErrBadPage)
		}
		g.key[i] = ord
	}
	for i := 1; i < len(v.mod.dims); i++ {
		if l := v.mod.dims[i]; l.len() > 0 {
			g.Pages = append(g.Pages, l.names[g.key[i]])
		}
	}
	if cells := g.Rows * len(g.Columns); cells > MaxViewCells {
		return nil, fmt.Errorf("engine: view %s has %d cells, more than %d: use a large read request (…/readRequests): %w",
			viewID, cells, MaxViewCells, ErrTooMany)
	}
	return g, nil
}

// EachRow calls row for every row with its label and cell texts (cells
// is reused between calls), and flush after every chunk of rows: row runs
// under the model's read lock and must only buffer, flush runs outside it
// and may write to the network.
func (g *ViewGrid) EachRow(row func(label string, cells []string) error, flush func() error) error {
	dims := g.v.mod.dims
	cells := make([]string, len(g.v.lineItems))
	key := g.key
	bound := func() int {
		for i := 1; i < len(dims); i++ {
			if int(key[i]) >= dims[i].len() {
				return 0 // the page item was deleted meanwhile
			}
		}
		return dims[0].len()
	}
	return g.m.streamRows(0, g.Rows, bound, func(ord int) error {
		key[0] = int32(ord)
		for i, li := range g.v.lineItems {
			cells[i] = li.text(g.v.mod.cell(li, key))
		}
		return row(dims[0].names[ord], cells)
	}, flush)
}

// WriteCSV writes the grid as CSV, as the reference describes the grid:
// first the page selectors' items (a line omitted when the view has no
// page dimension), then a header row (the row dimension's corner left
// blank, then the line item names), then one row per item. escaped quotes
// every field.
func (g *ViewGrid) WriteCSV(w io.Writer, escaped bool) error {
	c := newCSVOut(escaped)
	if len(g.Pages) > 0 {
		for _, p := range g.Pages {
			c.field(p)
		}
		c.end()
	}
	c.field("")
	for _, name := range g.Columns {
		c.field(name)
	}
	c.end()
	err := g.EachRow(func(label string, cells []string) error {
		c.field(label)
		for _, s := range cells {
			c.field(s)
		}
		c.end()
		return nil
	}, func() error { return c.drain(w) })
	if err != nil {
		return err
	}
	return c.drain(w)
}

// DimensionItems lists the items of a dimension (a list), in list order;
// more than MaxViewCells items fails with ErrTooMany.
func (m *Model) DimensionItems(dimensionID string) ([]Dimension, error) {
	l, err := m.listByID(dimensionID)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if l.len() > MaxViewCells {
		return nil, fmt.Errorf("engine: dimension %s has %d items, more than %d: %w", l.name, l.len(), MaxViewCells, ErrTooMany)
	}
	out := make([]Dimension, l.len())
	for ord := range out {
		out[ord] = Dimension{ID: idString(l.ids[ord]), Name: l.names[ord], Code: l.codes[ord]}
	}
	return out, nil
}

// LookupDimensionItems finds the items of a dimension whose name is one
// of names or whose code is one of codes, case-insensitively, in list
// order.
func (m *Model) LookupDimensionItems(dimensionID string, names, codes []string) ([]Dimension, error) {
	l, err := m.listByID(dimensionID)
	if err != nil {
		return nil, err
	}
	wantName := map[string]bool{}
	for _, n := range names {
		wantName[strings.ToLower(n)] = true
	}
	wantCode := map[string]bool{}
	for _, c := range codes {
		wantCode[strings.ToLower(c)] = true
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Dimension
	for ord := range l.ids {
		if wantName[strings.ToLower(l.names[ord])] || (l.codes[ord] != "" && wantCode[strings.ToLower(l.codes[ord])]) {
			out = append(out, Dimension{ID: idString(l.ids[ord]), Name: l.names[ord], Code: l.codes[ord]})
		}
	}
	return out, nil
}

// LineItemDimensions lists the dimensions a line item applies to.
func (m *Model) LineItemDimensions(lineItemID string) ([]Dimension, error) {
	for _, li := range m.lineItems {
		if idString(li.id) == lineItemID {
			out := make([]Dimension, len(li.module.dims))
			for i, l := range li.module.dims {
				out[i] = Dimension{ID: idString(l.id), Name: l.name}
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("engine: line item %q: %w", lineItemID, ErrNotFound)
}

// ObjectDimensionItems lists the items of a dimension of a line item or
// view (objectID is either): 404 when the dimension is not one of its
// dimensions.
func (m *Model) ObjectDimensionItems(objectID, dimensionID string) ([]Dimension, error) {
	v, err := m.viewByID(objectID)
	if err != nil {
		return nil, err
	}
	if v.mod.dimIndex(m.listName(dimensionID)) < 0 {
		return nil, fmt.Errorf("engine: dimension %q of %s: %w", dimensionID, objectID, ErrNotFound)
	}
	return m.DimensionItems(dimensionID)
}

func (m *Model) listName(id string) string {
	if l, err := m.listByID(id); err == nil {
		return l.name
	}
	return ""
}
