package engine

import (
	"errors"
	"sync"
	"sync/atomic"
)

// ErrNotFound is wrapped by errors for an ID the model does not have, so the
// HTTP layer can answer 404.
var ErrNotFound = errors.New("not found")

// Model is one model: its definition (immutable after New) and its data
// (list items and cells). It is safe for concurrent use. Imports, exports
// and processes run one at a time, like Anaplan's model lock; Busy reports
// whether one is running so the HTTP layer can answer 409 instead of
// waiting. Reads wait for a running import to finish, so they never see
// half an import.
type Model struct {
	name      string
	lists     []*list
	modules   []*module
	files     []*file
	imports   []*importAction
	exports   []*export
	processes []*process
	lineItems []*lineItem // all, in ID order

	run  sync.Mutex   // the model lock: one import, export or process at a time
	busy atomic.Int32 // runs holding or waiting for the model lock
	mu   sync.RWMutex // guards list items and cells
}

type file struct {
	idx          int
	id           int64
	name         string
	headers      []string
	separator    rune
	encoding     string // "UTF-8" or "ISO-8859-1"
	headerRow    int
	firstDataRow int
}

type importAction struct {
	idx    int
	id     int64
	name   string
	kind   string // HIERARCHY_DATA or MODULE_DATA
	file   *file
	list   *list
	module *module

	// HIERARCHY_DATA: source column names ("" when unmapped).
	codeCol, nameCol, parentCol string
	propCols                    []propMapping
	// MODULE_DATA: one column per module dimension, in dimension order.
	dimCols  []string
	itemCols []lineItemMapping
}

type propMapping struct {
	prop   *property
	column string
}

type lineItemMapping struct {
	lineItem *lineItem
	column   string
}

type export struct {
	idx          int
	id           int64
	name         string
	module       *module
	includeCodes bool
}

type process struct {
	idx     int
	id      int64
	name    string
	actions []processAction
}

// processAction is one step of a process: exactly one of imp, exp is set.
type processAction struct {
	imp *importAction
	exp *export
}

// New builds a model from a definition, or returns a *DefinitionError
// listing every problem found.
func New(def Definition) (*Model, error) {
	b := builder{def: def, m: &Model{name: def.Name}}
	b.build()
	if len(b.problems) > 0 {
		return nil, &DefinitionError{Problems: b.problems}
	}
	return b.m, nil
}

// Name is the model's name from its definition.
func (m *Model) Name() string { return m.name }

// Busy reports whether an import, export or process is running (or
// waiting) on the model: the moment a real model would answer 409.
func (m *Model) Busy() bool { return m.busy.Load() > 0 }

// lock takes the model lock for a run and marks the model busy.
func (m *Model) lock() func() {
	m.busy.Add(1)
	m.run.Lock()
	return func() {
		m.run.Unlock()
		m.busy.Add(-1)
	}
}
