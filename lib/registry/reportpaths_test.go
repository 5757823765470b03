package registry_test

import (
	"path/filepath"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
)

func TestLoadReportRelativeTo(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "work")
	inside := filepath.Join(dir, "dumps", "W2 Models from models.csv.dump.csv")
	outside := filepath.Join(t.TempDir(), "elsewhere.dump.csv")
	report := registry.LoadReport{Imports: []registry.ImportReport{
		{Name: "clean"},
		{Name: "inside", DumpPath: inside},
		{Name: "outside", DumpPath: outside},
	}}
	rel := report.RelativeTo(dir)
	for i, want := range []string{"", filepath.Join("dumps", "W2 Models from models.csv.dump.csv"), outside} {
		if got := rel.Imports[i].DumpPath; got != want {
			t.Errorf("%s: dump path %q, want %q", rel.Imports[i].Name, got, want)
		}
	}
	if report.Imports[1].DumpPath != inside {
		t.Errorf("RelativeTo changed the original report: %q", report.Imports[1].DumpPath)
	}
	if got := rel.Table().Rows[1][4]; got != filepath.Join("dumps", "W2 Models from models.csv.dump.csv") {
		t.Errorf("the table shows %q", got)
	}
}
