package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// scopedModel guards every model-scoped route that later features add;
// this checks its masking rules directly until such a route exists.
func TestScopedModelMasksNoAccessAndWrongWorkspace(t *testing.T) {
	t.Parallel()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	demoUser, _ := e.store.user(DemoUserID)
	otherUser := e.store.users[1]
	noAccessWS := ""
	for _, m := range e.store.models {
		if m.ID == DemoNoAccessModelID {
			noAccessWS = m.WorkspaceID
		}
	}
	for _, tc := range []struct {
		name, workspace, model string
		user                   User
		want                   int
	}{
		{"registry model", "", RegistryModelID, demoUser, http.StatusOK},
		{"registry model in its workspace", RegistryWorkspaceID, RegistryModelID, demoUser, http.StatusOK},
		{"registry model in another workspace", noAccessWS, RegistryModelID, demoUser, http.StatusNotFound},
		{"no-access model", "", DemoNoAccessModelID, demoUser, http.StatusNotFound},
		{"no-access model in its workspace", noAccessWS, DemoNoAccessModelID, demoUser, http.StatusNotFound},
		{"no-access model for another user", "", DemoNoAccessModelID, otherUser, http.StatusOK},
		{"unknown model", "", "00000000000000000000000000000000", demoUser, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/2/0/models/"+tc.model+"/modules", nil)
			r = r.WithContext(context.WithValue(r.Context(), userKey{}, tc.user))
			r.SetPathValue("modelId", tc.model)
			if tc.workspace != "" {
				r.SetPathValue("workspaceId", tc.workspace)
			}
			w := httptest.NewRecorder()
			m, ok := e.scopedModel(w, r)
			got := http.StatusOK
			if !ok {
				got = w.Code
			}
			if got != tc.want || (ok && m.ID != tc.model) {
				t.Errorf("status %d (model %q), want %d", got, m.ID, tc.want)
			}
		})
	}
}
