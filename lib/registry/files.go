package registry

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The file names WriteFiles writes into its directory.
const (
	WorkspacesFile = "workspaces.csv"
	ModelsFile     = "models.csv"
	RegistryFile   = "registry.csv"
	FamiliesFile   = "families.csv"
	HygieneFile    = "hygiene.csv"
)

// Files are the paths WriteFiles wrote.
type Files struct {
	Workspaces string `json:"workspaces"`
	Models     string `json:"models"`
	Registry   string `json:"registry"`
	Families   string `json:"families"` // the organisation (organisecsv.go)
	Hygiene    string `json:"hygiene"`
}

// WriteFiles writes workspaces.csv, models.csv, registry.csv, families.csv
// and hygiene.csv into dir, creating dir if needed: all five or none. Each
// file is written to a temporary file in dir; only when all are complete,
// and every target is a file that can be replaced, are they renamed into
// place, and if one rename fails the files already replaced get their
// previous content back. Temporary files a killed run left in dir are
// removed. The organisation is Organise's last, else the built-in rules by
// name.
func (r *Registry) WriteFiles(dir string) (Files, error) {
	if dir == "" {
		return Files{}, errors.New("registry: no output directory given")
	}
	files := Files{
		Workspaces: filepath.Join(dir, WorkspacesFile),
		Models:     filepath.Join(dir, ModelsFile),
		Registry:   filepath.Join(dir, RegistryFile),
		Families:   filepath.Join(dir, FamiliesFile),
		Hygiene:    filepath.Join(dir, HygieneFile),
	}
	err := writeAllOrNone(dir, []output{
		{files.Workspaces, r.WriteWorkspacesCSV},
		{files.Models, r.WriteModelsCSV},
		{files.Registry, r.WriteRegistryCSV},
		{files.Families, r.WriteFamiliesCSV},
		{files.Hygiene, r.WriteHygieneCSV},
	})
	if err != nil {
		return Files{}, err
	}
	return files, nil
}

// output is one file to write: its final path and what goes in it.
type output struct {
	path  string
	write func(io.Writer) error
}

// writeAllOrNone writes every output into dir (created if needed) through
// temporary files, then replaces them all, or none.
func writeAllOrNone(dir string, outputs []output) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create output directory %s: %w", dir, err)
	}
	paths := make([]string, len(outputs))
	for i, o := range outputs {
		paths[i] = o.path
	}
	if err := checkTargets(paths...); err != nil {
		return err // before writing hundreds of MB that could not be moved into place
	}
	run, err := startTempRun(dir)
	if err != nil {
		return err
	}
	targets := make([]replacement, 0, len(outputs))
	defer func() {
		for _, t := range targets {
			t.temp.discard() // no-op for the renamed ones: their temp name is gone
		}
		run.end()
	}()
	for _, o := range outputs {
		tmp, err := run.writeTemp(filepath.Base(o.path), o.write)
		if err != nil {
			return err
		}
		targets = append(targets, replacement{final: o.path, temp: tmp})
	}
	return run.replaceAll(targets)
}
