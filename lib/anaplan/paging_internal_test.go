package anaplan

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// modelsPageJSON is a page of n models with details, as Anaplan sends it.
func modelsPageJSON(n int) []byte {
	models := make([]map[string]any, n)
	for i := range models {
		models[i] = map[string]any{
			"id": fmt.Sprintf("%032X", i+1), "name": fmt.Sprintf("Model %05d", i), "activeState": "UNLOCKED",
			"currentWorkspaceId": fmt.Sprintf("%032x", i%7), "currentWorkspaceName": "Workspace",
			"modelUrl":    fmt.Sprintf("https://api.anaplan.com/anaplan/framework.jsp?selectedWorkspaceId=%032x&selectedModelId=%032X", i%7, i+1),
			"memoryUsage": 123456789 + i, "lastSavedSerialNumber": "2000023", "lastModifiedByUserGuid": "8a81b09d599f5c9a015a0f6b9f2d1234",
			"isoCreationDate": "2017-11-13T21:20:10.000+0000", "lastModified": "2019-10-16T20:40:16.552+0000",
			"categoryValues": []map[string]string{{"id": "1", "attribute": "Finance", "categoryId": "2", "categoryName": "Dept", "customerId": "3"}},
		}
	}
	b, _ := json.Marshal(map[string]any{
		"meta":   map[string]any{"schema": "https://api.anaplan.com/2/0/objects/model", "paging": map[string]int{"currentPageSize": n, "totalSize": n, "offset": 0}},
		"status": map[string]any{"code": 200, "message": "Success"},
		"models": models,
	})
	return b
}

// BenchmarkDecodeModelsPage measures decoding one full page (5000 models).
func BenchmarkDecodeModelsPage(b *testing.B) {
	data := modelsPageJSON(maxPageSize)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := decodePage[Model](data, "models"); err != nil {
			b.Fatal(err)
		}
	}
}

// decodePage decodes items one at a time; the result must be what decoding
// the whole array at once gives, and non-arrays must fail clearly.
func TestDecodePageMatchesWholeArrayDecoding(t *testing.T) {
	t.Parallel()
	data := modelsPageJSON(50)
	got, p, err := decodePage[Model](data, "models")
	if err != nil {
		t.Fatal(err)
	}
	var whole struct{ Models []Model }
	if err := json.Unmarshal(data, &whole); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, whole.Models) || p == nil || p.TotalSize != 50 {
		t.Errorf("decodePage gave %d models (paging %+v), want the %d json.Unmarshal gives, equal", len(got), p, len(whole.Models))
	}
	for _, tc := range []struct{ body, want string }{
		{`{"models":null}`, ""},
		{`{"models":[]}`, ""},
		{`{"models":{"id":"x"}}`, `decoding "models": json: cannot unmarshal object into Go value of type []anaplan.Model`},
		{`{"models":"x"}`, `decoding "models": json: cannot unmarshal string into Go value of type []anaplan.Model`},
		{`{"models":[{"id":1}]}`, `decoding "models": json: cannot unmarshal number`},
		{`{"models":[{"id":"x"},`, `decoding "models"`},
	} {
		items, _, err := decodePage[Model]([]byte(tc.body), "models")
		switch {
		case tc.want == "" && (err != nil || len(items) != 0):
			t.Errorf("decodePage(%s) = %v, %v; want no items, no error", tc.body, items, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("decodePage(%s) error = %v, want it to contain %q", tc.body, err, tc.want)
		}
	}
}

// Models listed together share one copy of the strings that repeat across
// them; their values do not change.
func TestListedModelsShareRepeatedStrings(t *testing.T) {
	t.Parallel()
	data := modelsPageJSON(20)
	items, _, err := decodePage[Model](data, "models")
	if err != nil {
		t.Fatal(err)
	}
	want := append([]Model(nil), items...)
	table := stringTable{}
	for i := range items {
		items[i].shareStrings(table.share)
	}
	if !reflect.DeepEqual(items, want) {
		t.Fatal("sharing strings changed a model")
	}
	same := func(a, b string) bool { return len(a) > 0 && unsafe.StringData(a) == unsafe.StringData(b) }
	a, b := items[0], items[7] // i%7 == 0: same workspace
	if !same(a.CurrentWorkspaceID, b.CurrentWorkspaceID) || !same(string(a.ActiveState), string(b.ActiveState)) ||
		!same(a.CategoryValues[0].CategoryName, b.CategoryValues[0].CategoryName) {
		t.Error("repeated strings are still separate copies")
	}
	if same(a.ID, b.ID) {
		t.Error("distinct IDs share memory")
	}
}
