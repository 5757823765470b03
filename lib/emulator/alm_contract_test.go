package emulator_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/getkin/kin-openapi/openapi3"
)

// demoModelID is the ID of the demo model with the given name.
func demoModelID(name string) string {
	for _, m := range emulator.Demo().Models {
		if m.Name == name {
			return m.ID
		}
	}
	panic("no demo model " + name)
}

// demoLatestRevision is the latest revision a demo source model created.
func demoLatestRevision(modelID string) string {
	id := ""
	for _, r := range emulator.Demo().Revisions {
		if r.ModelID == modelID {
			id = r.ID
		}
	}
	return id
}

// isALMPath reports whether a path belongs to the ALM document.
func isALMPath(p string) bool {
	return strings.Contains(p, "/alm/") || strings.HasSuffix(p, "/onlineStatus")
}

func almContractCases() []contractCase {
	const md = "/2/0/models/{modelId}"
	const (
		latest    = "GET " + md + "/alm/latestRevision"
		revisions = "GET " + md + "/alm/revisions"
		create    = "POST " + md + "/alm/revisions"
		applied   = "GET " + md + "/alm/revisions/{revisionId}/appliedToModels"
		syncable  = "GET " + md + "/alm/syncableRevisions"
		tasks     = "GET " + md + "/alm/syncTasks"
		start     = "POST " + md + "/alm/syncTasks"
		task      = "GET " + md + "/alm/syncTasks/{syncTaskId}"
		online    = "POST " + md + "/onlineStatus"
		onlinePut = "PUT " + md + "/onlineStatus"
	)
	dev, prod := demoModelID("Sales Capacity - DEV"), demoModelID("Sales Capacity")
	fpa := demoModelID("FP&A Planning - DEV")
	archived := demoModelID("Supply Planning 2023")
	m := func(id, rest string) string { return "/2/0/models/" + id + rest }
	prodLatest := ""
	for _, r := range emulator.Demo().Revisions {
		if r.ModelID == dev && strings.HasPrefix(r.Name, "Release 2") {
			prodLatest = r.ID
		}
	}
	syncBody := func(*contractEnv) string {
		return `{"sourceRevisionId":"` + demoLatestRevision(dev) + `","sourceModelId":"` + dev + `","targetRevisionId":"` + prodLatest + `"}`
	}
	body := func(s string) func(*contractEnv) string { return func(*contractEnv) string { return s } }
	return []contractCase{
		{route: latest, name: "source", method: "GET", path: m(fpa, "/alm/latestRevision"), status: 200},
		{route: latest, name: "none: key omitted", method: "GET", path: m(emulator.RegistryModelID, "/alm/latestRevision"), status: 200},
		{route: latest, name: "archived", method: "GET", path: m(archived, "/alm/latestRevision"), status: 422},
		{route: latest, name: "no access", method: "GET", path: m(emulator.DemoNoAccessModelID, "/alm/latestRevision"), status: 404},
		{route: revisions, name: "paged, sorted", method: "GET", path: m(dev, "/alm/revisions?limit=2&offset=1&sort=-createdOn"), status: 200},
		{route: revisions, name: "date filter", method: "GET", path: m(prod, "/alm/revisions?appliedAfter=2020-01-01&appliedBefore=2030-12-31"), status: 200},
		{route: revisions, name: "bad date", method: "GET", path: m(dev, "/alm/revisions?appliedAfter=yesterday"), status: 400},
		{route: create, name: "ok", method: "POST", path: m(demoModelID("Consolidation - DEV"), "/alm/revisions"),
			body: body(`{"name":"Release 2.0","description":"contract test"}`), status: 201},
		{route: create, name: "no name", method: "POST", path: m(dev, "/alm/revisions"), body: body(`{}`), status: 400},
		{route: create, name: "archived", method: "POST", path: m(archived, "/alm/revisions"), body: body(`{"name":"x"}`), status: 422},
		{route: applied, name: "source first", method: "GET", path: m(fpa, "/alm/revisions/"+demoLatestRevision(fpa)+"/appliedToModels"), status: 200},
		{route: applied, name: "not in this model", method: "GET", path: m(fpa, "/alm/revisions/"+demoLatestRevision(dev)+"/appliedToModels"), status: 404},
		{route: syncable, name: "two behind", method: "GET", path: m(prod, "/alm/syncableRevisions?sourceModelId="+dev), status: 200},
		{route: syncable, name: "no source", method: "GET", path: m(prod, "/alm/syncableRevisions"), status: 400},
		{route: tasks, name: "none: key omitted", method: "GET", path: m(prod, "/alm/syncTasks"), status: 200},
		{route: start, name: "ok", method: "POST", path: m(prod, "/alm/syncTasks"), body: syncBody, status: 201},
		{route: start, name: "missing fields", method: "POST", path: m(prod, "/alm/syncTasks"), body: body(`{"sourceModelId":"` + dev + `"}`), status: 400},
		{route: tasks, name: "after a start", method: "GET", path: m(prod, "/alm/syncTasks"), status: 200},
		{route: task, name: "unknown", method: "GET", path: m(prod, "/alm/syncTasks/0A1B2C3D4E5F0A1B2C3D4E5F0A1B2C3D"), status: 404},
		{route: online, name: "offline", method: "POST", path: m(fpa, "/onlineStatus"), body: body(`{"status":"offline"}`), status: 204},
		{route: online, name: "bad status", method: "POST", path: m(fpa, "/onlineStatus"), body: body(`{"status":"asleep"}`), status: 400},
		{route: onlinePut, name: "online", method: "PUT", path: m(fpa, "/onlineStatus"), body: body(`{"status":"online"}`), status: 204},
		{route: onlinePut, name: "archived", method: "PUT", path: m(archived, "/onlineStatus"), body: body(`{"status":"online"}`), status: 422},
	}
}

var loadedALMSpec struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// almSpec returns the ALM document, patched where anaplan-api.md §3 and
// §13 complete it: every error carries the Integration API's error
// envelope (the document gives 403/404 no body), archived models answer
// 422 on every ALM path (§13), and bad query parameters 400 as on every
// Anaplan list (§3).
func almSpec(t testing.TB) *openapi3.T {
	t.Helper()
	_, integration := specs(t)
	dir := specsDir(t)
	loadedALMSpec.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(dir, "alm-openapi.json"))
		if err == nil {
			err = doc.Validate(context.Background(), openapi3.DisableExamplesValidation())
		}
		if err != nil {
			loadedALMSpec.err = err
			return
		}
		errRef := &openapi3.SchemaRef{Value: integration.Components.Schemas["ErrorResponse"].Value}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				for _, code := range []string{"400", "403", "404", "422"} {
					ref := op.Responses.Value(code)
					desc := "Error"
					if ref != nil && ref.Value != nil && ref.Value.Description != nil {
						desc = *ref.Value.Description
					} else if code == "400" && !(method == "GET" && (strings.HasSuffix(path, "/revisions") || strings.HasSuffix(path, "/syncableRevisions"))) {
						continue
					}
					op.Responses.Set(code, errorResponse(desc, errRef))
				}
			}
		}
		loadedALMSpec.doc = doc
	})
	if loadedALMSpec.err != nil {
		t.Fatalf("loading alm-openapi.json from %s: %v", dir, loadedALMSpec.err)
	}
	return loadedALMSpec.doc
}
