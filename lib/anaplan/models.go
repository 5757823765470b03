package anaplan

import (
	"context"
	"iter"
	"net/url"
)

// ListModels yields every model of the tenant the user can see (GET
// /models), page by page. With opts.Details, memoryUsage and dates are
// filled in.
func (c *Client) ListModels(ctx context.Context, opts ListOptions) iter.Seq2[Model, error] {
	return list[Model](c, ctx, apiPath("models"), opts.query("modelDetails"), "models", opts)
}

// ListWorkspaceModels yields the models of one workspace (GET
// /workspaces/{id}/models).
func (c *Client) ListWorkspaceModels(ctx context.Context, workspaceID string, opts ListOptions) iter.Seq2[Model, error] {
	if err := requireID("workspace", workspaceID); err != nil {
		return func(yield func(Model, error) bool) { yield(Model{}, err) }
	}
	return list[Model](c, ctx, apiPath("workspaces", workspaceID, "models"), opts.query("modelDetails"), "models", opts)
}

// GetOptions adjust GetModel and GetWorkspace.
type GetOptions struct {
	// Details asks for the details (modelDetails=true: memoryUsage, dates
	// and modelTransactionRunning; tenantDetails=true: sizes). Anaplan
	// answers 404 to a workspace with details for a non-admin.
	Details bool
}

// GetModel returns one model (GET /models/{id}).
func (c *Client) GetModel(ctx context.Context, id string, opts GetOptions) (Model, error) {
	if err := requireID("model", id); err != nil {
		return Model{}, err
	}
	q := url.Values{}
	if opts.Details {
		q.Set("modelDetails", "true")
	}
	return getOne[Model](c, ctx, apiPath("models", id), q, "model")
}
