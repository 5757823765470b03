package emulator

import (
	"net/http"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Handlers for the bulk metadata (anaplan-api.md §5.1): imports, exports,
// processes and "other actions", each a paged list and a single object.
// The engine knows them; a model without an engine lists none.

// listImports serves GET …/imports (also …/imports/, the form Anaplan's
// own examples use; the router ignores one trailing slash).
func (e *Emulator) listImports(w http.ResponseWriter, r *http.Request) {
	writeObjectList(e, w, r, "import", "imports", func(m *engine.Model) []engine.Import { return m.Imports() },
		func(i engine.Import) (string, string) { return i.ID, i.Name })
}

// listExports serves GET …/exports.
func (e *Emulator) listExports(w http.ResponseWriter, r *http.Request) {
	writeObjectList(e, w, r, "export", "exports", func(m *engine.Model) []engine.Export { return m.Exports() },
		func(x engine.Export) (string, string) { return x.ID, x.Name })
}

// listProcesses serves GET …/processes.
func (e *Emulator) listProcesses(w http.ResponseWriter, r *http.Request) {
	writeObjectList(e, w, r, "process", "processes", func(m *engine.Model) []engine.Process { return m.Processes() },
		func(p engine.Process) (string, string) { return p.ID, p.Name })
}

// actionJSON is an "other action" (117…, e.g. DELETE_BY_SELECTION). The
// engine has none, so the list is always empty (and its key omitted).
type actionJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ActionType string `json:"actionType"`
}

// listActions serves GET …/actions.
func (e *Emulator) listActions(w http.ResponseWriter, r *http.Request) {
	writeObjectList(e, w, r, "action", "actions", func(*engine.Model) []actionJSON { return nil },
		func(a actionJSON) (string, string) { return a.ID, a.Name })
}

// writeObjectList answers a paged, sortable list of model objects under
// key; empty lists omit the key (anaplan-api.md §3).
func writeObjectList[T any](e *Emulator, w http.ResponseWriter, r *http.Request, objectType, key string,
	list func(*engine.Model) []T, idName func(T) (string, string)) {
	m, bm, ok := e.bulkScope(w, r, false)
	if !ok {
		return
	}
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	var items []T
	if bm != nil {
		items = list(bm.engine)
	}
	out, paging := pageObjects(r, items, page, idName)
	writeEnvelopeWith(w, modelSuccess(r, m.ID, objectType, paging), key, out, len(out) > 0)
}

// getImport serves GET …/imports/{importId}: "importMetadata".
func (e *Emulator) getImport(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	md, err := bm.engine.ImportMetadata(r.PathValue("importId"))
	if err != nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		ImportMetadata engine.ImportMetadata `json:"importMetadata"`
	}{modelSuccess(r, m.ID, "importMetadata", nil), md})
}

// getExport serves GET …/exports/{exportId}: "exportMetadata".
func (e *Emulator) getExport(w http.ResponseWriter, r *http.Request) {
	m, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	md, err := bm.engine.ExportMetadata(r.PathValue("exportId"))
	if err != nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		ExportMetadata engine.ExportMetadata `json:"exportMetadata"`
	}{modelSuccess(r, m.ID, "exportMetadata", nil), md})
}

// processActionJSON is an action of processMetadata. Imports carry
// importDataSourceId and importType, exports exportType, exportFormat and
// layout (OAS: "Actions which are imports or exports contain additional
// fields"); showImportDataSource=true adds the importDataSource object,
// the "additional information about the import data source".
type processActionJSON struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	ActionType         string            `json:"actionType"`
	ImportDataSourceID string            `json:"importDataSourceId,omitempty"`
	ImportType         string            `json:"importType,omitempty"`
	ImportDataSource   *importSourceJSON `json:"importDataSource,omitempty"`
	ExportType         string            `json:"exportType,omitempty"`
	ExportFormat       string            `json:"exportFormat,omitempty"`
	Layout             string            `json:"layout,omitempty"`
}

type importSourceJSON struct {
	ImportDataSourceID string `json:"importDataSourceId"`
	Type               string `json:"type"`
}

// getProcess serves GET …/processes/{processId}[?showImportDataSource=true].
func (e *Emulator) getProcess(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.bulkScope(w, r, true)
	if !ok {
		return
	}
	md, err := bm.engine.ProcessMetadata(r.PathValue("processId"))
	if err != nil {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return
	}
	exports := map[string]engine.Export{}
	for _, x := range bm.engine.Exports() {
		exports[x.ID] = x
	}
	withSource := queryFlag(r, "showImportDataSource")
	actions := make([]processActionJSON, len(md.Actions))
	for i, a := range md.Actions {
		j := processActionJSON{ID: a.ID, Name: a.Name, ActionType: a.ActionType,
			ImportDataSourceID: a.ImportDataSourceID, ImportType: a.ImportType}
		if withSource && a.ImportDataSourceID != "" {
			j.ImportDataSource = &importSourceJSON{ImportDataSourceID: a.ImportDataSourceID, Type: "FILE"}
		}
		if x, ok := exports[a.ID]; ok {
			j.ExportType, j.ExportFormat, j.Layout = x.ExportType, x.ExportFormat, x.Layout
		}
		actions[i] = j
	}
	// meta.schema is …/2/0/objects/process here, as in Anaplan's example.
	writeJSON(w, http.StatusOK, struct {
		envelope
		ProcessMetadata processMetadataJSON `json:"processMetadata"`
	}{success(r, "process", nil), processMetadataJSON{md.Name, actions}})
}

type processMetadataJSON struct {
	Name    string              `json:"name"`
	Actions []processActionJSON `json:"actions"`
}
