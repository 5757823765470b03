package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// modelDefinitions is the repeatable -model MODELID=definition.json flag:
// tenant models that stand in for the user's own in the bulk API.
type modelDefinitions map[string]string

func (m modelDefinitions) String() string { return fmt.Sprint(map[string]string(m)) }

func (m modelDefinitions) Set(v string) error {
	id, path, ok := strings.Cut(v, "=")
	switch {
	case !ok || id == "" || path == "":
		return errors.New("want MODELID=path/to/definition.json")
	case m[id] != "":
		return fmt.Errorf("model %s given twice", id)
	}
	m[id] = path
	return nil
}

// load reads the definition files into opts.
func (m modelDefinitions) load(opts *emulator.Options) error {
	if len(m) == 0 {
		return nil
	}
	opts.ModelDefinitions = map[string][]byte{}
	for id, path := range m {
		data, err := readDefinition(path)
		if err != nil {
			return fmt.Errorf("-model %s=%s: %w", id, path, err)
		}
		opts.ModelDefinitions[id] = data
	}
	return nil
}

// maxDefinitionSize bounds a -model file: a model's lists, modules, files
// and imports are a few KB of JSON. A path naming a device, a pipe or a log
// by mistake is refused after reading one byte more, never read to its end.
const maxDefinitionSize = 16 << 20

// readDefinition reads a definition file up to maxDefinitionSize.
func readDefinition(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, errors.New("is a directory; name the definition file itself")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxDefinitionSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxDefinitionSize {
		return nil, fmt.Errorf("larger than %d MiB, the most a model definition can be; is it the right file?", maxDefinitionSize>>20)
	}
	return data, nil
}

// banner lists the stand-ins, one line each, for the tenant line.
func (m modelDefinitions) banner() string {
	var b strings.Builder
	for _, id := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "\n  model:     %s defined by %s", id, m[id])
	}
	return b.String()
}
