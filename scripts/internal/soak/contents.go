package soak

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// pollInterval is how often ModelContents polls its exports: it inspects
// an emulator, so Anaplan's 5-second advice does not apply.
const pollInterval = 100 * time.Millisecond

// RegisterExports are the Model Registry model's exports of its two
// register modules (with their list codes): what a load put in the model.
var RegisterExports = []string{"W1 Workspace Register.csv", "W2 Model Register.csv"}

// ModelContents reads what a load left in the emulator's Model Registry
// model: each import's task starts (the emulator counts them; read first,
// before anything else runs) and the register modules, exported and
// downloaded through the API, under the same faults, with the client's
// default retry policy.
func ModelContents(ctx context.Context, srv *emulator.Server) (map[string][]byte, map[string]int, error) {
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.AuthURL()), anaplan.WithAPIURL(srv.APIURL()), anaplan.WithPollInterval(pollInterval))
	if err != nil {
		return nil, nil, err
	}
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	imports, err := anaplan.Collect(m.ListImports(ctx))
	if err != nil {
		return nil, nil, err
	}
	starts := map[string]int{}
	for _, imp := range imports {
		starts[imp.Name] = srv.Emulator.TaskStarts(emulator.RegistryModelID, imp.ID)
	}
	files := map[string][]byte{}
	for _, name := range RegisterExports {
		exp, err := m.FindExport(ctx, name)
		if err != nil {
			return nil, nil, err
		}
		task, err := m.RunExport(ctx, exp.ID, anaplan.TaskOptions{})
		if err != nil {
			return nil, nil, err
		}
		if _, err := task.Wait(ctx, nil); err != nil {
			return nil, nil, fmt.Errorf("export %q: %w", name, err)
		}
		var b bytes.Buffer
		if _, err := m.Download(ctx, exp.ID, &b); err != nil {
			return nil, nil, err
		}
		files[name] = b.Bytes()
	}
	return files, starts, nil
}

// CompetingExports is another user of the Model Registry model: until ctx
// ends it runs the model's first register export, waits three times as
// long as the export took, and runs it again, so the model is busy about
// a quarter of the time and the flow's task starts meet 409 "model busy"
// now and then. A model busy all the time would starve any client: it
// would stop, rightly, with the 409 naming the task in its way. The
// other user's own failures do not matter: it only gets in the way.
func CompetingExports(ctx context.Context, srv *emulator.Server) {
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.AuthURL()), anaplan.WithAPIURL(srv.APIURL()), anaplan.WithPollInterval(pollInterval/4))
	if err != nil {
		return
	}
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	exp, err := m.FindExport(ctx, RegisterExports[0])
	if err != nil {
		return
	}
	for ctx.Err() == nil {
		start := time.Now()
		if task, err := m.RunExport(ctx, exp.ID, anaplan.TaskOptions{}); err == nil {
			// Let it finish (a cancel would only free the model sooner),
			// but not forever.
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			_, _ = task.Wait(wctx, nil)
			cancel()
		}
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Since(start)):
		}
	}
}

// ExportStartsRoute is the Stats key of export task starts: how often the
// competing user got the model.
const ExportStartsRoute = "POST /2/0/workspaces/{workspaceId}/models/{modelId}/exports/{exportId}/tasks"
