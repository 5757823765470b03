package anaplan

import (
	"context"
	"fmt"
	"iter"
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

// listUnder yields a collection under the model, page by page (the
// collections Anaplan does not page come as one page), with query q.
func listUnder[T any](ctx context.Context, m *ModelHandle, q url.Values, key string, segments ...string) iter.Seq2[T, error] {
	p, err := m.path(segments...)
	if err != nil {
		return failed[T](err)
	}
	return list[T](m.c, ctx, p, q, key, ListOptions{})
}

// failed is a sequence that yields only err: how a List call reports an
// argument it cannot send.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) { var zero T; yield(zero, err) }
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

// ListFiles yields the model's files: import data sources and export
// outputs.
func (m *ModelHandle) ListFiles(ctx context.Context) iter.Seq2[File, error] {
	return listUnder[File](ctx, m, nil, "files", "files")
}

// ListImports yields the model's import definitions.
func (m *ModelHandle) ListImports(ctx context.Context) iter.Seq2[Import, error] {
	// Anaplan's help pages write ".../imports/"; Anaplan Connect, in
	// production for years, writes ".../imports". Both are served.
	return listUnder[Import](ctx, m, nil, "imports", "imports")
}

// ImportMetadata describes the source an import expects (GET …/imports/{id}).
func (m *ModelHandle) ImportMetadata(ctx context.Context, importID string) (ImportMetadata, error) {
	if err := requireID("import", importID); err != nil {
		return ImportMetadata{}, err
	}
	return getUnder[ImportMetadata](ctx, m, nil, "importMetadata", "imports", importID)
}

// ListExports yields the model's export definitions.
func (m *ModelHandle) ListExports(ctx context.Context) iter.Seq2[Export, error] {
	return listUnder[Export](ctx, m, nil, "exports", "exports")
}

// ExportMetadata describes an export's output (GET …/exports/{id}).
func (m *ModelHandle) ExportMetadata(ctx context.Context, exportID string) (ExportMetadata, error) {
	if err := requireID("export", exportID); err != nil {
		return ExportMetadata{}, err
	}
	return getUnder[ExportMetadata](ctx, m, nil, "exportMetadata", "exports", exportID)
}

// ListProcesses yields the model's processes.
func (m *ModelHandle) ListProcesses(ctx context.Context) iter.Seq2[Process, error] {
	return listUnder[Process](ctx, m, nil, "processes", "processes")
}

// ProcessMetadataOptions adjust ProcessMetadata.
type ProcessMetadataOptions struct {
	// ShowImportDataSource has each import say where it reads from
	// (showImportDataSource=true).
	ShowImportDataSource bool
}

// ProcessMetadata lists a process's actions.
func (m *ModelHandle) ProcessMetadata(ctx context.Context, processID string, opts ProcessMetadataOptions) (ProcessMetadata, error) {
	if err := requireID("process", processID); err != nil {
		return ProcessMetadata{}, err
	}
	var q url.Values
	if opts.ShowImportDataSource {
		q = url.Values{"showImportDataSource": {"true"}}
	}
	return getUnder[ProcessMetadata](ctx, m, q, "processMetadata", "processes", processID)
}

// ListActions yields the model's other actions (delete by selection, ...).
func (m *ModelHandle) ListActions(ctx context.Context) iter.Seq2[Action, error] {
	return listUnder[Action](ctx, m, nil, "actions", "actions")
}

// FindFile returns the file with the given id, or else the given name.
func (m *ModelHandle) FindFile(ctx context.Context, idOrName string) (File, error) {
	return find(ctx, m, "file", m.ListFiles, idOrName, func(f File) (string, string) { return f.ID, f.Name })
}

// FindImport returns the import with the given id, or else the given name.
func (m *ModelHandle) FindImport(ctx context.Context, idOrName string) (Import, error) {
	return find(ctx, m, "import", m.ListImports, idOrName, func(i Import) (string, string) { return i.ID, i.Name })
}

// FindExport returns the export with the given id, or else the given name.
func (m *ModelHandle) FindExport(ctx context.Context, idOrName string) (Export, error) {
	return find(ctx, m, "export", m.ListExports, idOrName, func(e Export) (string, string) { return e.ID, e.Name })
}

// FindProcess returns the process with the given id, or else the given name.
func (m *ModelHandle) FindProcess(ctx context.Context, idOrName string) (Process, error) {
	return find(ctx, m, "process", m.ListProcesses, idOrName, func(p Process) (string, string) { return p.ID, p.Name })
}

// FindAction returns the action with the given id, or else the given name.
func (m *ModelHandle) FindAction(ctx context.Context, idOrName string) (Action, error) {
	return find(ctx, m, "action", m.ListActions, idOrName, func(a Action) (string, string) { return a.ID, a.Name })
}

// find lists the objects and picks the one whose id is key or, failing
// that, the one named key. Anaplan ids are 12-digit numbers, so a name
// that looks like another object's id is not a realistic clash.
func find[T any](ctx context.Context, m *ModelHandle, what string, list func(context.Context) iter.Seq2[T, error], key string, idName func(T) (string, string)) (T, error) {
	items, err := Collect(list(ctx))
	if err != nil {
		var zero T
		return zero, err
	}
	for _, it := range items {
		if id, _ := idName(it); id == key {
			return it, nil
		}
	}
	return findByName(m, what, items, key, func(it T) string { _, name := idName(it); return name })
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
