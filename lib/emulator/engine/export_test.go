package engine_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

func TestExportRegister(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	loadRegistry(t, m, registryWorkspaces, registryModels)
	out, res, err := m.RunExport(exportID(t, m, engine.RegistryExportModels))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "result", jsonOf(t, res), `{"successful":true,"failureDumpAvailable":false,"objectId":"116000000001",`+
		`"objectName":"W2 Model Register.csv","details":[{"localMessageText":"W2 Model Register.csv: 3 rows exported","occurrences":0,"type":"exportSucceeded"}]}`)
	if !bytes.Equal(out, res.Output) {
		t.Error("RunExport's bytes differ from Result.Output")
	}
	diff(t, "export", readCSV(t, out), [][]string{
		{"W2 Models", "Code", "Workspace", "Name", "Current Size"},
		{"Sales, Plan", "75A40874E6B64FA3AE0743278996FB4E", "Finance, EMEA", "Sales, Plan", "123456"},
		{"Sales, Plan", "B3A6C1E5D0F94C2B8E7A1D2C3B4A5F60", `The "Big" One`, "Sales, Plan", "42"},
		{"Line\nBreak \"Q\"", "C0FFEE00C0FFEE00C0FFEE00C0FFEE00", "Zürich 東京 ✓", "Line\nBreak \"Q\"", "0"},
	})

	md, err := m.ExportMetadata("116000000000")
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "export metadata", jsonOf(t, md), `{"columnCount":5,"dataTypes":["ENTITY","TEXT","TEXT","NUMBER","NUMBER"],`+
		`"delimiter":"\"","encoding":"UTF-8","exportFormat":"text/csv","headerNames":["W1 Workspaces","Code","Name","Size Allowance","Current Size"],`+
		`"listNames":["W1 Workspaces"],"rowCount":5,"separator":",","layout":"TABULAR_MULTI_COLUMN"}`)
	if _, _, err := m.RunExport("116000000002"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("unknown export: err = %v", err)
	}
}

// An export imports back into a model of the same shape unchanged, across
// two dimensions, awkward text and numbers.
func TestExportRoundTrips(t *testing.T) {
	t.Parallel()
	const def = `{"name":"Sales",
	  "lists":[{"name":"Products","numbered":true},{"name":"Regions"}],
	  "modules":[{"name":"Sales","dimensions":["Products","Regions"],"lineItems":[
	    {"name":"Note","format":"TEXT"},{"name":"Units","format":"NUMBER"},{"name":"Home","format":"LIST","list":"Regions"}]}],
	  "files":[
	    {"name":"products.csv","headers":["Products","Products Code"]},
	    {"name":"regions.csv","headers":["Regions","Regions Code"]},
	    {"name":"Sales.csv","headers":["Products","Products Code","Regions","Regions Code","Note","Units","Home"]}],
	  "imports":[
	    {"name":"Products from products.csv","type":"HIERARCHY_DATA","file":"products.csv","list":"Products","mapping":{"code":"Products Code","name":"Products"}},
	    {"name":"Regions from regions.csv","type":"HIERARCHY_DATA","file":"regions.csv","list":"Regions","mapping":{"code":"Regions Code","name":"Regions"}},
	    {"name":"Sales from Sales.csv","type":"MODULE_DATA","file":"Sales.csv","module":"Sales",
	      "mapping":{"dimensions":{"Products":"Products Code","Regions":"Regions Code"},"lineItems":{"Note":"Note","Units":"Units","Home":"Home"}}}],
	  "exports":[{"name":"Sales.csv","type":"TABULAR_MULTI_COLUMN","module":"Sales","includeCodes":true}]}`
	src := mustLoad(t, def)
	runImport(t, src, "Products from products.csv", "Products,Products Code\n\"Widget, large\",P1\n=1+1,P2\n")
	runImport(t, src, "Regions from regions.csv", "Regions,Regions Code\nNorth,N\n\"Süd \"\"Ost\"\"\",S\n")
	runImport(t, src, "Sales from Sales.csv", "Products,Products Code,Regions,Regions Code,Note,Units,Home\n"+
		",P1,,N,\"two\nlines\",1.25,S\n,P2,,S,\"a,b\",-3e2,North\n")
	first, _, err := src.RunExport("116000000000")
	if err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, first); len(rows) != 5 { // header + 2 products x 2 regions
		t.Fatalf("export has %d rows:\n%s", len(rows), first)
	}

	dst := mustLoad(t, def)
	runImport(t, dst, "Products from products.csv", string(src2list(t, first, 0)))
	runImport(t, dst, "Regions from regions.csv", string(src2list(t, first, 2)))
	if res := runImport(t, dst, "Sales from Sales.csv", string(first)); res.RowsFailed != 0 {
		t.Fatalf("re-import failed: %s", res.Dump)
	}
	second, _, err := dst.RunExport("116000000000")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("export did not round-trip:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
}

// src2list cuts a list's name and code columns out of an export, once per
// item, as a user would to load the list first.
func src2list(t *testing.T, export []byte, col int) []byte {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, r := range readCSV(t, export) {
		if !seen[r[col+1]] {
			seen[r[col+1]] = true
			b.WriteString(csvLine(r[col], r[col+1]))
		}
	}
	return b.Bytes()
}

func csvLine(fields ...string) string {
	var b bytes.Buffer
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.Write(bytes.ReplaceAll([]byte(f), []byte(`"`), []byte(`""`)))
		b.WriteByte('"')
	}
	b.WriteByte('\n')
	return b.String()
}
