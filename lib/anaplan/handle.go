package anaplan

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// ModelHandle is one model of one workspace, the scope of the bulk API
// (files, imports, exports, processes, actions and their tasks). It holds
// no state beyond the IDs: make one whenever convenient.
type ModelHandle struct {
	c           *Client
	workspaceID string
	modelID     string
}

// Model returns a handle on a model for the bulk API:
//
//	m := c.Model(workspaceID, modelID)
//	imp, err := m.FindImport(ctx, "Employees from employees.csv")
//
// IDs are checked when a call is made, not here.
func (c *Client) Model(workspaceID, modelID string) *ModelHandle {
	return &ModelHandle{c: c, workspaceID: workspaceID, modelID: modelID}
}

// WorkspaceID is the workspace of the handle.
func (m *ModelHandle) WorkspaceID() string { return m.workspaceID }

// ModelID is the model of the handle.
func (m *ModelHandle) ModelID() string { return m.modelID }

// String names the model, e.g. "model 75A4… in workspace 8a81…".
func (m *ModelHandle) String() string {
	return fmt.Sprintf("model %s in workspace %s", m.modelID, m.workspaceID)
}

// path is the escaped API path of segments under the model,
// /workspaces/{wid}/models/{mid}/…, or an error for empty IDs.
func (m *ModelHandle) path(segments ...string) (string, error) {
	if err := requireID("workspace", m.workspaceID); err != nil {
		return "", err
	}
	if err := requireID("model", m.modelID); err != nil {
		return "", err
	}
	return apiPath(append([]string{"workspaces", m.workspaceID, "models", m.modelID}, segments...)...), nil
}

// listAll reads a whole paged collection under the model.
func listAll[T any](ctx context.Context, m *ModelHandle, key string, segments ...string) ([]T, error) {
	p, err := m.path(segments...)
	if err != nil {
		return nil, err
	}
	return Collect(list[T](m.c, ctx, p, nil, key, maxPageSize))
}

// getUnder reads one object found under key, at segments under the model.
func getUnder[T any](ctx context.Context, m *ModelHandle, q url.Values, key string, segments ...string) (T, error) {
	p, err := m.path(segments...)
	if err != nil {
		var zero T
		return zero, err
	}
	return getOne[T](m.c, ctx, p, q, key)
}

// Files lists the model's files: import data sources and export outputs.
func (m *ModelHandle) Files(ctx context.Context) ([]File, error) {
	return listAll[File](ctx, m, "files", "files")
}

// Imports lists the model's import definitions.
func (m *ModelHandle) Imports(ctx context.Context) ([]Import, error) {
	// Anaplan's help pages write ".../imports/"; Anaplan Connect, in
	// production for years, writes ".../imports". Both are served.
	return listAll[Import](ctx, m, "imports", "imports")
}

// ImportMetadata describes the source an import expects (GET …/imports/{id}).
func (m *ModelHandle) ImportMetadata(ctx context.Context, importID string) (ImportMetadata, error) {
	if err := requireID("import", importID); err != nil {
		return ImportMetadata{}, err
	}
	return getUnder[ImportMetadata](ctx, m, nil, "importMetadata", "imports", importID)
}

// Exports lists the model's export definitions.
func (m *ModelHandle) Exports(ctx context.Context) ([]Export, error) {
	return listAll[Export](ctx, m, "exports", "exports")
}

// ExportMetadata describes an export's output (GET …/exports/{id}).
func (m *ModelHandle) ExportMetadata(ctx context.Context, exportID string) (ExportMetadata, error) {
	if err := requireID("export", exportID); err != nil {
		return ExportMetadata{}, err
	}
	return getUnder[ExportMetadata](ctx, m, nil, "exportMetadata", "exports", exportID)
}

// Processes lists the model's processes.
func (m *ModelHandle) Processes(ctx context.Context) ([]Process, error) {
	return listAll[Process](ctx, m, "processes", "processes")
}

// ProcessMetadata lists a process's actions. With showImportDataSource,
// each import says where it reads from.
func (m *ModelHandle) ProcessMetadata(ctx context.Context, processID string, showImportDataSource bool) (ProcessMetadata, error) {
	if err := requireID("process", processID); err != nil {
		return ProcessMetadata{}, err
	}
	var q url.Values
	if showImportDataSource {
		q = url.Values{"showImportDataSource": {"true"}}
	}
	return getUnder[ProcessMetadata](ctx, m, q, "processMetadata", "processes", processID)
}

// Actions lists the model's other actions (delete by selection, ...).
func (m *ModelHandle) Actions(ctx context.Context) ([]Action, error) {
	return listAll[Action](ctx, m, "actions", "actions")
}

// FindFile returns the file named name (exact match).
func (m *ModelHandle) FindFile(ctx context.Context, name string) (File, error) {
	files, err := m.Files(ctx)
	if err != nil {
		return File{}, err
	}
	return findByName(m, "file", files, name, func(f File) string { return f.Name })
}

// FindImport returns the import named name (exact match).
func (m *ModelHandle) FindImport(ctx context.Context, name string) (Import, error) {
	imports, err := m.Imports(ctx)
	if err != nil {
		return Import{}, err
	}
	return findByName(m, "import", imports, name, func(i Import) string { return i.Name })
}

// FindExport returns the export named name (exact match).
func (m *ModelHandle) FindExport(ctx context.Context, name string) (Export, error) {
	exports, err := m.Exports(ctx)
	if err != nil {
		return Export{}, err
	}
	return findByName(m, "export", exports, name, func(e Export) string { return e.Name })
}

// FindProcess returns the process named name (exact match).
func (m *ModelHandle) FindProcess(ctx context.Context, name string) (Process, error) {
	processes, err := m.Processes(ctx)
	if err != nil {
		return Process{}, err
	}
	return findByName(m, "process", processes, name, func(p Process) string { return p.Name })
}

// FindAction returns the action named name (exact match).
func (m *ModelHandle) FindAction(ctx context.Context, name string) (Action, error) {
	actions, err := m.Actions(ctx)
	if err != nil {
		return Action{}, err
	}
	return findByName(m, "action", actions, name, func(a Action) string { return a.Name })
}

// maxNamesListed bounds the names a "not found" error lists.
const maxNamesListed = 20

// findByName picks the item named name. Names are matched exactly: Anaplan
// allows names that differ only in case or spacing. When none matches, the
// error lists the names there are, so a typo is obvious.
func findByName[T any](m *ModelHandle, what string, items []T, name string, nameOf func(T) string) (T, error) {
	var zero T
	for _, it := range items {
		if nameOf(it) == name {
			return it, nil
		}
	}
	plural := what + "s"
	if strings.HasSuffix(what, "s") {
		plural = what + "es"
	}
	if len(items) == 0 {
		return zero, fmt.Errorf("anaplan: %s has no %s named %q: it has no %s at all", m, what, name, plural)
	}
	names := make([]string, 0, min(len(items), maxNamesListed))
	for _, it := range items[:min(len(items), maxNamesListed)] {
		names = append(names, fmt.Sprintf("%q", nameOf(it)))
	}
	more := ""
	if len(items) > maxNamesListed {
		more = fmt.Sprintf(" and %d more", len(items)-maxNamesListed)
	}
	return zero, fmt.Errorf("anaplan: %s has no %s named %q; its %s are: %s%s", m, what, name, plural, strings.Join(names, ", "), more)
}
