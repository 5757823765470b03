package emulator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// Persistence of the bulk API under StateDir, so a notebook cell can
// upload, the next run the import and the one after read the result:
//
//	bulk.json                        files, tasks, dumps, counters (this file's bulkState)
//	bulk/files/<model>/<file>/<gen>/ chunk 0, 1, … of one upload
//	bulk/dumps/<model>/<task>/<object>.csv   failure dumps
//	bulk/models/<model>.json         the engine's data (engine.Snapshot), after each run
//	bulk/tasks/<task>.pre.json       the data before a run, until it finishes for good
//
// Without StateDir the metadata stays in memory and the bytes go to a
// temporary directory that Close removes.

type bulkState struct {
	Version int                    `json:"version"`
	NextGen int64                  `json:"nextGen"`
	NextSeq int64                  `json:"nextSeq"`
	Starts  map[string]int         `json:"starts,omitempty"`
	Models  map[string]*modelState `json:"models,omitempty"`
}

type modelState struct {
	Files []fileState       `json:"files,omitempty"`
	Tasks []*task           `json:"tasks,omitempty"`
	Dumps map[string]string `json:"dumps,omitempty"`
}

// fileState is a file with content or an upload, or one the API created.
type fileState struct {
	Meta    engine.File   `json:"meta"`
	Created bool          `json:"created,omitempty"`
	Content *contentState `json:"content,omitempty"`
	Upload  *uploadState  `json:"upload,omitempty"`
}

type contentState struct {
	Dir   string  `json:"dir"`
	Sizes []int64 `json:"sizes"`
}

type uploadState struct {
	Dir      string        `json:"dir"`
	Declared int           `json:"declared"`
	Sizes    map[int]int64 `json:"sizes"`
}

// save writes bulk.json; the caller holds b.mu. A failed write is logged:
// this process keeps working, only a restart would lose the change.
func (b *bulk) save() {
	if !b.state.enabled() {
		return
	}
	st := bulkState{Version: 1, NextGen: b.nextGen, NextSeq: b.nextSeq, Starts: b.starts, Models: map[string]*modelState{}}
	for id, bm := range b.models {
		ms := &modelState{Dumps: bm.dumps}
		for _, fid := range bm.order {
			f := bm.files[fid]
			if !f.created && f.content == nil && f.upload == nil {
				continue
			}
			fs := fileState{Meta: f.meta, Created: f.created}
			if c := f.content; c != nil {
				fs.Content = &contentState{Dir: c.dir, Sizes: c.sizes}
			}
			if u := f.upload; u != nil {
				fs.Upload = &uploadState{Dir: u.dir, Declared: u.declared, Sizes: u.sizes}
			}
			ms.Files = append(ms.Files, fs)
		}
		for _, t := range bm.tasks {
			ms.Tasks = append(ms.Tasks, t)
		}
		slices.SortFunc(ms.Tasks, func(a, b *task) int { return int(a.Seq - b.Seq) })
		if len(ms.Files) > 0 || len(ms.Tasks) > 0 {
			st.Models[id] = ms
		}
	}
	b.state.write(bulkStateFile, st, "bulk state")
}

// persistModel writes the engine's data after a run (or a rollback).
func (b *bulk) persistModel(bm *bulkModel) {
	if !b.state.enabled() {
		return
	}
	data, err := bm.engine.Snapshot()
	if err == nil {
		dir := filepath.Join(b.dataDir, "models")
		if err = os.MkdirAll(dir, 0o700); err == nil {
			err = writeFileAtomic(dir, bm.id+".json", data)
		}
	}
	if err != nil {
		b.log.Error("emulator: cannot persist model data", "model", bm.id, "error", err)
	}
}

// load restores the state written by save and persistModel. Tasks that
// were running when the emulator stopped are rolled back and show as
// CANCELLED; content whose chunks are gone is dropped.
func (b *bulk) load() error {
	var st bulkState
	if err := b.state.read(bulkStateFile, &st); err != nil {
		return err
	}
	b.nextGen, b.nextSeq = st.NextGen, st.NextSeq
	if st.Starts != nil {
		b.starts = st.Starts
	}
	for id, bm := range b.models {
		name := filepath.Join(bulkDataDir, "models", id+".json")
		data, err := os.ReadFile(filepath.Join(b.state.path, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = bm.engine.Restore(data)
		}
		if err != nil {
			return fmt.Errorf("%s: %w (delete the file to start model %s afresh)", name, err, id)
		}
	}
	referenced := map[string]bool{}
	for id, ms := range st.Models {
		bm := b.models[id]
		if bm == nil {
			b.log.Warn("emulator: state for a model without a definition is ignored", "model", id)
			continue
		}
		b.loadFiles(bm, ms.Files, referenced)
		interrupted := false
		for _, t := range ms.Tasks {
			interrupted = b.loadTask(bm, t) || interrupted
		}
		if interrupted {
			b.persistModel(bm)
		}
		for obj, tid := range ms.Dumps {
			if bm.tasks[tid] != nil {
				bm.dumps[obj] = tid
			}
		}
	}
	b.removeOrphans(referenced)
	b.save()
	return nil
}

func (b *bulk) loadFiles(bm *bulkModel, files []fileState, referenced map[string]bool) {
	for _, fs := range files {
		f := bm.files[fs.Meta.ID]
		switch {
		case f == nil && fs.Created:
			f = &bulkFile{meta: fs.Meta, created: true}
			bm.addFile(f)
		case f == nil || f.created != fs.Created:
			b.log.Warn("emulator: stored content of a file the model no longer has is ignored", "model", bm.id, "file", fs.Meta.ID)
			continue
		}
		if c := fs.Content; c != nil && b.chunksExist(c.Dir, c.Sizes) {
			f.content = &blob{dir: c.Dir, sizes: c.Sizes}
			referenced[c.Dir] = true
		}
		if u := fs.Upload; u != nil {
			f.upload = &upload{dir: u.Dir, declared: u.Declared, sizes: u.Sizes}
			if f.upload.sizes == nil {
				f.upload.sizes = map[int]int64{}
			}
			referenced[u.Dir] = true
		}
	}
	// Keep created files before export files, as createFile does.
	slices.SortStableFunc(bm.order, func(a, b string) int {
		return boolInt(isExportID(a)) - boolInt(isExportID(b))
	})
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

// chunksExist checks that every chunk of stored content is on disk with
// its recorded size.
func (b *bulk) chunksExist(dir string, sizes []int64) bool {
	for i, size := range sizes {
		info, err := os.Stat(b.chunkPath(dir, i))
		if err != nil || info.Size() != size {
			b.log.Warn("emulator: stored file content is incomplete and is dropped", "dir", dir, "chunk", i)
			return false
		}
	}
	return true
}

// loadTask adds a stored task. One that had not finished is rolled back to
// the data it started from and marked CANCELLED; loadTask reports it.
func (b *bulk) loadTask(bm *bulkModel, t *task) bool {
	t.stop = func() {}
	bm.tasks[t.ID] = t
	if t.Done {
		return false
	}
	if t.Pre != "" {
		data, err := os.ReadFile(filepath.Join(b.dataDir, t.Pre))
		if err == nil {
			err = bm.engine.Restore(data)
		}
		if err != nil {
			b.log.Error("emulator: cannot roll back an interrupted task", "task", t.ID, "error", err)
		}
	}
	if t.Cancelled.IsZero() {
		t.Cancelled = t.Created
	}
	t.Result = b.cancelledResult(bm, t)
	t.Done = true
	return true
}

// removeOrphans deletes upload directories nothing refers to: content
// replaced while a reader held it, or uploads cut short by a crash.
func (b *bulk) removeOrphans(referenced map[string]bool) {
	root := filepath.Join(b.dataDir, "files")
	gens, _ := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	for _, g := range gens {
		rel, err := filepath.Rel(b.dataDir, g)
		if err != nil || referenced[rel] || strings.HasPrefix(filepath.Base(g), ".") {
			continue
		}
		b.removeDir(rel)
	}
}
