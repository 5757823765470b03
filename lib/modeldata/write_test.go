package modeldata_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/modeldata"
)

func TestItemsCSVLinesCountQuotedNewlines(t *testing.T) {
	t.Parallel()
	items, lines, err := modeldata.ItemsCSV(strings.NewReader("Code,Name,Parent,Region\nA,\"two\nlines\",P,North\nB,b,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || lines[0] != 2 || lines[1] != 4 {
		t.Fatalf("items %+v at lines %v, want 2 items at lines 2 and 4", items, lines)
	}
	if items[0].Name != "two\nlines" || items[0].Parent != "P" || items[0].Properties["Region"] != "North" {
		t.Errorf("item 0 = %+v", items[0])
	}
	if items[1].Parent != "" || items[1].Properties != nil {
		t.Errorf("item 1 sends empty cells: %+v", items[1])
	}
}

func TestCellsCSVNeedsLineItemAndValue(t *testing.T) {
	t.Parallel()
	if _, _, err := modeldata.CellsCSV(strings.NewReader("Region,Value\nUK,1\n"), modeldata.CellsOptions{}); err == nil || !strings.Contains(err.Error(), `"Line Item"`) {
		t.Errorf("error = %v, want one naming the missing Line Item column", err)
	}
	cells, _, err := modeldata.CellsCSV(strings.NewReader("Line Item,Region,Product,Value\nSales,UK,SKU1,12.5\n"), modeldata.CellsOptions{ByCode: true})
	if err != nil || len(cells) != 1 || len(cells[0].Dimensions) != 2 || cells[0].Dimensions[1].ItemCode != "SKU1" || cells[0].Value != "12.5" {
		t.Errorf("cells = %+v, %v", cells, err)
	}
}

// FuzzItemsCSV: any input is parsed or refused, never a panic, and every
// item has the line it came from, in increasing order.
func FuzzItemsCSV(f *testing.F) {
	f.Add("code,name\nA,a\n")
	f.Add("id\n\"x\ny\"\n1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		items, lines, err := modeldata.ItemsCSV(strings.NewReader(s))
		if err != nil {
			return
		}
		if len(items) != len(lines) {
			t.Fatalf("%d items, %d lines", len(items), len(lines))
		}
		for i := 1; i < len(lines); i++ {
			if lines[i] <= lines[i-1] {
				t.Fatalf("lines not increasing: %v", lines)
			}
		}
	})
}

func FuzzCellsCSV(f *testing.F) {
	f.Add("Line Item,Region,Value\nSales,UK,1\n")
	f.Add("value,line item\n")
	f.Fuzz(func(t *testing.T, s string) {
		cells, lines, err := modeldata.CellsCSV(strings.NewReader(s), modeldata.CellsOptions{})
		if err == nil && len(cells) != len(lines) {
			t.Fatalf("%d cells, %d lines", len(cells), len(lines))
		}
	})
}
