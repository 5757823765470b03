package anaplan_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestUploadSurvivesLostAnswersToItsPOSTs: declaring an upload (POST
// …/files/{id}) and completing it (POST …/complete) do the same however
// often they are sent, so the client retries them like a chunk PUT. A
// gateway's 502 on the first and a dropped answer to the second (after
// the emulator completed the file) used to fail the whole load.
func TestUploadSurvivesLostAnswersToItsPOSTs(t *testing.T) {
	t.Parallel()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	var declared, completed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/files/") {
			if strings.HasSuffix(r.URL.Path, "/complete") {
				if completed.Add(1) == 1 {
					e.Handler().ServeHTTP(httptest.NewRecorder(), r) // the file is complete...
					conn, _, _ := http.NewResponseController(w).Hijack()
					conn.Close() // ...and the answer is lost
					return
				}
			} else if declared.Add(1) == 1 {
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			}
		}
		e.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var w waits
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithSleep(w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	src, err := m.FindFile(t.Context(), "models.csv")
	if err != nil {
		t.Fatal(err)
	}
	const content = "Code,Name,Workspace,currentSize\nM1,Model Registry,W1,125829120\n"
	if _, err := m.Upload(t.Context(), src.ID, strings.NewReader(content), anaplan.UploadOptions{}); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if declared.Load() != 2 || completed.Load() != 2 {
		t.Errorf("declared %d times and completed %d times, want 2 and 2 (one failure, one retry each)", declared.Load(), completed.Load())
	}
	var got bytes.Buffer
	if _, err := m.Download(context.Background(), src.ID, &got); err != nil || got.String() != content {
		t.Errorf("downloaded %q (%v), want the upload", got.String(), err)
	}
}
