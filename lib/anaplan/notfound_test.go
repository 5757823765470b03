package anaplan_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The demo tenant's restricted model and its workspace, on which the
// tests below give the test user the NO ACCESS role, as Anaplan would
// answer a user who may see the model but not open it.
var (
	restrictedModel     = emulator.DemoNoAccessModelID
	restrictedWorkspace = demoModelByID(emulator.DemoNoAccessModelID).WorkspaceID
)

func demoModelByID(id string) emulator.Model {
	for _, m := range emulator.Demo().Models {
		if m.ID == id {
			return m
		}
	}
	panic("no demo model " + id)
}

// restrictedHarness serves the demo tenant with the test user holding
// NO ACCESS on the restricted model.
func restrictedHarness(t *testing.T) *harness {
	f := newHarness(t)
	f.set(func(h *harness) {
		for i, m := range h.tenant.Models {
			if m.ID == restrictedModel {
				h.tenant.Models[i].NoAccessUserIDs = append(h.tenant.Models[i].NoAccessUserIDs, testUserID)
			}
		}
	})
	return f
}

// notFound asserts err is a 404 *APIError whose one line says what was
// asked, what Anaplan answered in quotes, and each of the hint's parts.
func notFound(t *testing.T, err error, asked string, hint ...string) *anaplan.APIError {
	t.Helper()
	var apiErr *anaplan.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, anaplan.ErrNotFound) {
		t.Fatalf("error %v, want a 404 *APIError", err)
	}
	msg := err.Error()
	for _, want := range append([]string{asked, `404 Not Found: "Not Found" — `}, hint...) {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans lines: %q", msg)
	}
	return apiErr
}

func TestNotFoundNamesTheUnknownWorkspace(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	_, err := anaplan.Collect(c.ListWorkspaceModels(t.Context(), "XYZ", anaplan.ListOptions{}))
	notFound(t, err, "GET "+f.url+"/2/0/workspaces/XYZ/models",
		"workspace XYZ does not exist or the user cannot see it", "scripts/workspaces")
}

func TestNotFoundNamesTheModelTheUserCannotOpen(t *testing.T) {
	t.Parallel()
	f := restrictedHarness(t)
	c, _ := f.client(t)
	m := c.Model(restrictedWorkspace, restrictedModel)
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"files (bulk API)": func() error { _, err := anaplan.Collect(m.ListFiles(ctx)); return err },
		"imports":          func() error { _, err := m.FindImport(ctx, "Employees"); return err },
		"lists (transactional API)": func() error {
			_, err := anaplan.Collect(m.ListLists(ctx))
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			notFound(t, call(), restrictedModel,
				"model "+restrictedModel+` ("HR Compensation Planning (Restricted)", PRODUCTION) in workspace `+restrictedWorkspace,
				": no access: ", "NO ACCESS role")
		})
	}
	// The probe is one GET of the model's metadata per failed call, which
	// Anaplan answers even to a user holding NO ACCESS.
	wantCount(t, f, "GET /2/0/models/"+restrictedModel, 3)
}

func TestNotFoundNamesTheModelsWorkspace(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	_, err := anaplan.Collect(c.Model(restrictedWorkspace, bulkModel).ListImports(t.Context()))
	notFound(t, err, "/workspaces/"+restrictedWorkspace+"/models/"+bulkModel+"/imports",
		"model "+bulkModel+` ("Model Registry") is in workspace `+bulkWS, "not in workspace "+restrictedWorkspace)
}

func TestNotFoundNamesTheUnknownModel(t *testing.T) {
	t.Parallel()
	f := newHarness(t)
	c, _ := f.client(t)
	const unknown = "00000000000000000000000000000000"
	_, err := anaplan.Collect(c.Model(bulkWS, unknown).ListFiles(t.Context()))
	notFound(t, err, "/models/"+unknown+"/files", "model "+unknown+" does not exist or the user cannot see it", "scripts/models")

	_, err = c.GetModel(t.Context(), unknown, anaplan.GetOptions{})
	notFound(t, err, "GET "+f.url+"/2/0/models/"+unknown, "model "+unknown+" does not exist or the user cannot see it")
	wantCount(t, f, "GET /2/0/models/"+unknown, 2) // one probe, and GetModel's own call: no probe of a probe
}

// A 404 deeper under a model, often an expected answer (a dump that
// expired, a file without content), costs no probe: its hint comes from
// the path and lists the causes.
func TestNotFoundDeeperUnderAModelIsExplainedFromThePath(t *testing.T) {
	t.Parallel()
	f := restrictedHarness(t)
	c, _ := f.client(t)
	m := c.Model(restrictedWorkspace, restrictedModel)
	_, err := m.Download(t.Context(), "113000000000", io.Discard)
	notFound(t, err, "/files/113000000000", "file 113000000000 of model "+restrictedModel+" in workspace "+restrictedWorkspace,
		"does not exist", "NO ACCESS role")
	_, err = m.Task(anaplan.KindImport, "112000000001", "ABC").Status(t.Context())
	notFound(t, err, "/imports/112000000001/tasks/ABC", "import 112000000001, task ABC of model "+restrictedModel)
	wantCount(t, f, "GET /2/0/models/"+restrictedModel, 0)
}

// The probe is a single attempt: a server failing it leaves the hint
// from the path, without a retry's wait on the way to the error.
func TestNotFoundProbeIsOneAttempt(t *testing.T) {
	t.Parallel()
	f := restrictedHarness(t)
	f.answer("GET /2/0/models/"+restrictedModel, status(http.StatusServiceUnavailable))
	c, waits := f.client(t)
	_, err := anaplan.Collect(c.Model(restrictedWorkspace, restrictedModel).ListFiles(t.Context()))
	notFound(t, err, "/files", "files of model "+restrictedModel, "NO ACCESS role")
	wantCount(t, f, "GET /2/0/models/"+restrictedModel, 1)
	if len(waits.all()) != 0 {
		t.Errorf("waited %v: the probe was retried", waits.all())
	}
}
