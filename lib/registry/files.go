package registry

import (
	"bufio"
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
	Workspaces, Models, Registry string
	Families, Hygiene            string // the organisation (organisecsv.go)
}

// WriteFiles writes workspaces.csv, models.csv, registry.csv, families.csv
// and hygiene.csv into dir, creating dir if needed. Each file is written
// to a temporary file in dir and renamed into place only after all were
// written, so a failure leaves the previous files untouched and no
// partial file behind. The organisation is Organise's last, else the
// built-in rules by name.
func (r *Registry) WriteFiles(dir string) (Files, error) {
	if dir == "" {
		return Files{}, errors.New("registry: no output directory given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, fmt.Errorf("cannot create output directory %s: %w", dir, err)
	}
	outputs := []struct {
		name  string
		write func(io.Writer) error
	}{
		{WorkspacesFile, r.WriteWorkspacesCSV},
		{ModelsFile, r.WriteModelsCSV},
		{RegistryFile, r.WriteRegistryCSV},
		{FamiliesFile, r.WriteFamiliesCSV},
		{HygieneFile, r.WriteHygieneCSV},
	}
	temps := make([]string, 0, len(outputs))
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, o := range outputs {
		tmp, err := writeTemp(dir, o.name, o.write)
		if err != nil {
			cleanup()
			return Files{}, err
		}
		temps = append(temps, tmp)
	}
	files := Files{
		Workspaces: filepath.Join(dir, WorkspacesFile),
		Models:     filepath.Join(dir, ModelsFile),
		Registry:   filepath.Join(dir, RegistryFile),
		Families:   filepath.Join(dir, FamiliesFile),
		Hygiene:    filepath.Join(dir, HygieneFile),
	}
	for i, final := range []string{files.Workspaces, files.Models, files.Registry, files.Families, files.Hygiene} {
		if err := os.Rename(temps[i], final); err != nil {
			cleanup()
			return Files{}, fmt.Errorf("cannot move %s into place: %w", final, err)
		}
	}
	return files, nil
}

// writeTemp writes one file's content to a new temporary file in dir,
// synced to disk, and returns its path.
func writeTemp(dir, name string, write func(io.Writer) error) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("cannot write to output directory %s: %w", dir, err)
	}
	buf := bufio.NewWriterSize(f, 256<<10)
	err = write(buf)
	if err == nil {
		err = buf.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing %s: %w", filepath.Join(dir, name), err)
	}
	return f.Name(), nil
}
