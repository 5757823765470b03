package registry

import (
	"context"
	"fmt"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// ModelActions is what a model offers the bulk API: its files (import data
// sources and export outputs), imports, exports and processes. Loading data
// starts here: an import names the file to upload into
// (importDataSourceId), and only by id.
type ModelActions struct {
	Files     []anaplan.File
	Imports   []anaplan.Import
	Exports   []anaplan.Export
	Processes []anaplan.Process
}

// ReadModelActions lists a model's files, imports, exports and processes,
// one GET each, in that order (sequential, so a recorded exchange reads
// the same on every run).
func ReadModelActions(ctx context.Context, m *anaplan.ModelHandle) (ModelActions, error) {
	var a ModelActions
	var err error
	if a.Files, err = anaplan.Collect(m.ListFiles(ctx)); err != nil {
		return a, fmt.Errorf("listing the files of %s: %w", m, err)
	}
	if a.Imports, err = anaplan.Collect(m.ListImports(ctx)); err != nil {
		return a, fmt.Errorf("listing the imports of %s: %w", m, err)
	}
	if a.Exports, err = anaplan.Collect(m.ListExports(ctx)); err != nil {
		return a, fmt.Errorf("listing the exports of %s: %w", m, err)
	}
	if a.Processes, err = anaplan.Collect(m.ListProcesses(ctx)); err != nil {
		return a, fmt.Errorf("listing the processes of %s: %w", m, err)
	}
	return a, nil
}

// Table is one row per object: KIND, ID, NAME, TYPE and FILE. An import's
// TYPE is its importType and FILE the data source it reads, by name rather
// than by the id Anaplan gives; an export's FILE is the output file it
// writes (the file with the export's id). A file is an "import data source"
// when an import reads it and an "export output" when an export writes it.
// Chunk counts are left out: they change with every upload and export.
func (a ModelActions) Table() Table {
	fileNames := map[string]string{}
	role := map[string]string{}
	for _, f := range a.Files {
		fileNames[f.ID] = f.Name
	}
	for _, i := range a.Imports {
		if i.ImportDataSourceID != "" {
			role[i.ImportDataSourceID] = "import data source"
		}
	}
	for _, e := range a.Exports {
		role[e.ID] = "export output"
	}
	// name shows a file by name, or by id when the model does not list it.
	name := func(id string) string {
		if n, ok := fileNames[id]; ok {
			return n
		}
		return id
	}

	t := Table{Header: []string{"KIND", "ID", "NAME", "TYPE", "FILE"}}
	for _, f := range a.Files {
		t.Rows = append(t.Rows, []string{"file", f.ID, f.Name, role[f.ID], ""})
	}
	for _, i := range a.Imports {
		file := ""
		if i.ImportDataSourceID != "" {
			file = name(i.ImportDataSourceID)
		}
		t.Rows = append(t.Rows, []string{"import", i.ID, i.Name, string(i.ImportType), file})
	}
	for _, e := range a.Exports {
		t.Rows = append(t.Rows, []string{"export", e.ID, e.Name, string(e.ExportType), name(e.ID)})
	}
	for _, p := range a.Processes {
		t.Rows = append(t.Rows, []string{"process", p.ID, p.Name, "", ""})
	}
	return t
}
