// Command models lists the tenant's models (or one workspace's) with their
// state, workspace, memory usage and dates.
//
//	go run ./scripts/models [-workspace ID] [-state STATE] [-sort +name] [-format table|csv|json]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("models", "Lists every model you can see, with state, workspace, memory usage and dates.", stderr)
	workspace := fs.String("workspace", "", "only the models of the workspace with this id")
	var state, sort string
	cli.ChoiceVar(fs, &state, "state", activeStates, "only models in this `activeState`")
	cli.SortVar(fs, &sort, "name", "activeState") // what /models sorts by (anaplan-api.md §3)
	format := cli.FormatFlag(fs)
	conn := cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	session, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()

	opts := anaplan.ListOptions{Details: true, Sort: sort}
	var seq iter.Seq2[anaplan.Model, error]
	if *workspace != "" {
		seq = session.Client.ListWorkspaceModels(ctx, *workspace, opts)
	} else {
		seq = session.Client.ListModels(ctx, opts)
	}
	var models []anaplan.Model
	for m, err := range seq {
		if errors.Is(err, anaplan.ErrNotFound) && *workspace != "" {
			return fmt.Errorf("workspace %s does not exist or you cannot see it (list them with go run ./scripts/workspaces)", *workspace)
		}
		if err != nil {
			return err
		}
		if state == "" || string(m.ActiveState) == state {
			models = append(models, m)
		}
	}
	return cli.Write(stdout, *format, table(*format, models), models)
}

// activeStates are the documented activeState values (anaplan-api.md §4),
// the choices of -state.
var activeStates = []string{
	string(anaplan.StateUnlocked), string(anaplan.StateActive), string(anaplan.StateProduction),
	string(anaplan.StateMaintenance), string(anaplan.StateProductionMaintenance),
	string(anaplan.StateArchived), string(anaplan.StateLocked),
}

func table(format cli.Format, models []anaplan.Model) registry.Table {
	csv := format == cli.FormatCSV
	t := registry.Table{Header: []string{"NAME", "STATE", "WORKSPACE", "SIZE", "CREATED", "MODIFIED", "ID"}}
	if csv {
		t.Header = []string{"id", "name", "activeState", "workspaceId", "workspaceName", "memoryUsage", "createdAt", "lastModified"}
	}
	for _, m := range models {
		if csv {
			t.Rows = append(t.Rows, []string{m.ID, m.Name, string(m.ActiveState), m.CurrentWorkspaceID, m.CurrentWorkspaceName,
				strconv.FormatInt(int64(m.MemoryUsage), 10), date(m.ISOCreationDate, time.RFC3339), date(m.LastModified, time.RFC3339)})
			continue
		}
		t.Rows = append(t.Rows, []string{m.Name, string(m.ActiveState), m.CurrentWorkspaceName,
			registry.HumanBytes(m.MemoryUsage), date(m.ISOCreationDate, time.DateOnly), date(m.LastModified, time.DateOnly), m.ID})
	}
	return t
}

func date(t anaplan.Timestamp, layout string) string {
	if t.Time.IsZero() {
		return t.Raw
	}
	return t.Time.UTC().Format(layout)
}
