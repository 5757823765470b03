package anaplan

import (
	"encoding/json"
	"fmt"
	"testing"
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
