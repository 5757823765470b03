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
)

// Files are the paths WriteFiles wrote.
type Files struct {
	Workspaces, Models, Registry string
}

// WriteFiles writes workspaces.csv, models.csv and registry.csv into dir,
// creating dir if needed: all three or none. Each file is written to a
// temporary file in dir; only when all three are complete, and every
// target is a file that can be replaced, are they renamed into place, and
// if one rename fails the files already replaced get their previous
// content back. Temporary files a killed run left in dir are removed.
func (r *Registry) WriteFiles(dir string) (Files, error) {
	if dir == "" {
		return Files{}, errors.New("registry: no output directory given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, fmt.Errorf("cannot create output directory %s: %w", dir, err)
	}
	files := Files{
		Workspaces: filepath.Join(dir, WorkspacesFile),
		Models:     filepath.Join(dir, ModelsFile),
		Registry:   filepath.Join(dir, RegistryFile),
	}
	outputs := []struct {
		path  string
		write func(io.Writer) error
	}{
		{files.Workspaces, r.WriteWorkspacesCSV},
		{files.Models, r.WriteModelsCSV},
		{files.Registry, r.WriteRegistryCSV},
	}
	if err := checkTargets(files.Workspaces, files.Models, files.Registry); err != nil {
		return Files{}, err // before writing hundreds of MB that could not be moved into place
	}
	run, err := startTempRun(dir)
	if err != nil {
		return Files{}, err
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
			return Files{}, err
		}
		targets = append(targets, replacement{final: o.path, temp: tmp})
	}
	if err := run.replaceAll(targets); err != nil {
		return Files{}, err
	}
	return files, nil
}
