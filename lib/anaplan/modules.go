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

// Modules lists the model's modules.
func (m *ModelHandle) Modules(ctx context.Context) ([]Module, error) {
	return listAll[Module](ctx, m, "modules", "modules")
}

// FindModule returns the module with the given id, or else the given name.
func (m *ModelHandle) FindModule(ctx context.Context, idOrName string) (Module, error) {
	return find(ctx, m, "module", func(ctx context.Context) iter.Seq2[Module, error] {
		return listUnder[Module](ctx, m, "modules", "modules")
	}, idOrName, func(x Module) (string, string) { return x.ID, x.Name })
}

// LineItems lists the line items of the whole model; includeAll adds
// format, formula, dimensions and the other details.
func (m *ModelHandle) LineItems(ctx context.Context, includeAll bool) ([]LineItem, error) {
	return m.lineItems(ctx, includeAll, "lineItems")
}

// ModuleLineItems lists the line items of one module.
func (m *ModelHandle) ModuleLineItems(ctx context.Context, moduleID string, includeAll bool) ([]LineItem, error) {
	if err := requireID("module", moduleID); err != nil {
		return nil, err
	}
	return m.lineItems(ctx, includeAll, "modules", moduleID, "lineItems")
}

func (m *ModelHandle) lineItems(ctx context.Context, includeAll bool, segments ...string) ([]LineItem, error) {
	p, err := m.path(segments...)
	if err != nil {
		return nil, err
	}
	var q url.Values
	if includeAll {
		q = url.Values{"includeAll": {"true"}}
	}
	return Collect(list[LineItem](m.c, ctx, p, q, "items", ListOptions{}))
}

// LineItemDimensions lists the dimensions a line item is dimensioned by.
func (m *ModelHandle) LineItemDimensions(ctx context.Context, lineItemID string) ([]ObjectRef, error) {
	if err := requireID("line item", lineItemID); err != nil {
		return nil, err
	}
	return listAll[ObjectRef](ctx, m, "dimensions", "lineItems", lineItemID, "dimensions")
}

// LineItemDimensionItems lists the items of a dimension that apply to a
// line item, in model order.
func (m *ModelHandle) LineItemDimensionItems(ctx context.Context, lineItemID, dimensionID string) ([]DimensionItem, error) {
	if err := requireID("line item", lineItemID); err != nil {
		return nil, err
	}
	if err := requireID("dimension", dimensionID); err != nil {
		return nil, err
	}
	return listAll[DimensionItem](ctx, m, "items", "lineItems", lineItemID, "dimensions", dimensionID, "items")
}

// DimensionItems lists every item of a dimension (a list, list subset,
// line-item subset or Users), ignoring views' filters and selective access.
// Anaplan answers 400 for Time and for more than 1,000,000 items.
func (m *ModelHandle) DimensionItems(ctx context.Context, dimensionID string) ([]DimensionItem, error) {
	if err := requireID("dimension", dimensionID); err != nil {
		return nil, err
	}
	return listAll[DimensionItem](ctx, m, "items", "dimensions", dimensionID, "items")
}

// ViewDimensionItems lists the items of a dimension a view shows (hiding,
// filters and selective access applied).
func (m *ModelHandle) ViewDimensionItems(ctx context.Context, viewID, dimensionID string) ([]DimensionItem, error) {
	if err := requireID("view", viewID); err != nil {
		return nil, err
	}
	if err := requireID("dimension", dimensionID); err != nil {
		return nil, err
	}
	return listAll[DimensionItem](ctx, m, "items", "views", viewID, "dimensions", dimensionID, "items")
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

// Dashboards lists the model's dashboards.
func (m *ModelHandle) Dashboards(ctx context.Context) ([]Dashboard, error) {
	return listAll[Dashboard](ctx, m, "dashboards", "dashboards")
}
