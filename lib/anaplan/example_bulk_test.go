package anaplan_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// Example_bulkLoad loads the registry CSVs into the Model Registry model
// the way Anaplan wants it: upload each import's data source file, run the
// process that imports them, wait, and read the result (or the failure
// dump). It runs against the emulator; against Anaplan only the client's
// construction changes (and the poll interval stays at its 5 s default).
func Example_bulkLoad() {
	ctx := context.Background()
	e, err := emulator.New(emulator.Options{TaskDuration: 20 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"),
		anaplan.WithPollInterval(10*time.Millisecond)) // the emulator is fast; keep Anaplan's 5 s default
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close() // ends any authentication still running in the background
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)

	uploads := []struct{ importName, csv string }{
		{"W1 Workspaces from workspaces.csv", workspacesCSV},
		{"W2 Models from models.csv", modelsCSV},
	}
	for _, u := range uploads {
		imp, err := m.FindImport(ctx, u.importName)
		if err != nil {
			log.Fatal(err)
		}
		if _, err := m.Upload(ctx, imp.ImportDataSourceID, strings.NewReader(u.csv), anaplan.UploadOptions{}); err != nil {
			log.Fatal(err)
		}
	}

	proc, err := m.FindProcess(ctx, "Load Model Registry")
	if err != nil {
		log.Fatal(err)
	}
	task, err := m.RunProcess(ctx, proc.ID, anaplan.TaskOptions{})
	if err != nil {
		log.Fatal(err)
	}
	st, err := task.Wait(ctx, nil)
	var failed *anaplan.TaskError
	if errors.As(err, &failed) {
		fmt.Println(err)
		_ = task.Dump(ctx, os.Stdout) // the rejected rows, with _Error_1_
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range st.Result.NestedResults {
		fmt.Println(strings.TrimSpace(r.Details[0].LocalMessageText))
	}
	// Output:
	// W1 Workspaces: 2 (2/0) rows successful, 0 ignored
	// W2 Models: 3 (3/0) rows successful, 0 ignored
	// W1 Workspace Register: 2 rows successful, 0 ignored
	// W2 Model Register: 3 rows successful, 0 ignored
}
