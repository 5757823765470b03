package registry

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// The headers of the import files, exactly as the tutorial's imports map
// them: W1 Workspaces takes workspaces.csv and W2 Models takes models.csv,
// whose Workspace column is the parent W1 item's code (the workspace id).
var (
	WorkspacesHeader = []string{"Code", "Name", "sizeAllowance", "currentSize"}
	ModelsHeader     = []string{"Code", "Name", "Workspace", "currentSize"}
	RegistryHeader   = []string{
		"modelId", "modelName", "activeState", "workspaceId", "workspaceName",
		"memoryUsage", "workspaceSizeAllowance", "workspaceCurrentSize", "workspaceUsedPercent",
		"createdAt", "lastModified", "lastSavedSerialNumber", "lastModifiedByUserGuid",
		"categories", "modelUrl", "environment", "environmentRule", "family",
	}
)

// newCSVWriter returns an RFC 4180 writer with LF line endings. CRLF mode is
// avoided on purpose: encoding/csv then rewrites a newline inside a quoted
// name as CRLF, and the import would store a different name than the
// tenant's. Anaplan reads LF-terminated files.
func newCSVWriter(w io.Writer) *csv.Writer { return csv.NewWriter(w) }

// WriteWorkspacesCSV writes workspaces.csv: Code,Name,sizeAllowance,currentSize.
// Names and IDs are written exactly as Anaplan returned them (only invalid
// UTF-8 is replaced: the file is UTF-8), because this file is data for an
// import, not for a spreadsheet.
func (r *Registry) WriteWorkspacesCSV(w io.Writer) error {
	cw := newCSVWriter(w)
	if err := cw.Write(WorkspacesHeader); err != nil {
		return err
	}
	for _, ws := range r.Workspaces {
		if err := cw.Write([]string{
			importText(ws.ID), importText(ws.Name), itoa(ws.SizeAllowance), itoa(ws.CurrentSize),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteModelsCSV writes models.csv: Code,Name,Workspace,currentSize where
// Workspace is the model's currentWorkspaceId and currentSize its memoryUsage.
func (r *Registry) WriteModelsCSV(w io.Writer) error {
	cw := newCSVWriter(w)
	if err := cw.Write(ModelsHeader); err != nil {
		return err
	}
	for _, m := range r.Models {
		if err := cw.Write([]string{
			importText(m.ID), importText(m.Name), importText(m.CurrentWorkspaceID), itoa(m.MemoryUsage),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteRegistryCSV writes registry.csv: one row per model with every detail,
// for people. People open it in spreadsheets, so every cell of text from
// the server (names, IDs, dates Anaplan sent in a form the client could
// not parse) that a spreadsheet would run as a formula is defused (see
// SpreadsheetSafe); numbers are written by this package.
func (r *Registry) WriteRegistryCSV(w io.Writer) error {
	cw := newCSVWriter(w)
	if err := cw.Write(RegistryHeader); err != nil {
		return err
	}
	org := r.Organisation()
	for i, m := range r.Models {
		ws, _ := r.Workspace(m.CurrentWorkspaceID)
		pct := ""
		if p, ok := UsedPercent(ws); ok {
			pct = strconv.FormatFloat(p, 'f', 1, 64)
		}
		row := []string{
			SpreadsheetSafe(m.ID), SpreadsheetSafe(m.Name), SpreadsheetSafe(string(m.ActiveState)),
			SpreadsheetSafe(m.CurrentWorkspaceID), SpreadsheetSafe(r.workspaceName(m)),
			itoa(m.MemoryUsage), sizeOrEmpty(ws.SizeAllowance), sizeOrEmpty(ws.CurrentSize), pct,
			SpreadsheetSafe(isoDate(m.ISOCreationDate)), SpreadsheetSafe(isoDate(m.LastModified)),
			SpreadsheetSafe(string(m.LastSavedSerialNumber)), SpreadsheetSafe(m.LastModifiedByUserGUID),
			SpreadsheetSafe(categories(m)), SpreadsheetSafe(m.ModelURL),
			string(org.Models[i].Environment), SpreadsheetSafe(org.Models[i].Rule), SpreadsheetSafe(org.Models[i].Family),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SpreadsheetSafe defuses formula injection for CSV meant for spreadsheets
// (OWASP "CSV injection"): a cell starting with = + - @ tab or CR gets a
// leading apostrophe, which spreadsheets show as text and do not evaluate.
// registry.csv, families.csv and hygiene.csv use it; the import files must
// carry names verbatim, and Anaplan imports do not evaluate cell text.
func SpreadsheetSafe(s string) string {
	s = importText(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// importText makes s valid UTF-8 (the import files are UTF-8); a name that
// is already valid is returned unchanged.
func importText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func itoa(b anaplan.Bytes) string { return strconv.FormatInt(int64(b), 10) }

func sizeOrEmpty(b anaplan.Bytes) string {
	if b == 0 {
		return ""
	}
	return itoa(b)
}

// isoDate formats a timestamp as RFC 3339 in UTC, which spreadsheets and
// pandas read without help; an unparsed value is kept as Anaplan sent it.
func isoDate(t anaplan.Timestamp) string {
	if t.Time.IsZero() {
		return t.Raw
	}
	return t.Time.UTC().Format(time.RFC3339)
}

func categories(m anaplan.Model) string {
	parts := make([]string, 0, len(m.CategoryValues))
	for _, c := range m.CategoryValues {
		parts = append(parts, fmt.Sprintf("%s: %s", c.CategoryName, c.Attribute))
	}
	return strings.Join(parts, "; ")
}
