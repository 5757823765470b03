package modeldata

import (
	"context"
	"fmt"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// FindModel returns a handle on the model named or identified by model.
// With a workspace id it is used as given (no request when model is an
// id of that workspace's); without one, the tenant's models are searched
// and the model's own workspace is used.
func FindModel(ctx context.Context, c *anaplan.Client, workspaceID, model string) (*anaplan.ModelHandle, error) {
	if model == "" {
		return nil, fmt.Errorf("no model given: name one by name or id")
	}
	var seq = c.ListModels(ctx, anaplan.ListOptions{})
	if workspaceID != "" {
		seq = c.ListWorkspaceModels(ctx, workspaceID, anaplan.ListOptions{})
	}
	var named []anaplan.Model
	for m, err := range seq {
		if err != nil {
			return nil, err
		}
		if m.ID == model {
			return c.Model(m.CurrentWorkspaceID, m.ID), nil
		}
		if m.Name == model {
			named = append(named, m)
		}
	}
	switch len(named) {
	case 1:
		return c.Model(named[0].CurrentWorkspaceID, named[0].ID), nil
	case 0:
		return nil, fmt.Errorf("no model named or with id %q (list them with go run ./scripts/models)", model)
	}
	ids := make([]string, len(named))
	for i, m := range named {
		ids[i] = m.ID + " in " + m.CurrentWorkspaceName
	}
	return nil, fmt.Errorf("%d models are named %q (%s): give the id", len(named), model, strings.Join(ids, ", "))
}
