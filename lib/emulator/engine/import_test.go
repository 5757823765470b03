package engine_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Every bad row is counted, put in the dump with its line and an error,
// and never stops the rows around it.
func TestBadRowsAreCountedAndDumped(t *testing.T) {
	t.Parallel()
	const ws = "Code,Name,sizeAllowance,currentSize\nW1,One,10,1\nW2,Two,20,2\n"
	tests := []struct {
		name       string
		imp        string
		data       string
		wantOK     int
		wantIgnore int
		wantDump   [][]string // without the header row
		wantText   string
	}{
		{
			name:     "unknown parent",
			imp:      engine.RegistryImportModels,
			data:     "Code,Name,Workspace,currentSize\nM1,Alpha,W1,5\nM2,Beta,NOPE,6\nM3,Gamma,W2,7\n",
			wantOK:   2,
			wantDump: [][]string{{"E", "M2", "Beta", "NOPE", "6", "3", "Invalid parent: Item not located in W1 Workspaces list: NOPE"}},
			wantText: "W2 Models: 2 (2/0) rows successful, 0 (0/0) rows has warnings, 1 failed, 0 ignored",
		},
		{
			name:   "duplicate code keeps the first row",
			imp:    engine.RegistryImportModels,
			data:   "Code,Name,Workspace,currentSize\nM1,First,W1,5\nM1,Second,W2,6\n",
			wantOK: 1,
			wantDump: [][]string{{"E", "M1", "Second", "W2", "6", "3",
				"Duplicate code in source: M1 (the row on line 2 was imported, this one is rejected)"}},
			wantText: "W2 Models: 1 (1/0) rows successful, 0 (0/0) rows has warnings, 1 failed, 0 ignored",
		},
		{
			name:   "missing code on a numbered list",
			imp:    engine.RegistryImportModels,
			data:   "Code,Name,Workspace,currentSize\n,Nameless,W1,5\nM1,Alpha,W1,5\n",
			wantOK: 1,
			wantDump: [][]string{{"E", "", "Nameless", "W1", "5", "2",
				"Invalid code: the code is blank; items of numbered list W2 Models are identified by code"}},
		},
		{
			name:     "bad number in a module import",
			imp:      engine.RegistryImportWorkspaceData,
			data:     "Code,Name,sizeAllowance,currentSize\nW1,One,12x,1\nW2,Two,20,2\n",
			wantOK:   1,
			wantDump: [][]string{{"E", "W1", "One", "12x", "1", "2", `Invalid number: "12x" for line item Size Allowance`}},
			wantText: "W1 Workspace Register: 1 rows successful, 0 rows has warnings, 1 failed, 0 ignored",
		},
		{
			name:     "unknown item in a module import",
			imp:      engine.RegistryImportWorkspaceData,
			data:     "Code,Name,sizeAllowance,currentSize\nW9,Nine,1,1\nW2,Two,20,2\n",
			wantOK:   1,
			wantDump: [][]string{{"E", "W9", "Nine", "1", "1", "2", "Item not located in W1 Workspaces list: W9"}},
		},
		{
			name:   "unmatched quote, later rows still load",
			imp:    engine.RegistryImportModels,
			data:   "Code,Name,Workspace,currentSize\nM1,Al\"pha,W1,5\nM2,Beta,W2,6\n",
			wantOK: 1,
			wantDump: [][]string{{"E", "M1", "", "", "", "2",
				`Unmatched delimiter character: parse error on line 2, column 6: bare " in non-quoted-field`}},
		},
		{
			name:   "blank rows are ignored, a short row is padded in the dump",
			imp:    engine.RegistryImportModels,
			data:   "Code,Name,Workspace,currentSize\n,,,\nM1,Alpha,W1,5\n\"\"\nM2,Beta,W9\nM3\n",
			wantOK: 2, wantIgnore: 2,
			wantDump: [][]string{{"E", "M2", "Beta", "W9", "", "5", "Invalid parent: Item not located in W1 Workspaces list: W9"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := engine.ModelRegistry()
			runImport(t, m, engine.RegistryImportWorkspaces, ws)
			res := runImport(t, m, tc.imp, tc.data)
			wantFailed := len(tc.wantDump)
			if res.RowsSucceeded != tc.wantOK || res.RowsFailed != wantFailed || res.RowsIgnored != tc.wantIgnore {
				t.Errorf("rows succeeded/failed/ignored = %d/%d/%d, want %d/%d/%d",
					res.RowsSucceeded, res.RowsFailed, res.RowsIgnored, tc.wantOK, wantFailed, tc.wantIgnore)
			}
			if res.Successful || !res.FailureDumpAvailable {
				t.Errorf("successful=%v failureDumpAvailable=%v, want false/true", res.Successful, res.FailureDumpAvailable)
			}
			dump := readCSV(t, res.Dump)
			header := append([]string{"_Status_"}, strings.Split(firstLine(tc.data), ",")...)
			diff(t, "dump header", dump[0], append(header, "_Line_", "_Error_1_"))
			diff(t, "dump rows", dump[1:], tc.wantDump)
			if tc.wantText != "" {
				diff(t, "localMessageText", res.Details[0].LocalMessageText, tc.wantText)
			}
		})
	}
}

func firstLine(s string) string { line, _, _ := strings.Cut(s, "\n"); return line }

// A failed row changes nothing: not even the parts of it that were valid.
func TestFailedRowIsNotPartlyApplied(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	runImport(t, m, engine.RegistryImportWorkspaces, "Code,Name,sizeAllowance,currentSize\nW1,One,10,1\n")
	runImport(t, m, engine.RegistryImportWorkspaceData, "Code,Name,sizeAllowance,currentSize\nW1,One,10,1\n")
	res := runImport(t, m, engine.RegistryImportWorkspaceData, "Code,Name,sizeAllowance,currentSize\nW1,One,99,oops\n")
	if res.RowsFailed != 1 {
		t.Fatalf("RowsFailed = %d", res.RowsFailed)
	}
	diff(t, "cells", moduleRows(t, m, "W1 Workspace Register")[0].Values, []string{"One", "10", "1"})
}

// Rows repeating the same items in a module import aggregate numbers and
// keep the later text.
func TestModuleImportAggregatesRepeatedItems(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	loadRegistry(t, m, "Code,Name,sizeAllowance,currentSize\nW1,One,10,1\n", "Code,Name,Workspace,currentSize\nM1,Alpha,W1,5\n")
	res := runImport(t, m, engine.RegistryImportModelData, "Code,Name,Workspace,currentSize\nM1,A,W1,5\nM1,B,W1,7\n")
	if res.RowsSucceeded != 2 || res.RowsFailed != 0 {
		t.Fatalf("succeeded/failed = %d/%d", res.RowsSucceeded, res.RowsFailed)
	}
	diff(t, "cells", moduleRows(t, m, "W2 Model Register")[0].Values, []string{"One", "B", "12"})
}

// A file without a mapped column loads nothing and says which column.
func TestImportMissingColumn(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	res := runImport(t, m, engine.RegistryImportModels, "Code,Name,currentSize\nM1,Alpha,5\n")
	diff(t, "result", jsonOf(t, res), `{"successful":false,"failureDumpAvailable":false,"objectId":"112000000001",`+
		`"objectName":"W2 Models from models.csv","details":[{"localMessageText":"Import incomplete - unavailable fields: Workspace",`+
		`"occurrences":0,"type":"missingFields"}]}`)
	if n := len(listItems(t, m, "W2 Models")); n != 0 {
		t.Errorf("%d items loaded", n)
	}
}

// File settings: a header below a title row, tab separators, ISO-8859-1,
// columns in another order than the definition, a byte order mark.
func TestFileSettings(t *testing.T) {
	t.Parallel()
	def := func(extra string) string {
		return `{"name":"M","lists":[{"name":"L","properties":[{"name":"P","format":"NUMBER"}]}],
		"files":[{"name":"f.txt","headers":["Name","Code","P"]` + extra + `}],
		"imports":[{"name":"I","type":"HIERARCHY_DATA","file":"f.txt","list":"L",
		  "mapping":{"code":"Code","name":"Name","properties":{"P":"P"}}}]}`
	}
	tests := []struct {
		name, extra, data string
	}{
		{"defaults, BOM, reordered columns", ``, "\uFEFFCode,P,Name\nc1,1.5,Café\n"},
		{"tab separated", `,"separator":"\t"`, "Name\tCode\tP\nCafé\tc1\t1.5\n"},
		{"ISO-8859-1", `,"encoding":"ISO-8859-1"`, "Name,Code,P\nCaf\xe9,c1,1.5\n"},
		{"header on row 2", `,"headerRow":2,"firstDataRow":4`, "Title\nName,Code,P\nskipped\nCafé,c1,1.5\n"},
		{"no header: by position", `,"headerRow":0,"firstDataRow":1`, "Café,c1,1.5\n"},
		{"CRLF line ends", ``, "Name,Code,P\r\nCafé,c1,1.5\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := mustLoad(t, def(tc.extra))
			res := runImport(t, m, "I", tc.data)
			if res.RowsProcessed != 1 || !res.Successful {
				t.Fatalf("processed %d, successful %v: %+v %s", res.RowsProcessed, res.Successful, res.Details, res.Dump)
			}
			it := listItems(t, m, "L")[0]
			diff(t, "item", []string{it.Code, it.Name, it.Properties["P"]}, []string{"c1", "Café", "1.5"})
		})
	}
}

// An ISO-8859-1 line longer than the reader's buffers decodes intact.
func TestLatin1LongLine(t *testing.T) {
	t.Parallel()
	m := mustLoad(t, `{"name":"M","lists":[{"name":"L"}],"files":[{"name":"f","headers":["Code","Name"],"encoding":"ISO-8859-1"}],
		"imports":[{"name":"I","type":"HIERARCHY_DATA","file":"f","list":"L","mapping":{"code":"Code","name":"Name"}}]}`)
	long := strings.Repeat("\xe9a", 20_000)
	runImport(t, m, "I", "Code,Name\nc1,"+long+"\nc2,\xff\n")
	items := listItems(t, m, "L")
	if len(items) != 2 || items[0].Name != strings.Repeat("éa", 20_000) || items[1].Name != "ÿ" {
		t.Errorf("decoded %d items; first name has %d bytes", len(items), len(items[0].Name))
	}
}

// Plain lists need unique names and find items by name when the code is
// blank.
func TestPlainListNames(t *testing.T) {
	t.Parallel()
	m := mustLoad(t, `{"name":"M","lists":[{"name":"Regions"}],
		"files":[{"name":"r.csv","headers":["Code","Name"]}],
		"imports":[{"name":"I","type":"HIERARCHY_DATA","file":"r.csv","list":"Regions","mapping":{"code":"Code","name":"Name"}}]}`)
	res := runImport(t, m, "I", "Code,Name\nN,North\nS,North\n,East\n,East\n")
	dump := readCSV(t, res.Dump)
	diff(t, "errors", []string{dump[1][4], dump[2][4]}, []string{
		"Name or code already exists: the name North belongs to another item of list Regions (code N)",
		"Duplicate name in source: East (the row on line 4 was imported, this one is rejected)",
	})
	var names []string
	for _, it := range listItems(t, m, "Regions") {
		names = append(names, it.Code+"="+it.Name)
	}
	diff(t, "items", names, []string{"N=North", "=East"})
}

// Rows in list order, reverse order or mixed with unknown items load the
// same cells: the in-order shortcut never changes which item a row hits.
func TestModuleImportRowOrder(t *testing.T) {
	t.Parallel()
	const ws = "Code,Name,sizeAllowance,currentSize\nA,a,1,1\nB,b,2,2\nC,c,3,3\nD,d,4,4\n"
	orders := map[string]string{
		"list order": "Code,Name,sizeAllowance,currentSize\nA,,10,1\nB,,20,2\nC,,30,3\nD,,40,4\n",
		"reversed":   "Code,Name,sizeAllowance,currentSize\nD,,40,4\nC,,30,3\nB,,20,2\nA,,10,1\n",
		"mixed":      "Code,Name,sizeAllowance,currentSize\nB,,20,2\nX,,0,0\nC,,30,3\nA,,10,1\nD,,40,4\n",
	}
	for name, data := range orders {
		m := engine.ModelRegistry()
		runImport(t, m, engine.RegistryImportWorkspaces, ws)
		runImport(t, m, engine.RegistryImportWorkspaceData, data)
		var got []string
		for _, r := range moduleRows(t, m, "W1 Workspace Register") {
			got = append(got, r.Items[0].Name+"="+r.Values[1])
		}
		diff(t, name, got, []string{"a=10", "b=20", "c=30", "d=40"})
	}
}
