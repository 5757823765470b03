package emulator_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// normalizePattern drops parameter names and one trailing slash, so
// "/models/{modelId}/imports/" and "/models/{m}/imports" compare equal.
func normalizePattern(p string) string {
	p = regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(p, "{}")
	return strings.TrimSuffix(p, "/")
}

func TestEveryDocumentedPathIsServed(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(specsDir(t), "integration-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	served := map[string]bool{}
	for _, r := range emulator.RoutesOf(e) {
		served[r.Method+" "+normalizePattern(r.Pattern)] = true
	}
	// Anaplan also serves these (anaplan-api.md §13), outside the document.
	extra := []string{"GET /workspaces/{w}/users", "GET /models/{m}/users", "GET /users/{u}/workspaces", "GET /users/{u}/models"}
	var want []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "delete", "patch":
				want = append(want, strings.ToUpper(method)+" "+path)
			}
		}
	}
	if len(want) < 90 {
		t.Fatalf("only %d operations in the document: wrong file?", len(want))
	}
	for _, op := range append(want, extra...) {
		method, path, _ := strings.Cut(op, " ")
		if !served[method+" "+normalizePattern("/2/0"+path)] {
			t.Errorf("%s /2/0%s is not served", method, path)
		}
	}
}

// sampleValues fill route parameters with objects of the demo Model
// Registry, so every model-scoped route reaches its handler's logic.
var sampleValues = map[string]string{
	"{workspaceId}": emulator.RegistryWorkspaceID, "{modelId}": emulator.RegistryModelID,
	"{listId}": listW2, "{moduleId}": moduleW2, "{viewId}": moduleW2, "{lineItemId}": liW2Name,
	"{dimensionId}": listW2, "{importId}": importModels, "{exportId}": exportModels,
	"{processId}": processLoad, "{fileId}": modelsFile, "{versionId}": "107000000002",
}

func fillPattern(pattern string) string {
	for k, v := range sampleValues {
		pattern = strings.ReplaceAll(pattern, k, v)
	}
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(pattern, "0")
}

func TestEveryModelRouteAnswersInBothForms(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	seedRegistry(t, h, tok)
	routes := emulator.RoutesOf(h.e)
	have := map[string]bool{}
	for _, r := range routes {
		have[r.Method+" "+r.Pattern] = true
	}
	checked := 0
	for _, r := range routes {
		other := otherFormKey(r.Method + " " + r.Pattern)
		if other == "" {
			continue
		}
		if !have[other] {
			t.Errorf("%s %s is served but not %s", r.Method, r.Pattern, other)
			continue
		}
		if !strings.HasPrefix(r.Pattern, wsForm) || r.Method == "" {
			continue
		}
		// Both forms answer the same status: reads and writes alike
		// reach the handler (bodies are empty, so writes answer 400,
		// 404 or 200 the same way in both forms). Read-only routes also
		// answer the same body, once the paths in it are aligned.
		_, short, _ := strings.Cut(other, " ")
		long := fillPattern(r.Pattern)
		shortPath := fillPattern(short)
		a := h.do(r.Method, long, "AnaplanAuthToken "+tok, "")
		b := h.do(r.Method, shortPath, "AnaplanAuthToken "+tok, "")
		if a.status != b.status {
			t.Errorf("%s: %s answers %d, %s answers %d (%s / %s)", r.Method, long, a.status, shortPath, b.status, a.body, b.body)
			continue
		}
		if a.status == http.StatusUnauthorized || a.status == http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d", r.Method, long, a.status)
		}
		if r.Method == "GET" && !strings.Contains(r.Pattern, "readRequests") {
			norm := func(resp response) string {
				s := strings.ReplaceAll(string(resp.body), long, shortPath)
				return regexp.MustCompile(`"timestamp":"[^"]*"|"creationTime":\d+`).ReplaceAllString(s, "")
			}
			if norm(a) != norm(b) {
				t.Errorf("GET %s and %s differ:\n%s\n%s", long, shortPath, a.body, b.body)
			}
		}
		checked++
	}
	if checked < 50 {
		t.Fatalf("checked %d model routes in both forms", checked)
	}
	// The bulk API through the short form: upload, run, poll.
	m := txnPath("")
	wantStatus(t, h.send("PUT", m+"/files/"+workspacesFile, tok, "application/octet-stream", strings.NewReader(workspacesCSV)), http.StatusNoContent)
	r := h.postJSON(m+"/imports/"+importWorkspaces+"/tasks", tok, `{"localeName":"en_US"}`)
	wantStatus(t, r, http.StatusOK)
	id := r.json(t)["task"].(map[string]any)["taskId"].(string)
	h.finish()
	task := h.get(m+"/imports/"+importWorkspaces+"/tasks/"+id, tok).json(t)["task"].(map[string]any)
	if task["taskState"] != "COMPLETE" || !slices.Contains([]any{true}, task["result"].(map[string]any)["successful"]) {
		t.Errorf("short-form import: %v", task)
	}
}
