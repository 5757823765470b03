package emulator_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/anaplan-registry/toolkit/lib/emulator/openapidocs"
)

// specsDir finds the community OpenAPI documents (openapidocs): in
// ../shared/anaplan-openapi beside the module root, else in the module's
// cache of the pinned commit, which `go run ./scripts/testall` fills.
// Missing documents fail the test with one line saying how to get them:
// a contract test that skips proves nothing.
func specsDir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := openapidocs.ModuleRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := openapidocs.Locate(root)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// loadedSpecs caches the parsed, patched documents for all tests.
var loadedSpecs struct {
	once              sync.Once
	auth, integration *openapi3.T
	err               error
}

// specs returns the authentication and integration documents, patched
// where anaplan-api.md shows them wrong (see patchAuthSpec and
// patchIntegrationSpec). Callers must not modify them.
func specs(t testing.TB) (auth, integration *openapi3.T) {
	t.Helper()
	dir := specsDir(t)
	loadedSpecs.once.Do(func() {
		load := func(name string) *openapi3.T {
			if loadedSpecs.err != nil {
				return nil
			}
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromFile(filepath.Join(dir, name))
			if err != nil {
				loadedSpecs.err = err
				return nil
			}
			if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
				loadedSpecs.err = err
			}
			return doc
		}
		loadedSpecs.auth = load(openapidocs.Authentication)
		loadedSpecs.integration = load(openapidocs.Integration)
		if loadedSpecs.err == nil {
			patchAuthSpec(loadedSpecs.auth)
			patchIntegrationSpec(loadedSpecs.integration)
		}
	})
	if loadedSpecs.err != nil {
		t.Fatalf("loading OpenAPI documents from %s: %v", dir, loadedSpecs.err)
	}
	return loadedSpecs.auth, loadedSpecs.integration
}

// errorResponse is a response whose body is the given error schema.
func errorResponse(description string, schema *openapi3.SchemaRef) *openapi3.ResponseRef {
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().
		WithDescription(description).
		WithContent(openapi3.NewContentWithJSONSchemaRef(schema))}
}

// patchAuthSpec corrects the authentication document where
// anaplan-api.md shows it incomplete. Each patch narrows or documents;
// none loosens a check without saying why.
func patchAuthSpec(doc *openapi3.T) {
	schemas := doc.Components.Schemas
	errRef := &openapi3.SchemaRef{Ref: "#/components/schemas/ErrorResponse", Value: schemas["ErrorResponse"].Value}

	// §2.1: POST /token/authenticate answers 400 FAILURE_BAD_HEADER for a
	// malformed Authorization header (OAS-auth live); the document lists
	// only 201 and 401.
	auth := doc.Paths.Find("/token/authenticate").Post
	auth.Responses.Set("400", errorResponse("Malformed Authorization header", errRef))

	// §1, §2.1: meta.validationUrl points at the auth host the client
	// used; the document pins it to https://auth.anaplan.com, one region
	// of many. Keep the check on the path, not the host.
	v := schemas["ValidationUrl"].Value.Properties["validationUrl"].Value
	v.Enum = nil
	v.Pattern = `^https?://[^/]+/token/validate$`
}

// patchIntegrationSpec corrects the integration document where
// anaplan-api.md shows it wrong or incomplete.
func patchIntegrationSpec(doc *openapi3.T) {
	schemas := doc.Components.Schemas
	errRef := &openapi3.SchemaRef{Ref: "#/components/schemas/ErrorResponse", Value: schemas["ErrorResponse"].Value}

	patchBulkSpec(doc) // §5, in bulkspec_test.go

	// §4: activeState also takes ACTIVE (SDK); the document's enum lacks it.
	state := schemas["Model"].Value.Properties["activeState"].Value
	state.Enum = append(state.Enum, "ACTIVE")

	// §4 (H:me): lastLoginDate is written "2017-09-07T08:05:37.000+0000",
	// which is not RFC 3339 ("+00:00"), so format date-time rejects every
	// real value. Check Anaplan's actual layout instead.
	login := schemas["User"].Value.Properties["lastLoginDate"].Value
	login.Format = ""
	login.Pattern = `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$`

	// The User.email pattern is escaped twice in the JSON ("\\\\."), so it
	// demands a literal backslash before every dot and rejects every real
	// address, including the reference's own "a.user@acme.com" (§2.4).
	// Apply the pattern its authors meant.
	email := schemas["User"].Value.Properties["email"].Value
	email.Pattern = strings.ReplaceAll(email.Pattern, `\\`, `\`)
	regexp.MustCompile(email.Pattern) // still a valid pattern
	patchTxnSpec(doc)

	// §3: every Integration API error carries the error envelope
	// {"status":{code,message},"path","timestamp"}: 400 for bad paging or
	// sort parameters, 401 for a missing or dead token (body UNVERIFIED,
	// "assume same envelope"), 404 for unknown IDs. The document lists
	// few of these; add them to the operations the emulator serves.
	list := []string{"/models", "/workspaces", "/workspaces/{workspaceId}/models"}
	single := []string{"/models/{modelId}", "/workspaces/{workspaceId}", "/workspaces/{workspaceId}/models"}
	for _, p := range []string{"/users/me", "/models", "/models/{modelId}", "/workspaces", "/workspaces/{workspaceId}", "/workspaces/{workspaceId}/models"} {
		op := doc.Paths.Find(p).Get
		op.Responses.Set("401", errorResponse("Missing, expired or revoked token", errRef))
		if contains(list, p) {
			op.Responses.Set("400", errorResponse("Invalid offset, limit or sort", errRef))
		}
		if contains(single, p) {
			op.Responses.Set("404", errorResponse("Unknown ID", errRef))
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
