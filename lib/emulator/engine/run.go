package engine

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// RunImport runs an import on the bytes of its data source file (the file
// whose id is the import's importDataSourceId) and reports the result as a
// task would. Rows that fail are counted and written to the result's dump;
// the import never stops at a bad row.
//
// progress, if not nil, is called with the fraction of the data read as
// rows are processed; it must not call back into the Model. Cancelling ctx
// stops the import and rolls its changes back, as Anaplan does for a
// cancelled task; RunImport then returns ctx's error. Any error leaves the
// model as it was.
func (m *Model) RunImport(ctx context.Context, importID string, data io.Reader, progress func(fraction float64)) (Result, error) {
	imp := m.importByID(importID)
	if imp == nil {
		return Result{}, fmt.Errorf("engine: import %q: %w", importID, ErrNotFound)
	}
	defer m.lock()()
	m.mu.Lock()
	defer m.mu.Unlock()
	var u undoLog
	res, err := m.runImport(ctx, imp, data, progress, &u)
	if err != nil {
		u.rollback()
		return Result{}, err
	}
	return res, nil
}

// RunProcess runs a process's actions in order. open returns the uploaded
// bytes of an import's data source file by file id (an io.Closer is
// closed after use). The result nests one result per action under the
// process id. A cancelled process, or one that ends in an error, is rolled
// back as a whole.
func (m *Model) RunProcess(ctx context.Context, processID string, open func(fileID string) (io.Reader, error), progress func(fraction float64)) (Result, error) {
	p := m.processByID(processID)
	if p == nil {
		return Result{}, fmt.Errorf("engine: process %q: %w", processID, ErrNotFound)
	}
	defer m.lock()()
	m.mu.Lock()
	defer m.mu.Unlock()
	var u undoLog
	res, err := m.runProcess(ctx, p, open, progress, &u)
	if err != nil {
		u.rollback()
		return Result{}, err
	}
	return res, nil
}

func (m *Model) runProcess(ctx context.Context, p *process, open func(string) (io.Reader, error), progress func(float64), u *undoLog) (Result, error) {
	res := Result{Successful: true, ObjectID: idString(p.id), ObjectName: p.name}
	for i, a := range p.actions {
		var step func(float64)
		if progress != nil {
			step = func(f float64) { progress((float64(i) + f) / float64(len(p.actions))) }
		}
		var r Result
		if a.exp != nil {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			r = m.runExport(a.exp)
		} else {
			data, err := open(idString(a.imp.file.id))
			if err != nil {
				return Result{}, fmt.Errorf("engine: process %q: import %q: open file %q: %w", p.name, a.imp.name, a.imp.file.name, err)
			}
			r, err = m.runImport(ctx, a.imp, data, step, u)
			if c, ok := data.(io.Closer); ok {
				c.Close()
			}
			if err != nil {
				return Result{}, err
			}
		}
		res.Successful = res.Successful && r.Successful
		res.FailureDumpAvailable = res.FailureDumpAvailable || r.FailureDumpAvailable
		res.RowsProcessed += r.RowsProcessed
		res.RowsSucceeded += r.RowsSucceeded
		res.RowsIgnored += r.RowsIgnored
		res.RowsFailed += r.RowsFailed
		res.NestedResults = append(res.NestedResults, r)
	}
	if progress != nil {
		progress(1)
	}
	return res, nil
}

// rowImporter applies one data row; it returns the failure message, or ""
// after counting the row as created or updated. reserve makes room for
// about that many more rows.
type rowImporter interface {
	importRow(r row, c *counts) string
	reserve(rows int)
}

// sizingRows is when an import estimates its row count from the bytes read
// so far and reserves room for the rest in one step.
const sizingRows = 2048

func (m *Model) runImport(ctx context.Context, imp *importAction, data io.Reader, progress func(float64), u *undoLog) (Result, error) {
	if data == nil {
		return Result{}, fmt.Errorf("engine: import %q: no data: upload file %q (id %d) first", imp.name, imp.file.name, imp.file.id)
	}
	src, err := openSource(imp.file, data)
	if err != nil {
		return Result{}, fmt.Errorf("engine: import %q: read file %q: %w", imp.name, imp.file.name, err)
	}
	var (
		ri      rowImporter
		missing []string
		detail  func(counts) Detail
	)
	switch imp.kind {
	case "HIERARCHY_DATA":
		ri, missing = newHierarchyImporter(imp, src, u)
		detail = func(c counts) Detail { return hierarchyDetail(imp.list.name, c) }
	default:
		ri, missing = newModuleImporter(imp, src, u)
		detail = func(c counts) Detail { return moduleDetail(imp.module.name, c) }
	}
	if len(missing) > 0 {
		return missingFields(imp, missing), nil
	}

	var c counts
	dump := newDumpWriter(src.header)
	for i := 0; ; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			if progress != nil && i&8191 == 0 {
				progress(src.fraction(i))
			}
		}
		r, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Result{}, fmt.Errorf("engine: import %q: read file %q: %w", imp.name, imp.file.name, err)
		}
		if i == sizingRows {
			if est := src.estimateRows(i); est > i {
				ri.reserve(est - i)
			}
		}
		c.processed++
		switch {
		case r.parseErr != nil:
			c.failed++
			dump.add(r, "Unmatched delimiter character: "+r.parseErr.Error())
		case blank(r.fields):
			// A row with no values is skipped and reported as ignored
			// (the emulator's reading of Anaplan's "N ignored").
			c.ignored++
		default:
			if msg := ri.importRow(r, &c); msg != "" {
				c.failed++
				dump.add(r, msg)
			}
		}
	}
	if progress != nil {
		progress(1)
	}
	return importResult(imp, c, detail(c), dump.bytes()), nil
}

// missingFields is the result of an import whose file lacks mapped
// columns: nothing is loaded (Anaplan's missingFields, "Import incomplete -
// unavailable fields").
func missingFields(imp *importAction, missing []string) Result {
	return Result{
		ObjectID:   idString(imp.id),
		ObjectName: imp.name,
		Details: []Detail{{
			Type:             "missingFields",
			LocalMessageText: "Import incomplete - unavailable fields: " + strings.Join(missing, ", "),
		}},
	}
}

func blank(fields []string) bool {
	for _, f := range fields {
		if f != "" {
			return false
		}
	}
	return true
}

// field returns column i of a row, or "" when the row is short or the
// column unmapped (-1).
func field(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return fields[i]
}

// undoLog records what an import changed so a cancelled or failed run can
// be rolled back: items and rows it created are truncated, values it
// overwrote are restored, newest first.
type undoLog struct {
	steps []func()
}

func (u *undoLog) add(step func()) { u.steps = append(u.steps, step) }

func (u *undoLog) rollback() {
	for i := len(u.steps) - 1; i >= 0; i-- {
		u.steps[i]()
	}
	u.steps = nil
}
