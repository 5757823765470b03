package engine_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// registryFiles serves the Model Registry's uploads by file id.
func registryFiles(workspaces, models string) func(string) (io.Reader, error) {
	return func(fileID string) (io.Reader, error) {
		switch fileID {
		case "113000000000":
			return strings.NewReader(workspaces), nil
		case "113000000001":
			return strings.NewReader(models), nil
		}
		return nil, errors.New("no such upload")
	}
}

func TestProcessRunsImportsInOrder(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	var fractions []float64
	res, err := m.RunProcess(context.Background(), processID(t, m, engine.RegistryProcessLoad),
		registryFiles(registryWorkspaces, registryModels), func(f float64) { fractions = append(fractions, f) })
	if err != nil {
		t.Fatal(err)
	}
	if !res.Successful || res.FailureDumpAvailable || res.ObjectID != "118000000000" || res.ObjectName != engine.RegistryProcessLoad {
		t.Errorf("process result = %+v", res)
	}
	var nested []string
	for _, r := range res.NestedResults {
		nested = append(nested, r.ObjectID+" "+r.Details[0].LocalMessageText)
	}
	diff(t, "nested results", nested, []string{
		"112000000000 W1 Workspaces: 5 (5/0) rows successful, 0 ignored ",
		"112000000001 W2 Models: 3 (3/0) rows successful, 0 ignored ",
		"112000000002 W1 Workspace Register: 5 rows successful, 0 ignored ",
		"112000000003 W2 Model Register: 3 rows successful, 0 ignored ",
	})
	if res.RowsProcessed != 16 || res.RowsSucceeded != 16 {
		t.Errorf("rows processed/succeeded = %d/%d, want 16/16", res.RowsProcessed, res.RowsSucceeded)
	}
	if len(fractions) == 0 || fractions[len(fractions)-1] != 1 {
		t.Errorf("progress = %v, want it to end at 1", fractions)
	}
	for i := 1; i < len(fractions); i++ {
		if fractions[i] < fractions[i-1] {
			t.Errorf("progress went back: %v", fractions)
		}
	}
	// The JSON is Anaplan's nested shape: the process carries no details.
	js := jsonOf(t, res)
	if !strings.HasPrefix(js, `{"successful":true,"failureDumpAvailable":false,"objectId":"118000000000","objectName":"Load Model Registry","nestedResults":[{"successful":true,`) {
		t.Errorf("process JSON = %s", js)
	}
	rows := moduleRows(t, m, "W2 Model Register")
	if len(rows) != 3 || rows[2].Values[0] != "Zürich 東京 ✓" {
		t.Errorf("W2 Model Register after the process = %q", rows)
	}
}

// A failing row inside a process marks its action and the process
// unsuccessful, with the dump on the action's nested result.
func TestProcessWithFailedRows(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	// The third model spans lines 4-5 (a newline in its name): BAD0 is on line 6.
	models := registryModels + "BAD0,Orphan,nowhere,1\n"
	res, err := m.RunProcess(context.Background(), processID(t, m, engine.RegistryProcessLoad), registryFiles(registryWorkspaces, models), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Successful || !res.FailureDumpAvailable {
		t.Errorf("process successful=%v failureDumpAvailable=%v, want false/true", res.Successful, res.FailureDumpAvailable)
	}
	var dumps []string
	for _, r := range res.NestedResults {
		if r.FailureDumpAvailable {
			dumps = append(dumps, r.ObjectID+": "+string(bytes.TrimSpace(r.Dump)))
		}
	}
	diff(t, "dumps", dumps, []string{
		"112000000001: _Status_,Code,Name,Workspace,currentSize,_Line_,_Error_1_\n" +
			"E,BAD0,Orphan,nowhere,1,6,Invalid parent: Item not located in W1 Workspaces list: nowhere",
		"112000000003: _Status_,Code,Name,Workspace,currentSize,_Line_,_Error_1_\n" +
			"E,BAD0,Orphan,nowhere,1,6,Item not located in W2 Models list: BAD0",
	})
}

// An upload that cannot be opened fails the process and leaves the model
// as it was, including what earlier actions had loaded.
func TestProcessErrorRollsBack(t *testing.T) {
	t.Parallel()
	m := engine.ModelRegistry()
	open := func(fileID string) (io.Reader, error) {
		if fileID == "113000000001" {
			return nil, errors.New("models.csv was never uploaded")
		}
		return strings.NewReader(registryWorkspaces), nil
	}
	_, err := m.RunProcess(context.Background(), processID(t, m, engine.RegistryProcessLoad), open, nil)
	if err == nil || !strings.Contains(err.Error(), "models.csv was never uploaded") {
		t.Fatalf("err = %v", err)
	}
	if n := len(listItems(t, m, "W1 Workspaces")); n != 0 {
		t.Errorf("W1 Workspaces has %d items after a failed process, want 0", n)
	}
	if _, err := m.RunProcess(context.Background(), "118000000009", open, nil); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("unknown process: err = %v, want ErrNotFound", err)
	}
}
