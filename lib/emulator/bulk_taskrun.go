package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Running a task: the engine works in a goroutine on the uploaded chunks
// (read in order, never copied into one file or into memory); its result,
// failure dumps and export output are recorded when it returns. Imports
// and processes first save the model's data, so that a task cancelled
// even after the engine finished is rolled back, as Anaplan promises for
// CANCELLED ("the changes have been rolled back").

// run executes t and records its outcome.
func (b *bulk) run(ctx context.Context, bm *bulkModel, t *task) {
	defer b.running.Done()
	defer t.stop()
	res, failed, err := b.execute(ctx, bm, t)
	b.finish(bm, t, res, failed, err)
}

// execute runs the engine. failed means the task failed as a whole
// before the engine ran (a data source was never uploaded): res is then
// the result to report.
func (b *bulk) execute(ctx context.Context, bm *bulkModel, t *task) (res engine.Result, failed bool, err error) {
	progress := func(f float64) { t.frac.Store(math.Float64bits(f)) }
	if t.Kind == kindExport {
		_, res, err = bm.engine.RunExport(t.ObjectID)
		return res, false, err
	}
	sources, failure := b.acquireSources(bm, t)
	defer func() {
		for _, c := range sources {
			b.release(c)
		}
	}()
	if failure != nil {
		return *failure, true, nil
	}
	if err := b.savePre(bm, t); err != nil {
		return res, false, err
	}
	if t.Kind == kindImport {
		var rd *chunkReader
		for _, c := range sources { // an import reads one file
			rd = b.reader(c)
		}
		defer rd.Close()
		res, err = bm.engine.RunImport(ctx, t.ObjectID, rd, progress)
		return res, false, err
	}
	open := func(fileID string) (io.Reader, error) {
		c, ok := sources[fileID]
		if !ok {
			return nil, fmt.Errorf("file %s was not prepared", fileID)
		}
		return b.reader(c), nil
	}
	res, err = bm.engine.RunProcess(ctx, t.ObjectID, open, progress)
	return res, false, err
}

// reader reads content whose reference the task already holds.
func (b *bulk) reader(c *blob) *chunkReader {
	r := &chunkReader{size: c.size()}
	for i := range c.sizes {
		r.paths = append(r.paths, b.chunkPath(c.dir, i))
	}
	return r
}

// acquireSources takes a reference on the content of every file the
// import or process reads. A file without complete content fails the task:
// the emulator has no "default content" a model builder would have left
// in the file, so it says what to upload instead (the detail type
// importDataSourceMissing is the emulator's).
func (b *bulk) acquireSources(bm *bulkModel, t *task) (map[string]*blob, *engine.Result) {
	type step struct{ importID, importName, fileID string }
	var steps []step
	if t.Kind == kindImport {
		for _, imp := range bm.engine.Imports() {
			if imp.ID == t.ObjectID {
				steps = append(steps, step{imp.ID, imp.Name, imp.ImportDataSourceID})
			}
		}
	} else {
		md, _ := bm.engine.ProcessMetadata(t.ObjectID)
		for _, a := range md.Actions {
			if a.ImportDataSourceID != "" {
				steps = append(steps, step{a.ID, a.Name, a.ImportDataSourceID})
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	sources := map[string]*blob{}
	for _, s := range steps {
		f := bm.files[s.fileID]
		if f.content != nil {
			if sources[s.fileID] == nil {
				sources[s.fileID] = b.acquire(f.content)
			}
			continue
		}
		for _, c := range sources {
			b.releaseLocked(c)
		}
		msg := fmt.Sprintf("Import data source %s (%q) has no content: upload it first (POST …/files/%[1]s {\"chunkCount\":-1}, "+
			"PUT …/files/%[1]s/chunks/0…, POST …/files/%[1]s/complete; or PUT …/files/%[1]s)", s.fileID, f.meta.Name)
		if f.upload != nil {
			msg = fmt.Sprintf("The upload of import data source %s (%q) is not complete (chunkCount %d, %d chunks received): "+
				"upload the missing chunks, or POST …/files/%[1]s/complete", s.fileID, f.meta.Name, f.upload.declared, len(f.upload.sizes))
		}
		detail := engine.Detail{LocalMessageText: msg, Type: "importDataSourceMissing"}
		res := engine.Result{ObjectID: s.importID, ObjectName: s.importName, Details: []engine.Detail{detail}}
		if t.Kind == kindProcess {
			name, _ := objectName(bm.engine, kindProcess, t.ObjectID)
			res = engine.Result{ObjectID: t.ObjectID, ObjectName: name, Details: res.Details, NestedResults: []engine.Result{res}}
		}
		return nil, &res
	}
	return sources, nil
}

// savePre writes the model's data before an import or process runs.
func (b *bulk) savePre(bm *bulkModel, t *task) error {
	data, err := bm.engine.Snapshot()
	if err != nil {
		return err
	}
	b.mu.Lock()
	root, err := b.dir()
	b.mu.Unlock()
	if err != nil {
		return err
	}
	rel := filepath.Join("tasks", t.ID+".pre.json")
	if err := os.MkdirAll(filepath.Join(root, "tasks"), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, rel), data, 0o600); err != nil {
		return err
	}
	b.mu.Lock()
	t.Pre = rel
	b.mu.Unlock()
	return nil
}

// restorePre puts the model's data back as it was before t ran.
func (b *bulk) restorePre(bm *bulkModel, t *task) {
	b.mu.Lock()
	pre := t.Pre
	b.mu.Unlock()
	if pre == "" {
		return
	}
	data, err := os.ReadFile(filepath.Join(b.dataDir, pre))
	if err == nil {
		err = bm.engine.Restore(data)
	}
	if err != nil {
		b.log.Error("emulator: cannot roll back a cancelled task", "task", t.ID, "error", err)
		return
	}
	b.persistModel(bm)
}

// taskOutputs are the files a finished run wrote, not yet visible.
type taskOutputs struct {
	dumps   map[string]*dumpRecord // by object ID
	exports map[string]*blob       // by file ID (== export ID)
}

// writeOutputs writes the failure dumps and export output of a result
// (and of its nested results) to disk.
func (b *bulk) writeOutputs(bm *bulkModel, t *task, res engine.Result) (*taskOutputs, error) {
	out := &taskOutputs{dumps: map[string]*dumpRecord{}, exports: map[string]*blob{}}
	for _, r := range append([]engine.Result{res}, res.NestedResults...) {
		if r.Dump != nil {
			b.mu.Lock()
			root, err := b.dir()
			b.mu.Unlock()
			if err != nil {
				return out, err
			}
			rel := filepath.Join("dumps", bm.id, t.ID, r.ObjectID+".csv")
			if err := os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o700); err != nil {
				return out, err
			}
			if err := os.WriteFile(filepath.Join(root, rel), r.Dump, 0o600); err != nil {
				return out, err
			}
			out.dumps[r.ObjectID] = &dumpRecord{Path: rel, Size: int64(len(r.Dump))}
		}
		if r.Output != nil && isExportID(r.ObjectID) {
			b.mu.Lock()
			dir, err := b.newGenDir(bm.id, r.ObjectID)
			b.mu.Unlock()
			if err != nil {
				return out, err
			}
			sizes, err := writeChunks(filepath.Join(b.dataDir, dir), r.Output, serveChunkSize)
			out.exports[r.ObjectID] = &blob{dir: dir, sizes: sizes}
			if err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// discard removes outputs that will never be shown.
func (b *bulk) discard(out *taskOutputs) {
	if out == nil {
		return
	}
	for _, d := range out.dumps {
		b.removeFile(d.Path)
	}
	for _, c := range out.exports {
		b.removeDir(c.dir)
	}
}

// finish records the outcome of a run. A run that was cancelled, or
// whose outcome could not be recorded, is rolled back.
func (b *bulk) finish(bm *bulkModel, t *task, res engine.Result, failed bool, runErr error) {
	ran := runErr == nil && !failed
	var out *taskOutputs
	if ran {
		if t.Kind != kindExport {
			b.persistModel(bm)
		}
		var err error
		if out, err = b.writeOutputs(bm, t, res); err != nil {
			runErr = err
		}
	}
	b.mu.Lock()
	cancelled := !t.Cancelled.IsZero() || errors.Is(runErr, context.Canceled)
	if ran && (cancelled || runErr != nil) {
		b.mu.Unlock()
		b.discard(out)
		b.restorePre(bm, t)
		b.mu.Lock()
	}
	switch {
	case cancelled:
		if t.Cancelled.IsZero() { // Close stopped it
			t.Cancelled = b.now()
			t.Progress = math.Float64frombits(t.frac.Load())
		}
		t.Result = b.cancelledResult(bm, t)
	case runErr != nil:
		name, _ := objectName(bm.engine, t.Kind, t.ObjectID)
		t.Failed = true
		t.Result = &engine.Result{ObjectID: t.ObjectID, ObjectName: name,
			Details: []engine.Detail{{LocalMessageText: runErr.Error(), Type: "taskFailed"}}}
	case failed:
		t.Failed = true
		t.Result = withoutBytes(res)
	default:
		b.commitOutputs(bm, t, res, out)
		t.Result = withoutBytes(res)
	}
	t.Done = true
	b.sweep(bm, b.now())
	b.save()
	b.mu.Unlock()
}

func (b *bulk) cancelledResult(bm *bulkModel, t *task) *engine.Result {
	name, _ := objectName(bm.engine, t.Kind, t.ObjectID)
	return &engine.Result{ObjectID: t.ObjectID, ObjectName: name}
}

// commitOutputs makes a finished run's dumps and export output visible.
// Export output replaces the file's content; the old content is held
// until the task is finished for good, in case it is cancelled. Each
// import or process keeps the dumps of its last failing run only, and a
// clean run removes them (H:dump). The caller holds b.mu.
func (b *bulk) commitOutputs(bm *bulkModel, t *task, res engine.Result, out *taskOutputs) {
	for id, c := range out.exports {
		f := bm.files[id]
		if f == nil {
			b.removeDir(c.dir)
			continue
		}
		if prev := f.content; prev != nil {
			if t.prevOutputs == nil {
				t.prevOutputs = map[string]*blob{}
			}
			t.prevOutputs[id] = b.acquire(prev)
		}
		if t.outputs == nil {
			t.outputs = map[string]*blob{}
		}
		t.outputs[id] = c
		b.dropUpload(f)
		b.setContent(f, c)
	}
	if len(out.dumps) == 0 && !res.Successful {
		return
	}
	if prev := bm.tasks[bm.dumps[t.ObjectID]]; prev != nil && prev != t {
		for id := range prev.Dumps {
			b.dropDump(bm, prev, id)
		}
	}
	delete(bm.dumps, t.ObjectID)
	now := b.now()
	for id, d := range out.dumps {
		d.Access = now
		if t.Dumps == nil {
			t.Dumps = map[string]*dumpRecord{}
		}
		t.Dumps[id] = d
		bm.dumps[t.ObjectID] = t.ID
	}
}

// cancelTask handles DELETE on a task that is not finished: the engine run is
// stopped (and rolls back), or, when it already finished, its effects are
// undone here. It returns with the rollback done.
func (b *bulk) cancelTask(bm *bulkModel, t *task) {
	b.mu.Lock()
	now := b.now()
	v := b.view(t, now)
	if v.terminal || !t.Cancelled.IsZero() {
		b.mu.Unlock()
		return
	}
	t.Cancelled, t.Progress = now, v.progress
	if !t.Done {
		t.stop() // run's finish rolls back and settles the task
		b.save()
		b.mu.Unlock()
		return
	}
	t.Done = false // not settled until the rollback is done
	b.mu.Unlock()

	b.restorePre(bm, t)
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, c := range t.outputs {
		if f := bm.files[id]; f != nil && f.content == c {
			prev := t.prevOutputs[id]
			if prev != nil {
				prev.dead = false
				b.releaseLocked(prev)
				delete(t.prevOutputs, id)
			}
			b.setContent(f, prev)
		}
	}
	t.outputs = nil
	for id := range t.Dumps {
		b.dropDump(bm, t, id)
	}
	if bm.dumps[t.ObjectID] == t.ID {
		delete(bm.dumps, t.ObjectID)
	}
	t.Result = b.cancelledResult(bm, t)
	t.Done = true
	b.save()
}

// removeFile removes one file of the data directory.
func (b *bulk) removeFile(rel string) {
	if rel == "" || b.dataDir == "" {
		return
	}
	if err := os.Remove(filepath.Join(b.dataDir, rel)); err != nil && !errors.Is(err, os.ErrNotExist) {
		b.log.Error("emulator: cannot remove file", "file", rel, "error", err)
	}
}

// withoutBytes returns the result without its dump and export output,
// which live on disk: a task keeps its result for its whole life.
func withoutBytes(res engine.Result) *engine.Result {
	res.Dump, res.Output = nil, nil
	if res.NestedResults != nil {
		nested := make([]engine.Result, len(res.NestedResults))
		for i, n := range res.NestedResults {
			nested[i] = *withoutBytes(n)
		}
		res.NestedResults = nested
	}
	return &res
}
