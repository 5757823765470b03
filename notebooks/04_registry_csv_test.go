package notebooks_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

func TestRegistryCSVNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "04-registry-csv.ipynb")
	for _, tc := range []struct{ code, want string }{
		{"s.Describe()", "Read 7 workspaces and 39 models from the tenant; later cells reuse this read for up to 10 minutes (a cache in the temp directory, for this tenant and user).\n"},
		{"registry.FrameTable(reg.ModelsFrame())", "<p>showing 8 of 39 rows</p>"},
		{"Wrote into", "Wrote into anaplan-registry-csv/ in the temp directory:\n  workspaces.csv "},
		// The import files: exact headers, names quoted by RFC 4180, verbatim otherwise.
		{"os.ReadFile(f)", "── workspaces.csv ──\nCode,Name,sizeAllowance,currentSize\n"},
		{"os.ReadFile(f)", "── models.csv ──\nCode,Name,Workspace,currentSize\n"},
		{"os.ReadFile(f)", `,"Budget, Forecast & Actuals",`},
		{"os.ReadFile(f)", `,"Incentive Comp ""ICM"" - DEV",`},
		{"os.ReadFile(f)", ",\"Pipeline Forecast\nQ3 draft\","},
		{"os.ReadFile(f)", ",=SUM(A1:A9) Scenario Model,"},
		// registry.csv, for spreadsheets: the formula defused.
		{"writeCSV().Registry", "modelId,modelName,activeState,workspaceId,"},
		{"writeCSV().Registry", ",'=SUM(A1:A9) Scenario Model,"},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}

	// What the cell shows of models.csv must parse back to the names the
	// tenant holds, so a reader can trust what they see.
	out := nb.cell(t, "os.ReadFile(f)").Stdout
	_, models, ok := strings.Cut(out, "── models.csv ──\n")
	if !ok {
		t.Fatalf("the cell shows no models.csv:\n%s", out)
	}
	records, err := csv.NewReader(strings.NewReader(models)).ReadAll()
	if err != nil {
		t.Fatalf("models.csv as shown is not valid CSV: %v\n%s", err, models)
	}
	if len(records) != 40 || !slices.Equal(records[0], []string{"Code", "Name", "Workspace", "currentSize"}) {
		t.Fatalf("models.csv has %d records, header %v; want 39 models under Code,Name,Workspace,currentSize", len(records), records[0])
	}
	var names []string
	for _, r := range records[1:] {
		names = append(names, r[1])
	}
	for _, nasty := range []string{"Budget, Forecast & Actuals", `Incentive Comp "ICM" - DEV`, "Pipeline Forecast\nQ3 draft", "Prévisions Ventes – 東京", "=SUM(A1:A9) Scenario Model"} {
		if !slices.Contains(names, nasty) {
			t.Errorf("models.csv does not hold the name %q verbatim", nasty)
		}
	}
}
