package anaplan

// The bulk API's model objects, as GET …/files, …/imports, …/exports,
// …/processes and …/actions list them. IDs are 12-digit strings with a type
// prefix (file 113, import 112, export 116, action 117, process 118).

// File is an import data source, an export's output file (same ID as the
// export) or an uploaded file. ChunkCount is 0 for a file with no content,
// -1 during an upload whose size is not yet known.
type File struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ChunkCount   int    `json:"chunkCount"`
	Delimiter    string `json:"delimiter,omitempty"`
	Encoding     string `json:"encoding,omitempty"` // ISO-8859-1, UTF-8, UTF-16LE seen
	FirstDataRow int    `json:"firstDataRow"`       // 1-based; 0: no data rows configured
	Format       string `json:"format,omitempty"`
	HeaderRow    int    `json:"headerRow"` // 1-based; 0: no header
	Separator    string `json:"separator,omitempty"`
	Origin       string `json:"origin,omitempty"` // NATIVE_ANAPLAN or FILE_BASED
}

// ImportType is an import's importType. Open enum: values this package does
// not know decode fine and print as they came.
type ImportType string

// The importType values known from Anaplan's documentation and clients.
const (
	ImportModuleData         ImportType = "MODULE_DATA"
	ImportHierarchyData      ImportType = "HIERARCHY_DATA"
	ImportLineItemDefinition ImportType = "LINE_ITEM_DEFINITION"
	ImportUsers              ImportType = "USERS"
	ImportVersions           ImportType = "VERSIONS"
)

// Import is an import definition. ImportDataSourceID is the file to upload
// into before running it (for file-based imports).
type Import struct {
	ID                 string     `json:"id"`
	Name               string     `json:"name"`
	Code               string     `json:"code,omitempty"`
	ImportDataSourceID string     `json:"importDataSourceId,omitempty"`
	ImportType         ImportType `json:"importType,omitempty"`
}

// ImportMetadata describes an import's source (GET …/imports/{id}). Type is
// FILE or MODEL.
type ImportMetadata struct {
	Name   string       `json:"name"`
	Type   string       `json:"type"`
	Source ImportSource `json:"source"`
}

// ImportSource is the layout an import expects of its file.
type ImportSource struct {
	TextEncoding     string   `json:"textEncoding,omitempty"`
	ColumnSeparator  string   `json:"columnSeparator,omitempty"`
	TextDelimiter    string   `json:"textDelimiter,omitempty"`
	HeaderRow        int      `json:"headerRow"`
	FirstDataRow     int      `json:"firstDataRow"`
	DecimalSeparator string   `json:"decimalSeparator,omitempty"`
	HeaderNames      []string `json:"headerNames,omitempty"`
	ColumnCount      int      `json:"columnCount"`
}

// ExportType is an export's exportType (open enum).
type ExportType string

// The exportType values known from Anaplan's documentation and clients.
const (
	ExportTabularMultiColumn     ExportType = "TABULAR_MULTI_COLUMN"
	ExportTabularSingleColumn    ExportType = "TABULAR_SINGLE_COLUMN"
	ExportGridAllPages           ExportType = "GRID_ALL_PAGES"
	ExportGridCurrentPage        ExportType = "GRID_CURRENT_PAGE"
	ExportAuditLog               ExportType = "AUDIT_LOG"
	ExportTabularAllLineItems    ExportType = "TABULAR_ALL_LINE_ITEMS"
	ExportTabularCurrentLineItem ExportType = "TABULAR_CURRENT_LINE_ITEM"
)

// Export is an export definition. Its output file has the export's ID.
type Export struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Code         string     `json:"code,omitempty"`
	ExportType   ExportType `json:"exportType,omitempty"`
	ExportFormat string     `json:"exportFormat,omitempty"` // e.g. text/csv
	Encoding     string     `json:"encoding,omitempty"`
	Layout       string     `json:"layout,omitempty"`
}

// ExportMetadata describes an export's output (GET …/exports/{id}).
type ExportMetadata struct {
	ColumnCount  int      `json:"columnCount"`
	DataTypes    []string `json:"dataTypes,omitempty"`
	Delimiter    string   `json:"delimiter,omitempty"`
	Encoding     string   `json:"encoding,omitempty"`
	ExportFormat string   `json:"exportFormat,omitempty"`
	HeaderNames  []string `json:"headerNames,omitempty"`
	ListNames    []string `json:"listNames,omitempty"`
	RowCount     int      `json:"rowCount"`
	Separator    string   `json:"separator,omitempty"`
	Layout       string   `json:"layout,omitempty"`
}

// Process is a process definition: a sequence of actions run as one task.
type Process struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// ProcessMetadata lists a process's actions in order (GET …/processes/{id}).
type ProcessMetadata struct {
	Name    string          `json:"name"`
	Actions []ProcessAction `json:"actions,omitempty"`
}

// ActionType is the kind of an action (open enum).
type ActionType string

// The actionType values known from Anaplan's documentation and clients.
const (
	ActionImport            ActionType = "IMPORT"
	ActionExport            ActionType = "EXPORT"
	ActionDeleteBySelection ActionType = "DELETE_BY_SELECTION"
	ActionOrderHierarchy    ActionType = "ORDER_HIERARCHY"
	ActionOptimizer         ActionType = "OPTIMIZER"
)

// ProcessAction is one step of a process. The import fields are set for
// imports, the export fields for exports; ImportDataSource only when the
// metadata was read with showImportDataSource.
type ProcessAction struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	ActionType         ActionType        `json:"actionType"`
	ImportDataSourceID string            `json:"importDataSourceId,omitempty"`
	ImportType         ImportType        `json:"importType,omitempty"`
	ImportDataSource   *ImportDataSource `json:"importDataSource,omitempty"`
	ExportType         ExportType        `json:"exportType,omitempty"`
	ExportFormat       string            `json:"exportFormat,omitempty"`
	Layout             string            `json:"layout,omitempty"`
}

// ImportDataSource is where a process's import reads from: a FILE, or
// another model for model-to-model imports.
type ImportDataSource struct {
	ImportDataSourceID string `json:"importDataSourceId,omitempty"`
	Type               string `json:"type,omitempty"`
	SourceModelID      string `json:"sourceModelId,omitempty"`
	SourceModelName    string `json:"sourceModelName,omitempty"`
	SourceWorkspaceID  string `json:"sourceWorkspaceId,omitempty"`
}

// Action is one of the model's "other" actions (delete by selection, order
// hierarchy, ...); imports, exports and processes have their own lists.
type Action struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Code       string     `json:"code,omitempty"`
	ActionType ActionType `json:"actionType,omitempty"`
}

// chunk is one entry of a chunk list (…/chunks): id "0", "1", ...
type chunk struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}
