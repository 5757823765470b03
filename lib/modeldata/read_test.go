package modeldata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/modeldata"
)

// salesDefinition is a module with a dimension on rows (Stores) and one
// on pages (Quarters): its CSV grid starts with the page selector's line.
const salesDefinition = `{"name": "Stores",
  "lists": [{"name": "Stores"}, {"name": "Quarters"}],
  "modules": [{"name": "Sales", "dimensions": ["Stores", "Quarters"],
    "lineItems": [{"name": "Target", "format": "NUMBER"}, {"name": "Owner", "format": "TEXT"}]}]}`

// pagedModel serves a demo model defined by salesDefinition, with two
// stores and two quarters, and returns a handle on it.
func pagedModel(t *testing.T) *anaplan.ModelHandle {
	t.Helper()
	var model emulator.Model
	for _, m := range emulator.Demo().Models {
		if m.ID != emulator.RegistryModelID && m.ID != emulator.DemoNoAccessModelID {
			model = m
			break
		}
	}
	e, err := emulator.New(emulator.Options{ModelDefinitions: map[string][]byte{model.ID: []byte(salesDefinition)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Model(model.WorkspaceID, model.ID)
	ctx := context.Background()
	for list, names := range map[string][]string{"Stores": {"North & Co", "South"}, "Quarters": {"Q1", "Q2"}} {
		l, err := m.FindList(ctx, list)
		if err != nil {
			t.Fatal(err)
		}
		items := make([]anaplan.ItemInput, len(names))
		for i, n := range names {
			items[i] = anaplan.ItemInput{Name: n}
		}
		if _, err := m.AddListItems(ctx, l.ID, items, anaplan.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// TestReadViewWithPagesNamesItsColumns: the grid's page line is not taken
// for the header, and the row column is named after the row dimension, in
// CSV and JSON; JSON keeps & as it is.
func TestReadViewWithPagesNamesItsColumns(t *testing.T) {
	t.Parallel()
	m := pagedModel(t)
	ctx := context.Background()
	obj, err := modeldata.Resolve(ctx, m, "", "Sales")
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if res, err := modeldata.Read(ctx, m, obj, &csv, modeldata.ReadOptions{}); err != nil || res.Rows != 2 {
		t.Fatalf("read %d rows, %v; want 2", res.Rows, err)
	}
	if want := "Stores,Target,Owner\nNorth & Co,0,\nSouth,0,\n"; csv.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", csv.String(), want)
	}
	var js bytes.Buffer
	if _, err := modeldata.Read(ctx, m, obj, &js, modeldata.ReadOptions{JSON: true}); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]string
	if err := json.Unmarshal(js.Bytes(), &recs); err != nil || len(recs) != 2 || recs[0]["Stores"] != "North & Co" {
		t.Errorf("JSON %s (%v): want records keyed Stores, Target, Owner", js.String(), err)
	}
	if bytes.Contains(js.Bytes(), []byte(`\u0026`)) {
		t.Errorf("JSON escapes &: %s", js.String())
	}
}
