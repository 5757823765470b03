package anaplan

import "context"

// Me returns the authenticated user (GET /users/me).
func (c *Client) Me(ctx context.Context) (User, error) {
	return getOne[User](c, ctx, apiPath("users", "me"), nil, "user")
}
