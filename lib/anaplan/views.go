package anaplan

import (
	"context"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// Views and their data (anaplan-api.md §6 "Views", "View data"). A
// module's default view has the module's id; a line-item id may stand in
// for a view id.

// View is one view of a model: a module's default view or a saved view.
type View struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Code     string `json:"code,omitempty"`
	ModuleID string `json:"moduleId"`
}

// ViewMetadata is the dimensions on a view's axes; an empty axis is absent.
type ViewMetadata struct {
	ViewID   string          `json:"viewId"`
	ViewName string          `json:"viewName"`
	Rows     []DimensionItem `json:"rows,omitempty"`
	Columns  []DimensionItem `json:"columns,omitempty"`
	Pages    []DimensionItem `json:"pages,omitempty"`
}

// ViewsOptions shape ListViews and ListModuleViews.
type ViewsOptions struct {
	// IncludeSubsidiary adds the unsaved subsidiary views
	// (includesubsidiaryviews=true).
	IncludeSubsidiary bool
}

func (o ViewsOptions) query() url.Values {
	if !o.IncludeSubsidiary {
		return nil
	}
	return url.Values{"includesubsidiaryviews": {"true"}}
}

// ListViews yields the model's views (GET …/views): modules' default
// views and saved views, the ids view reads address.
func (m *ModelHandle) ListViews(ctx context.Context, opts ViewsOptions) iter.Seq2[View, error] {
	return listUnder[View](ctx, m, opts.query(), "views", "views")
}

// ListModuleViews yields one module's views, its default view included
// (GET …/modules/{moduleId}/views).
func (m *ModelHandle) ListModuleViews(ctx context.Context, moduleID string, opts ViewsOptions) iter.Seq2[View, error] {
	if err := requireID("module", moduleID); err != nil {
		return failed[View](err)
	}
	return listUnder[View](ctx, m, opts.query(), "views", "modules", moduleID, "views")
}

// FindView returns the saved or default view with the given id, or else
// the given name.
func (m *ModelHandle) FindView(ctx context.Context, idOrName string) (View, error) {
	return find(ctx, m, "view", func(ctx context.Context) iter.Seq2[View, error] { return m.ListViews(ctx, ViewsOptions{}) },
		idOrName, func(v View) (string, string) { return v.ID, v.Name })
}

// ViewMetadata describes a view's rows, columns and pages. The answer has
// no key around the object: viewId and friends sit at the top.
func (m *ModelHandle) ViewMetadata(ctx context.Context, viewID string) (ViewMetadata, error) {
	if err := requireID("view", viewID); err != nil {
		return ViewMetadata{}, err
	}
	p, err := m.path("views", viewID)
	if err != nil {
		return ViewMetadata{}, err
	}
	var md ViewMetadata
	err = m.c.do(ctx, request{method: http.MethodGet, path: p}, &md)
	return md, err
}

// PageSelector picks the item shown for one page dimension of a view.
type PageSelector struct {
	DimensionID, ItemID string
}

// ViewDataOptions shape a read of a view's cells.
type ViewDataOptions struct {
	// Pages select the item of page dimensions (others keep the view's
	// default); a dimension not on the page axis makes Anaplan answer 400.
	Pages []PageSelector
	// Escaped asks for text/csv;escaped=true: every field quoted as RFC
	// 4180 wants (the plain form leaves commas in names unquoted).
	Escaped bool
	// ExportType and ModuleID together ask for a tabular CSV layout.
	ExportType, ModuleID string
}

func (o ViewDataOptions) query() url.Values {
	q := url.Values{}
	if len(o.Pages) > 0 {
		sel := make([]string, len(o.Pages))
		for i, p := range o.Pages {
			sel[i] = p.DimensionID + ":" + p.ItemID
		}
		q.Set("pages", strings.Join(sel, ","))
	}
	if o.ExportType != "" {
		q.Set("exportType", o.ExportType)
	}
	if o.ModuleID != "" {
		q.Set("moduleId", o.ModuleID)
	}
	return q
}

// ViewDataCSV streams a view's cells as CSV, the grid Anaplan renders
// (at most 1,000,000 cells: larger views need StartViewRead). The caller
// closes the reader.
func (m *ModelHandle) ViewDataCSV(ctx context.Context, viewID string, opts ViewDataOptions) (io.ReadCloser, error) {
	if err := requireID("view", viewID); err != nil {
		return nil, err
	}
	p, err := m.path("views", viewID, "data")
	if err != nil {
		return nil, err
	}
	accept := "text/csv"
	if opts.Escaped {
		accept = "text/csv;escaped=true"
	}
	return m.c.streamGET(ctx, p, opts.query(), accept)
}

// ViewGrid is a view's data as JSON (format=v1): the page items shown, the
// column headers (one coordinate per column dimension), and rows with
// their coordinates and cells (cells are strings, whatever the format).
type ViewGrid struct {
	Pages             []string      `json:"pages"`
	ColumnCoordinates [][]string    `json:"columnCoordinates"`
	Rows              []ViewGridRow `json:"rows"`
}

// ViewGridRow is one row of a ViewGrid.
type ViewGridRow struct {
	RowCoordinates []string `json:"rowCoordinates"`
	Cells          []string `json:"cells"`
}

// ViewData reads a view's cells as JSON (Accept: application/json and
// format=v1, the only combination that gives JSON). The whole grid is in
// memory: for large views stream ViewDataCSV or a large read instead.
func (m *ModelHandle) ViewData(ctx context.Context, viewID string, opts ViewDataOptions) (ViewGrid, error) {
	if err := requireID("view", viewID); err != nil {
		return ViewGrid{}, err
	}
	p, err := m.path("views", viewID, "data")
	if err != nil {
		return ViewGrid{}, err
	}
	q := opts.query()
	q.Set("format", "v1")
	var g ViewGrid
	if err := m.c.do(ctx, request{method: http.MethodGet, path: p, query: q}, &g); err != nil {
		return ViewGrid{}, wrapf(err, "reading view %s of %s", viewID, m)
	}
	return g, nil
}
