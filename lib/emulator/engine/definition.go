// Package engine is the emulator's small Anaplan model engine: lists with a
// parent hierarchy, codes and properties; modules dimensioned by lists with
// text, number and list-formatted line items; file-based imports
// (HIERARCHY_DATA, MODULE_DATA), processes and tabular exports.
//
// A model is described by a JSON definition (see Definition and README.md) so
// the emulator can stand in for any user's model in their tests. The engine
// is pure Go: it knows nothing about HTTP, tasks or chunked files. The HTTP
// layer hands it the bytes of an uploaded file and serves what it returns.
package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Definition is a model definition file: everything a model builder would
// set up in Anaplan before data is loaded. Names are what Anaplan shows;
// IDs are derived from the order of the definitions (see README.md).
type Definition struct {
	Name      string       `json:"name"`
	Lists     []ListDef    `json:"lists"`
	Modules   []ModuleDef  `json:"modules,omitempty"`
	Files     []FileDef    `json:"files,omitempty"`
	Imports   []ImportDef  `json:"imports,omitempty"`
	Exports   []ExportDef  `json:"exports,omitempty"`
	Processes []ProcessDef `json:"processes,omitempty"`
}

// ListDef is a list. Numbered lists identify their items by code only and
// allow duplicate names; plain lists need unique names and match items by
// code, or by name when the code is blank.
type ListDef struct {
	Name       string        `json:"name"`
	Numbered   bool          `json:"numbered,omitempty"`
	Parent     string        `json:"parent,omitempty"`
	Properties []PropertyDef `json:"properties,omitempty"`
}

// PropertyDef is a list property; Format is TEXT or NUMBER.
type PropertyDef struct {
	Name   string `json:"name"`
	Format string `json:"format"`
}

// ModuleDef is a module dimensioned by one to four lists.
type ModuleDef struct {
	Name       string        `json:"name"`
	Dimensions []string      `json:"dimensions"`
	LineItems  []LineItemDef `json:"lineItems"`
}

// LineItemDef is a line item. Format is TEXT, NUMBER or LIST (then List
// names the list). Formula is optional and limited to the two forms in
// formula.go; a line item with a formula is calculated and cannot be
// imported into.
type LineItemDef struct {
	Name    string `json:"name"`
	Format  string `json:"format"`
	List    string `json:"list,omitempty"`
	Formula string `json:"formula,omitempty"`
}

// FileDef is an import data source: the file users upload before running
// an import. Headers are the column names the imports map from.
type FileDef struct {
	Name      string   `json:"name"`
	Headers   []string `json:"headers"`
	Separator string   `json:"separator,omitempty"` // default ","
	Delimiter string   `json:"delimiter,omitempty"` // default "\"" (the only one supported)
	Encoding  string   `json:"encoding,omitempty"`  // UTF-8 (default) or ISO-8859-1
	// HeaderRow is the 1-based row holding the column names; 0 means the
	// file has no header and columns are taken by position. Default 1.
	HeaderRow *int `json:"headerRow,omitempty"`
	// FirstDataRow is the 1-based first row of data. Default HeaderRow+1.
	FirstDataRow *int `json:"firstDataRow,omitempty"`
}

// ImportDef is an import action. Type HIERARCHY_DATA loads items into List;
// MODULE_DATA loads cells into Module. Mapping says which file column feeds
// which target.
type ImportDef struct {
	Name    string     `json:"name"`
	Type    string     `json:"type"`
	File    string     `json:"file"`
	List    string     `json:"list,omitempty"`
	Module  string     `json:"module,omitempty"`
	Mapping MappingDef `json:"mapping"`
}

// MappingDef maps targets to file columns (target -> column header).
// HIERARCHY_DATA uses Code, Name, Parent and Properties; MODULE_DATA uses
// Dimensions (list name -> column whose values are item codes or names) and
// LineItems (line item name -> column).
type MappingDef struct {
	Code       string            `json:"code,omitempty"`
	Name       string            `json:"name,omitempty"`
	Parent     string            `json:"parent,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
	LineItems  map[string]string `json:"lineItems,omitempty"`
}

// ExportDef is a tabular export of a module. Type must be
// TABULAR_MULTI_COLUMN. IncludeCodes adds the item code after each
// dimension column so the export can be imported back.
type ExportDef struct {
	Name         string `json:"name"`
	Type         string `json:"type"`
	Module       string `json:"module"`
	IncludeCodes bool   `json:"includeCodes,omitempty"`
}

// ProcessDef runs imports and exports, named in Actions, in order.
type ProcessDef struct {
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// Load reads a JSON model definition and builds a model from it. Unknown
// fields are rejected so a typo in a definition file is reported, not
// silently ignored.
func Load(r io.Reader) (*Model, error) {
	def, err := DecodeDefinition(r)
	if err != nil {
		return nil, err
	}
	return New(def)
}

// DecodeDefinition reads a JSON model definition without validating it.
func DecodeDefinition(r io.Reader) (Definition, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Definition{}, fmt.Errorf("engine: read model definition: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var def Definition
	if err := dec.Decode(&def); err != nil {
		return Definition{}, fmt.Errorf("engine: model definition is not valid JSON for the format in README.md: %s", jsonErrorAt(data, err))
	}
	if dec.More() {
		return Definition{}, fmt.Errorf("engine: model definition has data after the JSON object; a definition file holds exactly one object")
	}
	return def, nil
}

// jsonErrorAt adds a line number to JSON syntax and type errors, which only
// carry a byte offset.
func jsonErrorAt(data []byte, err error) string {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}
