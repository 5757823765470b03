package anaplan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Anaplan answers 404 with the same bare "Not Found" for a workspace or
// model ID that does not exist, a model asked for in the wrong workspace,
// an object ID under a model that does not exist, and a model the user
// holds the NO ACCESS role on (it masks 403 as 404 so as not to confirm
// what the model holds; anaplan-api.md §3, OpenAPI NotFoundOrNoAccess).
// explainNotFound reads the path of such an answer and sets APIError.Hint
// to the likely cause. Where the path alone cannot tell, a GET of a
// model's collection (files, imports, lists…: what every script asks
// first) is followed by one probe, GET /models/{modelId}, which answers
// with the model's metadata even to a user who cannot open it: that tells
// a model that does not exist from one in another workspace and from one
// the user cannot open. Deeper paths, where 404 is often an expected
// answer (a dump that expired, a file without content), get a hint from
// the path alone, so callers that handle those 404s pay no extra request.

// How the hints point at the lists of what there is.
const (
	listWorkspacesHint = "ListWorkspaces, or go run ./scripts/workspaces, lists the workspaces the user can see"
	listModelsHint     = "ListModels, or go run ./scripts/models, lists the models the user can see"
)

// explainNotFound sets e.Hint for a 404 answer to r (see above). It does
// nothing for other statuses, probes and paths it does not know.
func (c *Client) explainNotFound(ctx context.Context, r request, e *APIError) {
	if e.StatusCode != http.StatusNotFound || e.Hint != "" || r.probe {
		return
	}
	seg, ok := pathSegments(r.path)
	if !ok || len(seg) < 2 {
		return
	}
	var workspaceID, modelID string
	var rest []string
	switch {
	case seg[0] == "workspaces" && (len(seg) == 2 || len(seg) == 3 && seg[2] == "models"):
		e.Hint = fmt.Sprintf("workspace %s does not exist or the user cannot see it; %s", seg[1], listWorkspacesHint)
		if len(seg) == 2 && r.query.Get("tenantDetails") == "true" {
			e.Hint += "; with tenantDetails, Anaplan also answers 404 to a user who does not administer the workspace"
		}
		return
	case seg[0] == "workspaces" && len(seg) >= 4 && seg[2] == "models":
		workspaceID, modelID, rest = seg[1], seg[3], seg[4:]
	case seg[0] == "models":
		modelID, rest = seg[1], seg[2:]
	default:
		return
	}
	if len(rest) == 0 && workspaceID == "" {
		e.Hint = fmt.Sprintf("model %s does not exist or the user cannot see it; %s", modelID, listModelsHint)
		return
	}
	if r.method == http.MethodGet && len(rest) == 1 {
		if hint, ok := c.probeModel(ctx, workspaceID, modelID, rest[0]); ok {
			e.Hint = hint
			return
		}
	}
	e.Hint = pathOnlyHint(workspaceID, modelID, rest)
}

// probeModel asks for the model's metadata to tell why a GET of its
// collection answered 404. ok is false when the probe itself failed.
func (c *Client) probeModel(ctx context.Context, workspaceID, modelID, collection string) (hint string, ok bool) {
	var out struct {
		Model *Model `json:"model"`
	}
	err := c.do(ctx, request{method: http.MethodGet, path: apiPath("models", modelID), probe: true}, &out)
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Sprintf("model %s does not exist or the user cannot see it; %s", modelID, listModelsHint), true
	case err != nil || out.Model == nil:
		return "", false
	}
	m := out.Model
	if workspaceID != "" && m.CurrentWorkspaceID != workspaceID {
		return fmt.Sprintf("model %s (%q) is in workspace %s (%q), not in workspace %s: ask for it there",
			modelID, m.Name, m.CurrentWorkspaceID, m.CurrentWorkspaceName, workspaceID), true
	}
	where := fmt.Sprintf("model %s (%q, %s) in workspace %s (%q)",
		modelID, m.Name, m.ActiveState, m.CurrentWorkspaceID, m.CurrentWorkspaceName)
	if m.ActiveState == StateArchived {
		return where + ": cannot be opened: the model exists, but its " + collection + " answered 404; it is archived, and archived " +
			"models are not actionable (unarchive it, or use another copy), or the user holds the NO ACCESS role on it", true
	}
	return where + ": no access: the model exists, but its " + collection + " answered 404; the user most likely holds the " +
		"NO ACCESS role on it or is not among its users (Anaplan answers 404, not 403, so as not to confirm what a model holds); " +
		"a workspace administrator can give the user a role on the model", true
}

// pathOnlyHint lists the causes a 404 under a model can have, where the
// client did not (or could not) probe which one it is.
func pathOnlyHint(workspaceID, modelID string, rest []string) string {
	model := "model " + modelID
	if workspaceID != "" {
		model += " in workspace " + workspaceID
	}
	what := model
	if len(rest) > 0 {
		what = describeObject(rest) + " of " + model
	}
	return what + ": Anaplan answers 404 alike when an ID in the path does not exist (or a task, dump or upload has expired), " +
		"when the model is not in that workspace, and when the user holds the NO ACCESS role on the model; " +
		"GetModel answers even for a model the user cannot open, and says which workspace it is in"
}

// objectKinds names a model's collections in the singular, for hints.
var objectKinds = map[string]string{
	"files": "file", "imports": "import", "exports": "export", "processes": "process", "actions": "action",
	"tasks": "task", "chunks": "chunk", "lists": "list", "items": "item", "modules": "module", "views": "view",
	"lineItems": "line item", "dimensions": "dimension", "readRequests": "read request", "pages": "page",
	"revisions": "revision", "syncTasks": "sync task",
}

// describeObject names what the path under a model asks for: "import
// 112000000001, task 5F3…" where it knows the collections, else the path.
func describeObject(rest []string) string {
	if len(rest) == 1 {
		return "the " + rest[0]
	}
	var parts []string
	for i := 0; i+1 < len(rest); i += 2 {
		kind, ok := objectKinds[rest[i]]
		if !ok {
			return strings.Join(rest, "/")
		}
		parts = append(parts, kind+" "+rest[i+1])
	}
	if len(rest)%2 == 1 {
		parts = append(parts, "its "+rest[len(rest)-1])
	}
	return strings.Join(parts, ", ")
}

// pathSegments splits an escaped API path ("/workspaces/8a81…/models")
// into its unescaped segments.
func pathSegments(p string) ([]string, bool) {
	raw := strings.Split(strings.TrimPrefix(p, "/"), "/")
	seg := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		seg[i] = u
	}
	return seg, true
}
