package engine

import (
	"fmt"
	"strconv"
)

// The metadata types below carry Anaplan's JSON field names
// (anaplan-api.md §5.1, OAS File, Import, ImportMetadata, Export,
// ExportMetadata, Process), so the HTTP layer can serve them directly and
// add what only it knows (a file's chunkCount). Everything here is fixed by
// the definition and safe to read while an import runs.

// File is an import data source (id 113…) or an export's output file (id
// == the export's id, 116…). Export files carry only id, name and rows, as
// in the reference's files example.
type File struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Delimiter    string `json:"delimiter,omitempty"`
	Encoding     string `json:"encoding,omitempty"`
	FirstDataRow int    `json:"firstDataRow"`
	Format       string `json:"format,omitempty"`
	HeaderRow    int    `json:"headerRow"`
	Separator    string `json:"separator,omitempty"`
}

// Import is an entry of the imports list.
type Import struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	ImportDataSourceID string `json:"importDataSourceId"`
	ImportType         string `json:"importType"`
}

// ImportMetadata is GET …/imports/{id} "importMetadata".
type ImportMetadata struct {
	Name   string       `json:"name"`
	Type   string       `json:"type"`
	Source ImportSource `json:"source"`
}

// ImportSource describes the file an import reads.
type ImportSource struct {
	TextEncoding     string   `json:"textEncoding"`
	ColumnSeparator  string   `json:"columnSeparator"`
	TextDelimiter    string   `json:"textDelimiter"`
	HeaderRow        int      `json:"headerRow"`
	FirstDataRow     int      `json:"firstDataRow"`
	DecimalSeparator string   `json:"decimalSeparator"`
	HeaderNames      []string `json:"headerNames"`
	ColumnCount      int      `json:"columnCount"`
}

// Export is an entry of the exports list.
type Export struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ExportType   string `json:"exportType"`
	ExportFormat string `json:"exportFormat"`
	Encoding     string `json:"encoding"`
	Layout       string `json:"layout"`
}

// Process is an entry of the processes list.
type Process struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ProcessMetadata is GET …/processes/{id} "processMetadata".
type ProcessMetadata struct {
	Name    string          `json:"name"`
	Actions []ProcessAction `json:"actions"`
}

// ProcessAction is one action of a process. ImportDataSourceID and
// ImportType are set for imports; the HTTP layer shows them only with
// showImportDataSource=true.
type ProcessAction struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	ActionType         string `json:"actionType"`
	ImportDataSourceID string `json:"importDataSourceId,omitempty"`
	ImportType         string `json:"importType,omitempty"`
}

func (m *Model) importByID(id string) *importAction {
	if i, ok := indexOf(id, prefixImport, len(m.imports)); ok {
		return m.imports[i]
	}
	return nil
}

func (m *Model) exportByID(id string) *export {
	if i, ok := indexOf(id, prefixExport, len(m.exports)); ok {
		return m.exports[i]
	}
	return nil
}

func (m *Model) processByID(id string) *process {
	if i, ok := indexOf(id, prefixProcess, len(m.processes)); ok {
		return m.processes[i]
	}
	return nil
}

// indexOf turns an object ID back into the index of its definition: IDs
// are prefix*10^9 + index, so no lookup table is needed. Only canonical
// 12-digit IDs match.
func indexOf(id string, prefix int64, n int) (int, bool) {
	if len(id) != 12 {
		return 0, false
	}
	v, err := strconv.ParseInt(id, 10, 64)
	if err != nil || v/idBlock != prefix {
		return 0, false
	}
	i := int(v % idBlock)
	return i, i < n
}

// Files lists the import data sources, then the export output files, as
// GET …/files does. The HTTP layer adds chunkCount, which only it knows.
func (m *Model) Files() []File {
	out := make([]File, 0, len(m.files)+len(m.exports))
	for _, f := range m.files {
		out = append(out, f.metadata())
	}
	for _, e := range m.exports {
		out = append(out, File{ID: idString(e.id), Name: e.name})
	}
	return out
}

// File returns one import data source or export output file.
func (m *Model) File(id string) (File, error) {
	if i, ok := indexOf(id, prefixFile, len(m.files)); ok {
		return m.files[i].metadata(), nil
	}
	if e := m.exportByID(id); e != nil {
		return File{ID: idString(e.id), Name: e.name}, nil
	}
	return File{}, fmt.Errorf("engine: file %q: %w", id, ErrNotFound)
}

func (f *file) metadata() File {
	return File{
		ID: idString(f.id), Name: f.name, Delimiter: `"`, Encoding: f.encoding,
		FirstDataRow: f.firstDataRow, Format: "txt", HeaderRow: f.headerRow, Separator: string(f.separator),
	}
}

// Imports lists the import actions.
func (m *Model) Imports() []Import {
	out := make([]Import, len(m.imports))
	for i, imp := range m.imports {
		out[i] = Import{ID: idString(imp.id), Name: imp.name, ImportDataSourceID: idString(imp.file.id), ImportType: imp.kind}
	}
	return out
}

// ImportMetadata describes one import and the file it reads.
func (m *Model) ImportMetadata(id string) (ImportMetadata, error) {
	imp := m.importByID(id)
	if imp == nil {
		return ImportMetadata{}, fmt.Errorf("engine: import %q: %w", id, ErrNotFound)
	}
	f := imp.file
	return ImportMetadata{
		Name: imp.name,
		Type: "FILE",
		Source: ImportSource{
			TextEncoding: f.encoding, ColumnSeparator: string(f.separator), TextDelimiter: `"`,
			HeaderRow: f.headerRow, FirstDataRow: f.firstDataRow, DecimalSeparator: ".",
			HeaderNames: append([]string(nil), f.headers...), ColumnCount: len(f.headers),
		},
	}, nil
}

// Exports lists the exports. An export's output file has the export's id.
func (m *Model) Exports() []Export {
	out := make([]Export, len(m.exports))
	for i, e := range m.exports {
		out[i] = Export{
			ID: idString(e.id), Name: e.name, ExportType: "TABULAR_MULTI_COLUMN",
			ExportFormat: "text/csv", Encoding: "UTF-8", Layout: "TABULAR_MULTI_COLUMN",
		}
	}
	return out
}

// Processes lists the processes.
func (m *Model) Processes() []Process {
	out := make([]Process, len(m.processes))
	for i, p := range m.processes {
		out[i] = Process{ID: idString(p.id), Name: p.name}
	}
	return out
}

// ProcessMetadata describes a process and its actions in order.
func (m *Model) ProcessMetadata(id string) (ProcessMetadata, error) {
	p := m.processByID(id)
	if p == nil {
		return ProcessMetadata{}, fmt.Errorf("engine: process %q: %w", id, ErrNotFound)
	}
	md := ProcessMetadata{Name: p.name, Actions: make([]ProcessAction, len(p.actions))}
	for i, a := range p.actions {
		if a.imp != nil {
			md.Actions[i] = ProcessAction{
				ID: idString(a.imp.id), Name: a.imp.name, ActionType: "IMPORT",
				ImportDataSourceID: idString(a.imp.file.id), ImportType: a.imp.kind,
			}
		} else {
			md.Actions[i] = ProcessAction{ID: idString(a.exp.id), Name: a.exp.name, ActionType: "EXPORT"}
		}
	}
	return md, nil
}
