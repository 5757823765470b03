package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// DefaultTaskDuration is how long an import, export or process task takes
// on the emulator's clock when Options.TaskDuration is 0: long enough for a
// poller to see NOT_STARTED and IN_PROGRESS, short enough for a notebook.
const DefaultTaskDuration = time.Second

// bulk is the state of the bulk API (anaplan-api.md §5): per model with an
// engine, its files (chunk bytes on disk), tasks, dumps and the engine
// itself. The emulator's one state mutex (mu, shared with the auth
// service's sessions) guards it all; engine runs and disk transfers happen
// outside it.
type bulk struct {
	now      func() time.Time
	log      *slog.Logger
	duration time.Duration
	state    stateDir // Options.StateDir; "" keeps metadata in memory

	mu      *sync.Mutex // the emulator's state mutex, shared with store
	dataDir string      // chunk bytes, dumps, pre-run snapshots; made on first use
	tempDir bool        // dataDir is a temp dir that Close removes
	models  map[string]*bulkModel
	starts  map[string]int // "modelID/objectID" -> tasks started
	nextGen int64          // names the directory of each upload
	nextSeq int64          // numbers tasks, for deterministic task IDs
	closed  bool

	ctx     context.Context // ends running tasks on Close
	cancel  context.CancelFunc
	running sync.WaitGroup
}

// bulkModel is one tenant model that has an engine model.
type bulkModel struct {
	id     string
	engine *engine.Model
	files  map[string]*bulkFile
	order  []string // file IDs as GET …/files lists them
	tasks  map[string]*task
	// dumps maps an import or process ID to the task whose failure dump
	// is kept: Anaplan keeps one dump per import and user, replaced by the
	// next failing run and removed by the next clean one (H:dump).
	dumps map[string]string
}

// newBulk wires an engine model to each tenant model that has one: the
// definitions given (model ID -> definition JSON), and the embedded Model
// Registry for RegistryModelID unless overridden. It then reloads the
// state persisted in stateDir.
func newBulk(t *Tenant, opts Options, mu *sync.Mutex, state stateDir, now func() time.Time, log *slog.Logger) (*bulk, error) {
	if opts.TaskDuration < 0 {
		return nil, fmt.Errorf("emulator: task duration %v is negative", opts.TaskDuration)
	}
	b := &bulk{
		now:      now,
		log:      log,
		duration: opts.TaskDuration,
		state:    state,
		mu:       mu,
		models:   map[string]*bulkModel{},
		starts:   map[string]int{},
	}
	if b.duration == 0 {
		b.duration = DefaultTaskDuration
	}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	known := map[string]bool{}
	for _, m := range t.Models {
		known[m.ID] = true
	}
	defs := maps.Clone(opts.ModelDefinitions)
	if defs == nil {
		defs = map[string][]byte{}
	}
	if _, ok := defs[RegistryModelID]; !ok && known[RegistryModelID] {
		defs[RegistryModelID] = engine.ModelRegistryDefinition()
	}
	for _, id := range slices.Sorted(maps.Keys(defs)) {
		if !known[id] {
			return nil, fmt.Errorf("emulator: model definition for %q: the tenant has no model with that ID", id)
		}
		m, err := engine.Load(bytes.NewReader(defs[id]))
		if err != nil {
			return nil, fmt.Errorf("emulator: model definition for %s: %w", id, err)
		}
		b.models[id] = newBulkModel(id, m)
	}
	if state.enabled() {
		b.dataDir = filepath.Join(state.path, bulkDataDir)
		if err := b.load(); err != nil {
			return nil, fmt.Errorf("emulator: state dir %s: %w", state.path, err)
		}
	}
	return b, nil
}

func newBulkModel(id string, m *engine.Model) *bulkModel {
	bm := &bulkModel{id: id, engine: m, files: map[string]*bulkFile{}, tasks: map[string]*task{}, dumps: map[string]string{}}
	for _, f := range m.Files() {
		bm.addFile(&bulkFile{meta: f, export: isExportID(f.ID)})
	}
	return bm
}

// dir returns the data directory, creating it (or a temp dir when there is
// no StateDir) on first use, so an emulator that never sees an upload
// leaves nothing behind. The caller holds b.mu.
func (b *bulk) dir() (string, error) {
	if b.closed {
		return "", errors.New("emulator is closed")
	}
	if b.dataDir == "" {
		d, err := os.MkdirTemp("", "anaplan-emulator-*")
		if err != nil {
			return "", err
		}
		b.dataDir, b.tempDir = d, true
	}
	if err := os.MkdirAll(b.dataDir, 0o700); err != nil {
		return "", err
	}
	return b.dataDir, nil
}

// Close stops running tasks (rolling their changes back) and removes the
// temporary directory holding uploaded chunks when the emulator has no
// StateDir. With a StateDir, everything stays for the next New. Requests
// after Close that need the disk fail with 500. Close is idempotent.
func (e *Emulator) Close() error {
	b := e.bulk
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	b.running.Wait()
	defer e.state.release()
	if b.tempDir {
		return os.RemoveAll(b.dataDir)
	}
	return nil
}

// TaskStarts reports how many tasks were started (POST …/tasks answered
// 200) for an import, export, process or action of a model, for tests and
// soak runs that check a client did not run something twice. With a
// StateDir the count survives restarts.
func (e *Emulator) TaskStarts(modelID, objectID string) int {
	e.bulk.mu.Lock()
	defer e.bulk.mu.Unlock()
	return e.bulk.starts[modelID+"/"+objectID]
}

// Settle waits until every engine run started so far has finished. Runs
// take milliseconds of real time, outside the clock; a test that calls
// Settle before it advances Options.Now then sees exactly the states the
// timing model promises, without sleeping. Call it while no task is
// being started.
func (e *Emulator) Settle() { e.bulk.running.Wait() }

// model returns the bulk state of a model, or nil when the model has no
// engine (then it has no files, imports, exports or processes).
func (b *bulk) model(id string) *bulkModel {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.models[id]
}

func isExportID(id string) bool { return len(id) == 12 && id[:3] == "116" }
