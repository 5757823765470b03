package anaplan

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
)

// Modules, line items and dimensions (anaplan-api.md §6): what a model's
// cells are addressed by.

// Module is one module of a model.
type Module struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// LineItem is one line item. ModuleID, ModuleName, ID and Name always
// come; the rest only with includeAll. FormatMetadata is kept as Anaplan
// sent it: its fields depend on the format.
type LineItem struct {
	ModuleID       string          `json:"moduleId"`
	ModuleName     string          `json:"moduleName"`
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	Code           string          `json:"code,omitempty"`
	Format         string          `json:"format,omitempty"`
	FormatMetadata json.RawMessage `json:"formatMetadata,omitempty"`
	AppliesTo      []ObjectRef     `json:"appliesTo,omitempty"`
	Version        *ObjectRef      `json:"version,omitempty"`
	Formula        string          `json:"formula,omitempty"`
	FormulaScope   string          `json:"formulaScope,omitempty"`
	TimeScale      string          `json:"timeScale,omitempty"`
	TimeRange      string          `json:"timeRange,omitempty"`
	Summary        string          `json:"summary,omitempty"`
	CellCount      int64           `json:"cellCount,omitempty"`
	Notes          string          `json:"notes,omitempty"`
	IsSummary      bool            `json:"isSummary,omitempty"`
}

// DimensionItem is an item of a dimension (a list, subset, time period,
// version, user). Code is empty when the item has none.
type DimensionItem struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// ListModules yields the model's modules (GET …/modules): where cells
// are written and whose default views are read.
func (m *ModelHandle) ListModules(ctx context.Context) iter.Seq2[Module, error] {
	return listUnder[Module](ctx, m, nil, "modules", "modules")
}

// FindModule returns the module with the given id, or else the given name.
func (m *ModelHandle) FindModule(ctx context.Context, idOrName string) (Module, error) {
	return find(ctx, m, "module", m.ListModules, idOrName, func(x Module) (string, string) { return x.ID, x.Name })
}

// LineItemsOptions shape ListLineItems and ListModuleLineItems.
type LineItemsOptions struct {
	// IncludeAll adds format, formula, dimensions and the other details
	// (includeAll=true); without it a line item is its ids and names.
	IncludeAll bool
}

func (o LineItemsOptions) query() url.Values {
	if !o.IncludeAll {
		return nil
	}
	return url.Values{"includeAll": {"true"}}
}

// ListLineItems yields the line items of the whole model (GET
// …/lineItems), the names cell writes address.
func (m *ModelHandle) ListLineItems(ctx context.Context, opts LineItemsOptions) iter.Seq2[LineItem, error] {
	return listUnder[LineItem](ctx, m, opts.query(), "items", "lineItems")
}

// ListModuleLineItems yields the line items of one module (GET
// …/modules/{moduleId}/lineItems).
func (m *ModelHandle) ListModuleLineItems(ctx context.Context, moduleID string, opts LineItemsOptions) iter.Seq2[LineItem, error] {
	if err := requireID("module", moduleID); err != nil {
		return failed[LineItem](err)
	}
	return listUnder[LineItem](ctx, m, opts.query(), "items", "modules", moduleID, "lineItems")
}

// ListLineItemDimensions yields the dimensions a line item is dimensioned
// by (GET …/lineItems/{lineItemId}/dimensions): what a cell of it needs.
func (m *ModelHandle) ListLineItemDimensions(ctx context.Context, lineItemID string) iter.Seq2[ObjectRef, error] {
	if err := requireID("line item", lineItemID); err != nil {
		return failed[ObjectRef](err)
	}
	return listUnder[ObjectRef](ctx, m, nil, "dimensions", "lineItems", lineItemID, "dimensions")
}

// ListLineItemDimensionItems yields the items of a dimension that apply
// to a line item, in model order (GET
// …/lineItems/{lineItemId}/dimensions/{dimensionId}/items).
func (m *ModelHandle) ListLineItemDimensionItems(ctx context.Context, lineItemID, dimensionID string) iter.Seq2[DimensionItem, error] {
	if err := requireID("line item", lineItemID); err != nil {
		return failed[DimensionItem](err)
	}
	if err := requireID("dimension", dimensionID); err != nil {
		return failed[DimensionItem](err)
	}
	return listUnder[DimensionItem](ctx, m, nil, "items", "lineItems", lineItemID, "dimensions", dimensionID, "items")
}

// ListDimensionItems yields every item of a dimension (GET
// …/dimensions/{dimensionId}/items: a list, list subset, line-item subset
// or Users), ignoring views' filters and selective access. Anaplan
// answers 400 for Time and for more than 1,000,000 items.
func (m *ModelHandle) ListDimensionItems(ctx context.Context, dimensionID string) iter.Seq2[DimensionItem, error] {
	if err := requireID("dimension", dimensionID); err != nil {
		return failed[DimensionItem](err)
	}
	return listUnder[DimensionItem](ctx, m, nil, "items", "dimensions", dimensionID, "items")
}

// ListViewDimensionItems yields the items of a dimension a view shows
// (GET …/views/{viewId}/dimensions/{dimensionId}/items: hiding, filters
// and selective access applied).
func (m *ModelHandle) ListViewDimensionItems(ctx context.Context, viewID, dimensionID string) iter.Seq2[DimensionItem, error] {
	if err := requireID("view", viewID); err != nil {
		return failed[DimensionItem](err)
	}
	if err := requireID("dimension", dimensionID); err != nil {
		return failed[DimensionItem](err)
	}
	return listUnder[DimensionItem](ctx, m, nil, "items", "views", viewID, "dimensions", dimensionID, "items")
}

// LookupDimensionItems returns the items of a dimension whose name is one
// of names or whose code is one of codes (both matched case-insensitively;
// unknown ones are simply absent). At least one name or code is needed.
func (m *ModelHandle) LookupDimensionItems(ctx context.Context, dimensionID string, names, codes []string) ([]DimensionItem, error) {
	if err := requireID("dimension", dimensionID); err != nil {
		return nil, err
	}
	p, err := m.path("dimensions", dimensionID, "items")
	if err != nil {
		return nil, err
	}
	body, err := jsonBody(struct {
		Names []string `json:"names,omitempty"`
		Codes []string `json:"codes,omitempty"`
	}{names, codes})
	if err != nil {
		return nil, err
	}
	var out struct {
		Items []DimensionItem `json:"items"`
	}
	// A lookup reads; sending it twice is harmless.
	err = m.c.do(ctx, request{method: http.MethodPost, path: p, body: body, repeatable: true}, &out)
	return out.Items, err
}

// Dashboard is one dashboard (page) of a model.
type Dashboard struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// ListDashboards yields the model's dashboards (GET …/dashboards), the
// pages users see.
func (m *ModelHandle) ListDashboards(ctx context.Context) iter.Seq2[Dashboard, error] {
	return listUnder[Dashboard](ctx, m, nil, "dashboards", "dashboards")
}
