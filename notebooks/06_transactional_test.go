package notebooks_test

import (
	"strings"
	"testing"
)

func TestTransactionalNotebook(t *testing.T) {
	t.Parallel()
	nb := executed(t, "06-transactional.ipynb")
	for _, tc := range []struct{ code, want string }{
		// The setup cell reads the tenant once and finds the model in that read.
		{"s.ReadRegistry(ctx)", "Read 7 workspaces and 39 models from the tenant; later cells reuse this read"},
		{"s.ReadRegistry(ctx)", `The registry model: "Model Registry" (` + registryModelID + `), in workspace "Admin Tools".`},
		// A first sync into an empty model writes the demo tenant's 7
		// workspaces, 39 models and their cells; the second only reads.
		{"for _, run := range", "First sync (4 write requests):\n  W1 Workspaces:  7 added, 0 updated, 0 removed\n  W2 Models:      39 added, 0 updated, 0 removed\n  cells:          92 written\n138 changes\n"},
		{"for _, run := range", "Second sync (0 write requests):\n  W1 Workspaces:  0 added, 0 updated, 0 removed\n  W2 Models:      0 added, 0 updated, 0 removed\n  cells:          0 written\n0 changes\n"},
		// The list: numbered items, the model id as code, the name as property.
		{"m.ListItems(ctx", "<td>#1</td><td>" + registryModelID + "</td><td>#1</td><td>Model Registry</td>"},
		// The view, as JSON: line items as columns, every model a row.
		{"m.ViewData(ctx", "<th>W2 Models</th><th>Workspace</th><th>Name</th><th>Current Size</th>"},
		{"m.ViewData(ctx", "<p>showing 8 of 39 rows</p>"},
		// A cell write: one accepted, the formula cell refused at its index.
		{"m.WriteCells(ctx", `"requestIndex": 1,` + "\n      " + `"failureType": "NOT_WRITABLE"`},
		{"m.WriteCells(ctx", "1 cell changed; refused:\n  index 1: NOT_WRITABLE"},
		{"m.WriteCells(ctx", "cells:          1 written\n1 change\n"},
		// A large read: every model, in pages, the request deleted.
		{"ReadListLarge", "Read 39 items in 1 page(s), through a read request now deleted."},
	} {
		assertShows(t, nb, tc.code, tc.want)
	}
	if out := nb.cell(t, "ReadListLarge").text(); !strings.Contains(out, "Columns: id, name, code, parent") {
		t.Errorf("the large read shows no CSV header:\n%s", out)
	}
}
