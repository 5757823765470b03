package notebooks_test

import (
	"strings"
	"testing"
)

func TestModelsNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "03-models.ipynb")
	for _, tc := range []struct{ code, want string }{
		// One model's JSON, with the fields the tutorial got wrong.
		{"PageSize: 1", `"currentWorkspaceId": "`},
		{"PageSize: 1", `"memoryUsage": `},
		{"PageSize: 1", `"totalSize": 39`},
		{"ModelsTable()", "<p>showing 12 of 39 rows</p>"},
		// Counts by state, ARCHIVED and the undocumented ACTIVE included.
		{"StatesTable()", "<tr><td>ARCHIVED</td><td>7</td>"},
		{"StatesTable()", "<tr><td>ACTIVE</td><td>1</td>"},
		{"StatesTable()", "<th>ACTIVE</th>"},
		{"StatesTable()", "<svg"},
		// The model the demo user may see but not open.
		{"DemoNoAccessModelID", `"HR Compensation Planning (Restricted)": PRODUCTION, in Workforce Planning (HR)`},
		{"DemoNoAccessModelID", "GET /2/0/models/5D0C8B7A19E24F6B93A1C7E04D2B6F18?modelDetails=true → 200 OK\n"},
		// Its files, like any read inside it, answer 404: the same answer as
		// a model that does not exist.
		{"DemoNoAccessModelID", "GET /2/0/workspaces/bed094d8b13a32a318afb1449279af33/models/5D0C8B7A19E24F6B93A1C7E04D2B6F18/files?limit=5000&offset=0 → 404 Not Found\n"},
		{"DemoNoAccessModelID", "Its files:       errors.Is(err, anaplan.ErrNotFound): true\n"},
		{"DemoNoAccessModelID", "GET /2/0/models/00000000000000000000000000000000 → 404 Not Found\n"},
		{"DemoNoAccessModelID", "No such model:   errors.Is(err, anaplan.ErrNotFound): true\n"},
		{"DemoNoAccessModelID", `"path": "/2/0/workspaces/bed094d8b13a32a318afb1449279af33/models/5D0C8B7A19E24F6B93A1C7E04D2B6F18/files"`},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}
	if one := nb.cell(t, "PageSize: 1").text(); strings.Contains(one, `"wsp"`) || strings.Contains(one, `"currentSize"`) {
		t.Errorf("a model's JSON shows the tutorial's field names, which Anaplan does not send:\n%s", one)
	}

	// The pivot: one row per workspace, ACTIVE counted in FP&A Planning.
	pivot := nb.cell(t, "StatesByWorkspace()").Displays
	if len(pivot) != 3 || !strings.Contains(pivot[2], "<tr><td>FP&amp;A Planning</td><td>3</td><td>2</td><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td><td>10</td></tr>") {
		t.Errorf("the states-by-workspace display is not the pivot of the demo tenant:\n%v", pivot)
	}
}
