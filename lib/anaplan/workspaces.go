package anaplan

import (
	"context"
	"iter"
	"net/url"
)

// ListWorkspaces yields every workspace the user can see (GET /workspaces),
// page by page. With opts.Details the sizes are filled in.
func (c *Client) ListWorkspaces(ctx context.Context, opts ListOptions) iter.Seq2[Workspace, error] {
	return list[Workspace](c, ctx, apiPath("workspaces"), opts.query("tenantDetails"), "workspaces", opts)
}

// GetWorkspace returns one workspace (GET /workspaces/{id}). Anaplan answers
// 404 (ErrNotFound) for an unknown ID and, with Details, for non-admins.
func (c *Client) GetWorkspace(ctx context.Context, id string, opts GetOptions) (Workspace, error) {
	if err := requireID("workspace", id); err != nil {
		return Workspace{}, err
	}
	q := url.Values{}
	if opts.Details {
		q.Set("tenantDetails", "true")
	}
	return getOne[Workspace](c, ctx, apiPath("workspaces", id), q, "workspace")
}
