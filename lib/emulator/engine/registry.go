package engine

import (
	"bytes"
	_ "embed"
)

//go:embed models/model-registry.json
var modelRegistryJSON []byte

// Names in the Model Registry definition that callers look up. Imports are
// named the way Anaplan names a new import by default, "<target> from
// <file>" (as in Anaplan Connect's examples "Employees from Employees.txt").
const (
	RegistryWorkspacesFile      = "workspaces.csv"
	RegistryModelsFile          = "models.csv"
	RegistryImportWorkspaces    = "W1 Workspaces from workspaces.csv"
	RegistryImportModels        = "W2 Models from models.csv"
	RegistryImportWorkspaceData = "W1 Workspace Register from workspaces.csv"
	RegistryImportModelData     = "W2 Model Register from models.csv"
	RegistryProcessLoad         = "Load Model Registry"
	RegistryExportWorkspaces    = "W1 Workspace Register.csv"
	RegistryExportModels        = "W2 Model Register.csv"
)

// ModelRegistryDefinition returns the JSON definition of the tutorial's
// "Model Registry" model: a copy, so callers may change it.
func ModelRegistryDefinition() []byte { return bytes.Clone(modelRegistryJSON) }

// ModelRegistry returns a new, empty Model Registry model. The definition
// is embedded and covered by tests, so an error here is a build defect.
func ModelRegistry() *Model {
	m, err := Load(bytes.NewReader(modelRegistryJSON))
	if err != nil {
		panic("engine: embedded Model Registry definition: " + err.Error())
	}
	return m
}
