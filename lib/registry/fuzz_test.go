package registry_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// formulaStart are the first characters a spreadsheet may run as a formula.
const formulaStart = "=+-@\t\r"

// FuzzRegistryCSV writes a registry of one workspace and one model with
// arbitrary text (names, IDs, state, a date Anaplan sent as text) and
// reads the three files back as an import or a spreadsheet would: every
// file is valid UTF-8 and parses as CSV with one row; the import files
// carry every text verbatim (invalid UTF-8 replaced); registry.csv
// carries names defused, and none of its cells starts like a formula
// unless it is a number.
func FuzzRegistryCSV(f *testing.F) {
	f.Add("FP&A Planning", "Finance, \"Ops\"", "UNLOCKED", "A3F4C91D2B7E4E0F8C6D15B9E2A7C043", "8f2e6c1a9b3d4e57a0c4b6d8e1f3a259", "2021-03-01T09:00:00.000+0000")
	f.Add("=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+cmd", "-1", "\tTab", "=cmd|' /C calc'!A0")
	f.Add("Two\nLines\r\nThree\r", "\"", ",", "\r", "", "not a date")
	f.Add("Bad\xffUTF-8\xc3", "Ünïcødé 计划 📈", "HIBERNATING", "\xfe", "ws\x00id", "1.5E12")
	f.Fuzz(func(t *testing.T, modelName, wsName, state, modelID, wsID, created string) {
		// The date as Anaplan might send it: raw JSON (epoch milliseconds,
		// a string), else as a JSON string of the text.
		var date anaplan.Timestamp
		if json.Unmarshal([]byte(created), &date) != nil {
			quoted, _ := json.Marshal(created)
			if err := json.Unmarshal(quoted, &date); err != nil {
				t.Fatalf("a JSON string did not decode as a timestamp: %v", err)
			}
		}
		ws := anaplan.Workspace{ID: wsID, Name: wsName, Active: true, SizeAllowance: 1 << 30, CurrentSize: 1 << 29}
		m := anaplan.Model{ID: modelID, Name: modelName, ActiveState: anaplan.ModelState(state),
			CurrentWorkspaceID: wsID, CurrentWorkspaceName: wsName, MemoryUsage: 123,
			ISOCreationDate: date, LastModifiedByUserGUID: wsName, ModelURL: modelName,
			CategoryValues: []anaplan.CategoryValue{{CategoryName: wsName, Attribute: state}}}
		r := registry.New([]anaplan.Workspace{ws}, []anaplan.Model{m})

		valid := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
		wsRow := readOne(t, "workspaces.csv", r.WriteWorkspacesCSV)
		want := []string{valid(wsID), valid(wsName), "1073741824", "536870912"}
		if !sameRow(wsRow, want) {
			t.Fatalf("workspaces.csv row %q, want %q", wsRow, want)
		}
		modelRow := readOne(t, "models.csv", r.WriteModelsCSV)
		want = []string{valid(modelID), valid(modelName), valid(wsID), "123"}
		if !sameRow(modelRow, want) {
			t.Fatalf("models.csv row %q, want %q", modelRow, want)
		}
		regRow := readOne(t, "registry.csv", r.WriteRegistryCSV)
		if len(regRow) != len(registry.RegistryHeader) {
			t.Fatalf("registry.csv has %d cells, want %d", len(regRow), len(registry.RegistryHeader))
		}
		if got, want := regRow[1], registry.SpreadsheetSafe(modelName); got != normalise(want) {
			t.Fatalf("registry.csv modelName %q, want %q", got, want)
		}
		for i, cell := range regRow {
			if cell != "" && strings.ContainsRune(formulaStart, rune(cell[0])) && !isNumber(cell) {
				t.Fatalf("registry.csv %s = %q starts like a formula", registry.RegistryHeader[i], cell)
			}
		}
	})
}

// readOne writes a file and reads it back: valid UTF-8, a header and one row.
func readOne(t *testing.T, name string, write func(w io.Writer) error) []string {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatalf("writing %s: %v", name, err)
	}
	if !utf8.Valid(b.Bytes()) {
		t.Fatalf("%s is not valid UTF-8: %q", name, b.String())
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("%s does not parse back: %v\n%q", name, err, b.String())
	}
	if len(rows) != 2 {
		t.Fatalf("%s has %d rows, want a header and one row: %q", name, len(rows), b.String())
	}
	return rows[1]
}

// normalise undoes what Go's CSV reader does to a quoted field: it drops
// the CR of every CRLF (the file itself holds the bytes written).
func normalise(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func sameRow(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != normalise(want[i]) {
			return false
		}
	}
	return true
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
