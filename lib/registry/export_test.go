package registry_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestRunExportShowsWhatTheImportsLoaded: after a load, the export of W2
// Model Register holds one row per model with its workspace's name, read
// as strings.
func TestRunExportShowsWhatTheImportsLoaded(t *testing.T) {
	t.Parallel()
	env := newLoadEnv(t)
	ctx := context.Background()
	if _, err := registry.Load(ctx, env.model(), env.files, registry.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	df, err := registry.RunExport(ctx, env.model(), "W2 Model Register.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"W2 Models", "Code", "Workspace", "Name", "Current Size"}; !slices.Equal(df.Names(), want) {
		t.Fatalf("columns %v, want %v", df.Names(), want)
	}
	if df.Nrow() != len(env.reg.Models) {
		t.Fatalf("%d rows, want one per model (%d)", df.Nrow(), len(env.reg.Models))
	}
	codes, workspaces := df.Col("Code").Records(), df.Col("Workspace").Records()
	for _, m := range env.reg.Models {
		i := slices.Index(codes, m.ID)
		ws, _ := env.reg.Workspace(m.CurrentWorkspaceID)
		if i < 0 || workspaces[i] != ws.Name {
			t.Errorf("model %s (%q): row %d, want it with workspace %q", m.ID, m.Name, i, ws.Name)
		}
	}
	if col := df.Col("Current Size"); col.Type() != "string" {
		t.Errorf("Current Size is read as %s, want string", col.Type())
	}
}

// TestRunExportOfAnEmptyModule: before any load the export has its header
// and no rows; that is an empty frame, not an error.
func TestRunExportOfAnEmptyModule(t *testing.T) {
	t.Parallel()
	env := newLoadEnv(t)
	df, err := registry.RunExport(context.Background(), env.model(), "W1 Workspace Register.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"W1 Workspaces", "Code", "Name", "Size Allowance", "Current Size"}; df.Nrow() != 0 || !slices.Equal(df.Names(), want) {
		t.Errorf("an export of an empty module reads as %d rows of %v, want no rows of %v", df.Nrow(), df.Names(), want)
	}
}

func TestRunExportUnknown(t *testing.T) {
	t.Parallel()
	env := newLoadEnv(t)
	_, err := registry.RunExport(context.Background(), env.model(), "No such export.csv")
	if err == nil || !strings.Contains(err.Error(), "No such export.csv") {
		t.Errorf("RunExport(unknown) = %v, want an error naming the export", err)
	}
}
