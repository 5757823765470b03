package engine_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// storesDefinition has a hierarchy (Stores under Regions), a second
// dimension on pages and list-formatted cells, so transactional writes
// have every kind of reference to keep right.
const storesDefinition = `{
  "name": "Stores",
  "lists": [
    {"name": "Regions"},
    {"name": "Stores", "numbered": true, "parent": "Regions", "properties": [{"name": "Floor", "format": "NUMBER"}]},
    {"name": "Quarters"}
  ],
  "modules": [{
    "name": "Sales", "dimensions": ["Stores", "Quarters"],
    "lineItems": [
      {"name": "Target", "format": "NUMBER"},
      {"name": "Region", "format": "LIST", "list": "Regions", "formula": "PARENT(ITEM('Stores'))"},
      {"name": "Owner", "format": "LIST", "list": "Regions"}
    ]
  }]
}`

const (
	regions  = "101000000000"
	stores   = "101000000001"
	quarters = "101000000002"
	sales    = "102000000000"
)

func storesModel(t testing.TB) *engine.Model {
	t.Helper()
	m, err := engine.Load(strings.NewReader(storesDefinition))
	if err != nil {
		t.Fatal(err)
	}
	add := func(list string, items ...engine.ItemInput) {
		t.Helper()
		n, f, err := m.AddItems(list, items)
		if err != nil || len(f) > 0 || n != len(items) {
			t.Fatalf("add to %s: %d %v %v", list, n, f, err)
		}
	}
	parent := func(p string) *string { return &p }
	add(regions, engine.ItemInput{Name: "North"}, engine.ItemInput{Name: "South"})
	add(stores, engine.ItemInput{Code: "S1", Name: "One", Parent: parent("North")},
		engine.ItemInput{Code: "S2", Name: "Two", Parent: parent("North"), Properties: map[string]string{"Floor": "12.5"}},
		engine.ItemInput{Code: "S3", Name: "Three", Parent: parent("South")})
	add(quarters, engine.ItemInput{Name: "Q1"}, engine.ItemInput{Name: "Q2"})
	return m
}

func cell(li, store, quarter string, v any) engine.CellInput {
	return engine.CellInput{LineItemName: li, Value: v, Dimensions: []engine.CellDimension{
		{DimensionName: "Stores", ItemCode: store}, {DimensionName: "Quarters", ItemName: quarter}}}
}

func viewCSV(t *testing.T, m *engine.Model, pages ...engine.PageSelector) string {
	t.Helper()
	var b bytes.Buffer
	if err := m.ReadView(sales, pages, func(g *engine.ViewGrid) error { return g.WriteCSV(&b, false) }); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteCellsAndReadTheViewByPage(t *testing.T) {
	m := storesModel(t)
	n, f, err := m.WriteCells(sales, []engine.CellInput{
		cell("Target", "S1", "Q1", 10.0), cell("Target", "S3", "Q2", "7"), cell("Owner", "S3", "Q2", "north"),
		cell("Region", "S1", "Q1", "South"), // formula
		cell("Target", "S9", "Q1", 1.0),     // unknown item
		{LineItemName: "Target", Value: 1.0, Dimensions: []engine.CellDimension{{DimensionName: "Stores", ItemName: "North"}, {DimensionName: "Quarters", ItemName: "Q1"}}},
		cell("Target", "S1", "Q1", true), // wrong format
		{LineItemName: "Target", Value: 1.0, Dimensions: []engine.CellDimension{{DimensionName: "Stores", ItemCode: "S1"}}},
	})
	if err != nil || n != 3 {
		t.Fatalf("written %d, %v", n, err)
	}
	var got []string
	for _, x := range f {
		got = append(got, fmt.Sprintf("%d:%s", x.RequestIndex, x.FailureType))
	}
	if want := "3:NOT_WRITABLE 4:Not found 5:NOT_WRITABLE 6:INCORRECT_FORMAT 7:INCOMPLETE_DATA"; strings.Join(got, " ") != want {
		t.Errorf("failures %q, want %q (%v)", strings.Join(got, " "), want, f)
	}
	if got := viewCSV(t, m); got != "Q1\r\n,Target,Region,Owner\r\nOne,10,North,\r\nTwo,0,North,\r\nThree,0,South,\r\n" {
		t.Errorf("page Q1:\n%s", got)
	}
	q2 := itemOf(t, m, quarters, "Q2")
	if got := viewCSV(t, m, engine.PageSelector{DimensionID: quarters, ItemID: q2}); !strings.Contains(got, "Three,7,South,North\r\n") {
		t.Errorf("page Q2:\n%s", got)
	}
	err = m.ReadView(sales, []engine.PageSelector{{DimensionID: stores, ItemID: q2}}, func(*engine.ViewGrid) error { return nil })
	if !errors.Is(err, engine.ErrBadPage) {
		t.Errorf("selector on the row dimension: %v", err)
	}
}

func itemOf(t *testing.T, m *engine.Model, list, name string) string {
	t.Helper()
	items, err := m.DimensionItems(list)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Name == name {
			return it.ID
		}
	}
	t.Fatalf("no item %q", name)
	return ""
}

// Deleting items renumbers every structure that holds item ordinals:
// later items keep their cells, children and list-formatted cells lose
// the deleted item.
func TestDeleteItemsKeepsCellsAndReferencesRight(t *testing.T) {
	m := storesModel(t)
	if _, f, err := m.WriteCells(sales, []engine.CellInput{
		cell("Target", "S2", "Q1", 2.0), cell("Target", "S3", "Q1", 3.0), cell("Owner", "S3", "Q1", "North"), cell("Owner", "S2", "Q1", "South"),
	}); err != nil || f != nil {
		t.Fatal(f, err)
	}
	if n, f, err := m.DeleteItems(stores, []engine.ItemInput{{Code: "S1"}, {Code: "S1"}}); n != 1 || len(f) != 1 || err != nil {
		t.Fatalf("delete S1: %d %v %v", n, f, err)
	}
	if n, _, err := m.DeleteItems(regions, []engine.ItemInput{{Name: "North"}}); n != 1 || err != nil {
		t.Fatal(n, err)
	}
	if got := viewCSV(t, m); got != "Q1\r\n,Target,Region,Owner\r\nTwo,2,,South\r\nThree,3,South,\r\n" {
		t.Errorf("after deletes:\n%s", got)
	}
	items, _, _ := m.ListItemsPage(stores, 0, -1)
	if len(items) != 2 || items[0].Parent != "" || items[0].Properties["Floor"] != "12.5" || items[1].Parent != "South" {
		t.Errorf("stores after deletes: %+v", items)
	}
	// Added items after a delete get new ids and lookups still work.
	if n, _, _ := m.AddItems(stores, []engine.ItemInput{{Code: "S4", Name: "Four"}}); n != 1 {
		t.Fatal("add after delete")
	}
	if n, f, _ := m.WriteCells(sales, []engine.CellInput{cell("Target", "S4", "Q1", 4.0)}); n != 1 {
		t.Fatal(f)
	}
	if got := viewCSV(t, m); !strings.HasSuffix(got, "Four,4,,\r\n") {
		t.Errorf("after add:\n%s", got)
	}
	if err := m.ResetIndex(stores); !errors.Is(err, engine.ErrListNotEmpty) {
		t.Errorf("reset of a list with items: %v", err)
	}
}

func TestTabularPagesCoverEveryCombination(t *testing.T) {
	m := storesModel(t)
	rows, err := m.ViewRowCount(sales)
	if err != nil || rows != 6 {
		t.Fatalf("rows %d %v", rows, err)
	}
	var all bytes.Buffer
	for lo := 0; lo < rows; lo += 4 {
		var page bytes.Buffer
		if err := m.WriteViewTabularCSV(&page, sales, lo, lo+4, false); err != nil {
			t.Fatal(err)
		}
		header, body, _ := strings.Cut(page.String(), "\r\n")
		if header != "Stores,Quarters,Target,Region,Owner" {
			t.Fatalf("header %q", header)
		}
		all.WriteString(body)
	}
	want := "One,Q1,0,North,\r\nOne,Q2,0,North,\r\nTwo,Q1,0,North,\r\nTwo,Q2,0,North,\r\nThree,Q1,0,South,\r\nThree,Q2,0,South,\r\n"
	if all.String() != want {
		t.Errorf("pages:\n%s\nwant:\n%s", all.String(), want)
	}
	var esc bytes.Buffer
	if err := m.WriteListCSV(&esc, stores, 0, 1, true); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(esc.String(), `"id","name","code","parent","parentId","Floor"`+"\r\n"+`"201000000001","One","S1","North","200000000001","0.0"`) {
		t.Errorf("escaped list CSV %q", esc.String())
	}
}

func TestViewOverAMillionCellsIsRefused(t *testing.T) {
	m := storesModel(t)
	// 3 line items × 333,334 stores is over 1,000,000 cells.
	batch := make([]engine.ItemInput, 0, engine.MaxItemsPerCall)
	for i := 3; i < 333_334; i++ {
		batch = append(batch, engine.ItemInput{Code: fmt.Sprint("X", i)})
		if len(batch) == engine.MaxItemsPerCall || i == 333_333 {
			if _, f, err := m.AddItems(stores, batch); err != nil || f != nil {
				t.Fatal(err, f)
			}
			batch = batch[:0]
		}
	}
	err := m.ReadView(sales, nil, func(*engine.ViewGrid) error { return nil })
	if !errors.Is(err, engine.ErrTooMany) || !strings.Contains(err.Error(), "readRequests") {
		t.Errorf("1,000,002 cells: %v", err)
	}
	if _, _, err := m.AddItems(stores, make([]engine.ItemInput, engine.MaxItemsPerCall+1)); !errors.Is(err, engine.ErrTooMany) {
		t.Errorf("100,001 items: %v", err)
	}
}

// A streamed read holds the model's lock only while it renders a chunk:
// a write made between chunks (as a slow client's wait lets other
// requests in) neither deadlocks nor corrupts the read. Were the lock
// held across flush, the AddItems below would never return.
func TestStreamedReadsReleaseTheLockBetweenChunks(t *testing.T) {
	m := storesModel(t)
	batch := make([]engine.ItemInput, 10_000)
	for i := range batch {
		batch[i] = engine.ItemInput{Code: fmt.Sprint("B", i)}
	}
	if _, f, err := m.AddItems(stores, batch); err != nil || f != nil {
		t.Fatal(err, f)
	}
	var rows, flushes int
	err := m.ReadView(sales, nil, func(g *engine.ViewGrid) error {
		return g.EachRow(func(string, []string) error { rows++; return nil }, func() error {
			flushes++
			_, _, err := m.AddItems(regions, []engine.ItemInput{{Name: fmt.Sprint("R", flushes)}})
			return err
		})
	})
	if err != nil || rows != 10_003 || flushes < 2 {
		t.Errorf("rows %d, flushes %d, %v", rows, flushes, err)
	}
	var page bytes.Buffer
	if err := m.WriteListCSV(&page, stores, 0, 10_003, false); err != nil || strings.Count(page.String(), "\r\n") != 10_004 {
		t.Errorf("list CSV: %d lines, %v", strings.Count(page.String(), "\r\n"), err)
	}
}
