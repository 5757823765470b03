package notebooks_test

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// registryModelID is the demo tenant's "Model Registry": the only 32-digit
// uppercase hex a cell of notebook 05 may show, since task ids vary.
const registryModelID = "A3F4C91D2B7E4E0F8C6D15B9E2A7C043"

func TestLoadNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "05-load-with-imports.ipynb")
	for _, tc := range []struct{ code, want string }{
		{"s.Describe()", `The registry model: "Model Registry" (` + registryModelID + `), in workspace "Admin Tools".`},
		// The model's imports, as Anaplan lists them: data sources by id.
		{"rec.Exchanges()[1].Text(-1)", "/models/" + registryModelID + "/processes?limit=5000&offset=0 → 200 OK\n"},
		{"rec.Exchanges()[1].Text(-1)", `"name": "W2 Models from models.csv",` + "\n      " + `"importDataSourceId": "113000000001",` + "\n      " + `"importType": "HIERARCHY_DATA"`},
		// An upload: chunk count -1, a gzipped chunk answered 204, complete.
		{`"workspaces.csv", files.Workspaces`, "{\n  \"chunkCount\": -1\n}\n"},
		{`"workspaces.csv", files.Workspaces`, "/files/113000000000/chunks/0 → 204 No Content\n"},
		{`"workspaces.csv", files.Workspaces`, "Content-Type: application/x-gzip\n\n‹"},
		{`"workspaces.csv", files.Workspaces`, "/files/113000000000/complete → 200 OK\n"},
		// One import's task, from NOT_STARTED to COMPLETE with its result.
		{"task.Wait(ctx, nil))\nexchanges", "W1 Workspace Register from workspaces.csv: started, then polled until COMPLETE.\n"},
		{"task.Wait(ctx, nil))\nexchanges", "{\n  \"localeName\": \"en_US\"\n}\n"},
		{"task.Wait(ctx, nil))\nexchanges", `"taskState": "NOT_STARTED"`},
		{"task.Wait(ctx, nil))\nexchanges", `"taskState": "COMPLETE"`},
		{"task.Wait(ctx, nil))\nexchanges", `"successRowCount",` + "\n            " + `"7",`},
		{"task.Wait(ctx, nil))\nexchanges", "/tasks/‹taskId›\n"},
		// Failure: the dump's columns and why the row was rejected.
		{"Ghost Model", "<th>_Status_</th><th>Code</th><th>Name</th><th>Workspace</th><th>currentSize</th><th>_Line_</th><th>_Error_1_</th>"},
		{"Ghost Model", "Invalid parent: Item not located in W1 Workspaces list: 00000000000000000000000000000bad"},
		{"Ghost Model", "Item not located in W2 Models list: 00000000000000000000000000000BAD"},
		{"Ghost Model", "<p>Loaded the good files again: 0 rows failed.</p>"},
		// The process: one task, a nested result per import.
		{"m.RunProcess", `"objectName": "Load Model Registry",` + "\n      " + `"nestedResults": [`},
		{"m.RunProcess", `"localMessageText": "W2 Models: 39 (0/39) rows successful, 0 ignored "`},
		// The W2 Model Register, capped.
		{"RunExport", "<p>showing 12 of 39 rows</p>"},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}

	// The model's catalogue: each import with the file it reads, by name.
	catalogue := htmlRows(nb.cell(t, "ReadModelActions(ctx, m)).Table()").text())
	for _, want := range [][]string{
		{"import", "112000000000", "W1 Workspaces from workspaces.csv", "HIERARCHY_DATA", "workspaces.csv"},
		{"import", "112000000003", "W2 Model Register from models.csv", "MODULE_DATA", "models.csv"},
		{"process", "118000000000", "Load Model Registry", "", ""},
	} {
		if !slices.ContainsFunc(catalogue, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("the model's table lacks %q; it shows %q", want, catalogue)
		}
	}

	// The four imports and what they loaded from the demo tenant's 7
	// workspaces and 39 models, in the order Load runs them.
	loaded := [][]string{
		{"W1 Workspaces from workspaces.csv", "7", "0", "0", ""},
		{"W2 Models from models.csv", "39", "0", "0", ""},
		{"W1 Workspace Register from workspaces.csv", "7", "0", "0", ""},
		{"W2 Model Register from models.csv", "39", "0", "0", ""},
	}
	if got := htmlRows(nb.cell(t, "writeCSV(reg), registry.LoadOptions{}))\ndisplayHTML").text()); !slices.EqualFunc(got, loaded, slices.Equal) {
		t.Errorf("the load report shows %q, want %q", got, loaded)
	}

	// The bad row: rejected by both imports that read models.csv, each with
	// its dump saved under dumps/, and nothing else failed.
	failure := nb.cell(t, "Ghost Model").Displays
	if len(failure) != 4 {
		t.Fatalf("the failure cell shows %d displays, want the report, two dumps and the reload:\n%s", len(failure), strings.Join(failure, "\n"))
	}
	withFailures := [][]string{
		{"W1 Workspaces from workspaces.csv", "7", "0", "0", ""},
		{"W2 Models from models.csv", "39", "0", "1", "dumps/W2 Models from models.csv.dump.csv"},
		{"W1 Workspace Register from workspaces.csv", "7", "0", "0", ""},
		{"W2 Model Register from models.csv", "39", "0", "1", "dumps/W2 Model Register from models.csv.dump.csv"},
	}
	if got := htmlRows(failure[0]); !slices.EqualFunc(got, withFailures, slices.Equal) {
		t.Errorf("the report of the bad load shows %q, want %q", got, withFailures)
	}
	for i, dump := range failure[1:3] {
		rows := htmlRows(dump)
		if len(rows) != 1 || len(rows[0]) != 7 || rows[0][0] != "E" || rows[0][2] != "Ghost Model" || rows[0][5] != "14" {
			t.Errorf("dump %d shows %q, want the ghost model's row, line 14, status E", i+1, rows)
		}
	}

	// Every model with the name of its workspace, read back from the model.
	register := htmlRows(nb.cell(t, "RunExport").text())
	if len(register) != 12 {
		t.Fatalf("the register shows %d rows, want 12:\n%q", len(register), register)
	}
	for _, want := range [][]string{
		{"Model Registry", registryModelID, "Admin Tools", "Model Registry", "126233186"},
		{"Budget, Forecast & Actuals", "47747FB741711B7EA3D98C38EEC00C6B", "FP&A Planning", "Budget, Forecast & Actuals", "1546678181"},
	} {
		if !slices.ContainsFunc(register, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("the W2 Model Register lacks %q; it shows %q", want, register)
		}
	}

	// Task ids change from run to run: the cells that show tasks hide them.
	hex32 := regexp.MustCompile(`[0-9A-F]{32}`)
	tasks := 0
	for _, c := range nb.cells {
		if !strings.Contains(c.Source, "task.ID") {
			continue
		}
		tasks++
		if !strings.Contains(c.text(), "‹taskId›") {
			t.Errorf("cell %d shows a task but no ‹taskId›:\n%s", c.Index, c.text())
		}
		for _, id := range hex32.FindAllString(c.text(), -1) {
			if id != registryModelID {
				t.Errorf("cell %d shows %s, which is not the registry model's id: a task id?", c.Index, id)
			}
		}
	}
	if tasks != 2 {
		t.Errorf("%d cells show a task, want 2 (an import and the process)", tasks)
	}
}

var (
	htmlRow  = regexp.MustCompile(`<tr>(.*?)</tr>`)
	htmlCell = regexp.MustCompile(`<td>(.*?)</td>`)
)

// htmlRows returns the data rows (not the header) of the HTML tables in
// text, each cell unescaped.
func htmlRows(text string) [][]string {
	var rows [][]string
	for _, tr := range htmlRow.FindAllStringSubmatch(text, -1) {
		cells := htmlCell.FindAllStringSubmatch(tr[1], -1)
		if len(cells) == 0 {
			continue // the header row
		}
		row := make([]string, len(cells))
		for i, td := range cells {
			row[i] = html.UnescapeString(td[1])
		}
		rows = append(rows, row)
	}
	return rows
}
