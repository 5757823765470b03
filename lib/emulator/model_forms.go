package emulator

import "strings"

// Anaplan answers every model-scoped route under both
// /2/0/workspaces/{workspaceId}/models/{modelId}/… and /2/0/models/{modelId}/…
// (anaplan-api.md §3, §13), the bulk API included. Route lists name one
// form; bothForms adds the other to the whole table.

const (
	workspaceModelPrefix = "/2/0/workspaces/{workspaceId}/models/{modelId}/"
	shortModelPrefix     = "/2/0/models/{modelId}/"
)

// bothForms returns routes with the other form of every model-scoped
// route added right after it, unless the table already has it.
func bothForms(routes []route) []route {
	have := make(map[string]bool, len(routes))
	for _, rt := range routes {
		have[rt.method+" "+rt.pattern] = true
	}
	out := make([]route, 0, 2*len(routes))
	for _, rt := range routes {
		out = append(out, rt)
		other, ok := otherModelForm(rt.pattern)
		if !ok || have[rt.method+" "+other] {
			continue
		}
		have[rt.method+" "+other] = true
		out = append(out, route{rt.method, other, rt.handler})
	}
	return out
}

// otherModelForm maps a model-scoped pattern to its other form.
func otherModelForm(pattern string) (string, bool) {
	if rest, ok := strings.CutPrefix(pattern, workspaceModelPrefix); ok {
		return shortModelPrefix + rest, true
	}
	if rest, ok := strings.CutPrefix(pattern, shortModelPrefix); ok {
		return workspaceModelPrefix + rest, true
	}
	return "", false
}
