package registry

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// Sync writes the registry into the registry model through the
// transactional API, with no import action: the W1 Workspaces and W2 Models
// items (code = the workspace's or model's id, parent, name property) and
// the cells of W1 Workspace Register and W2 Model Register. It reads what
// the model holds first and writes only the difference, so a second sync
// of an unchanged tenant sends no write at all.

// The registry model's objects, as the tutorial names them.
const (
	ListWorkspaces        = "W1 Workspaces"
	ListModels            = "W2 Models"
	ModuleWorkspaces      = "W1 Workspace Register"
	ModuleModels          = "W2 Model Register"
	propertyWorkspaceName = "Workspace Name"
	propertyModelName     = "Model Name"
	lineItemName          = "Name"
	lineItemAllowance     = "Size Allowance"
	lineItemCurrentSize   = "Current Size"
)

// SyncOptions control a sync.
type SyncOptions struct {
	// Prune removes the items of models (and workspaces) that no longer
	// exist; without it they are only counted (SyncReport.Stale).
	Prune bool
	// Write shapes the batched writes (batch size, progress).
	Write anaplan.WriteOptions
}

// SyncReport says what a sync changed.
type SyncReport struct {
	Workspaces, Models ItemChanges
	// Cells is the number of register cells written.
	Cells int
	// Stale counts items whose workspace or model no longer exists: removed
	// with Prune, else left in place.
	Stale int
	// Orphans are models whose workspace the user cannot see: their W2
	// item would have no parent, so they are not synced.
	Orphans int
	// Failures are the items and cells Anaplan refused.
	Failures []SyncFailure
	// Writes is the number of write requests sent (0 on an unchanged tenant).
	Writes int
	// Pruned says the sync ran with Prune: Stale items were removed, not
	// merely counted.
	Pruned bool
}

// ItemChanges counts the items of one list a sync added, updated, removed.
type ItemChanges struct{ Added, Updated, Removed int }

func (c ItemChanges) total() int { return c.Added + c.Updated + c.Removed }

// Changes is the number of items and cells the sync wrote.
func (r SyncReport) Changes() int { return r.Workspaces.total() + r.Models.total() + r.Cells }

// SyncFailure is one item or cell Anaplan refused.
type SyncFailure struct {
	What   string // e.g. "W2 Models item", "W2 Model Register cell"
	Code   string // the workspace or model id
	Reason string
}

func (f SyncFailure) String() string { return fmt.Sprintf("%s %s: %s", f.What, f.Code, f.Reason) }

// Err is nil when nothing was refused, else an error counting the failures.
func (r SyncReport) Err() error {
	if len(r.Failures) == 0 {
		return nil
	}
	return fmt.Errorf("Anaplan refused %d of the sync's writes (first: %s)", len(r.Failures), r.Failures[0])
}

// WriteText prints the report for people, ending in "N changes"; stale
// items a sync without Prune left in place get a line saying so.
func (r SyncReport) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, l := range []struct {
		name string
		c    ItemChanges
	}{{ListWorkspaces, r.Workspaces}, {ListModels, r.Models}} {
		fmt.Fprintf(&b, "  %-15s %d added, %d updated, %d removed\n", l.name+":", l.c.Added, l.c.Updated, l.c.Removed)
	}
	fmt.Fprintf(&b, "  %-15s %d written\n", "cells:", r.Cells)
	if r.Stale > 0 && !r.Pruned {
		fmt.Fprintf(&b, "  %d items of workspaces or models that no longer exist would be removed (use -prune)\n", r.Stale)
	}
	if r.Orphans > 0 {
		fmt.Fprintf(&b, "  %d models skipped: their workspace is not visible to this user\n", r.Orphans)
	}
	for i, f := range r.Failures {
		if i == 20 {
			fmt.Fprintf(&b, "  … and %d more failures\n", len(r.Failures)-i)
			break
		}
		fmt.Fprintf(&b, "  refused: %s\n", f)
	}
	if n := r.Changes(); n == 1 {
		b.WriteString("1 change\n")
	} else {
		fmt.Fprintf(&b, "%d changes\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// registryModel is the registry model's objects, resolved by name.
type registryModel struct {
	m                  *anaplan.ModelHandle
	w1, w2             anaplan.List
	w1Module, w2Module anaplan.Module
}

func resolveRegistryModel(ctx context.Context, m *anaplan.ModelHandle) (*registryModel, error) {
	rm := &registryModel{m: m}
	var err error
	if rm.w1, err = m.FindList(ctx, ListWorkspaces); err != nil {
		return nil, err
	}
	if rm.w2, err = m.FindList(ctx, ListModels); err != nil {
		return nil, err
	}
	if rm.w1Module, err = m.FindModule(ctx, ModuleWorkspaces); err != nil {
		return nil, err
	}
	if rm.w2Module, err = m.FindModule(ctx, ModuleModels); err != nil {
		return nil, err
	}
	return rm, nil
}

// held is what the model holds of one list and its register: each item by
// code, and the register's cells by item code and line item name.
type held struct {
	items map[string]anaplan.ListItem
	cells map[string]map[string]string
}

// readHeld reads a list's items (with properties) and its register's
// default view (the module's id is its view's id).
func readHeld(ctx context.Context, m *anaplan.ModelHandle, l anaplan.List, module anaplan.Module) (held, error) {
	h := held{items: map[string]anaplan.ListItem{}, cells: map[string]map[string]string{}}
	codeByName := map[string]string{}
	for it, err := range m.ListItems(ctx, l.ID, anaplan.ListItemsOptions{IncludeAll: true}) {
		if err != nil {
			return h, fmt.Errorf("reading list %s: %w", l.Name, err)
		}
		if it.Code == "" {
			continue // not the registry's: items are keyed by id codes
		}
		h.items[it.Code] = it
		codeByName[it.Name] = it.Code
	}
	if len(h.items) == 0 {
		return h, nil // no items, no cells: nothing to read
	}
	grid, err := m.ViewData(ctx, module.ID, anaplan.ViewDataOptions{})
	if err != nil {
		return h, fmt.Errorf("reading module %s: %w", module.Name, err)
	}
	cols := make([]string, len(grid.ColumnCoordinates))
	for i, c := range grid.ColumnCoordinates {
		if len(c) > 0 {
			cols[i] = c[len(c)-1]
		}
	}
	for _, row := range grid.Rows {
		if len(row.RowCoordinates) == 0 {
			continue
		}
		code, ok := codeByName[row.RowCoordinates[0]]
		if !ok {
			continue
		}
		cells := make(map[string]string, len(cols))
		for i, v := range row.Cells {
			if i < len(cols) {
				cells[cols[i]] = v
			}
		}
		h.cells[code] = cells
	}
	return h, nil
}

// Sync writes the registry into the registry model m; see the file
// comment. Items are written before cells, workspaces before models, and
// removals (with Prune) models first.
func (r *Registry) Sync(ctx context.Context, m *anaplan.ModelHandle, opts SyncOptions) (SyncReport, error) {
	rep := SyncReport{Pruned: opts.Prune}
	rm, err := resolveRegistryModel(ctx, m)
	if err != nil {
		return rep, err
	}
	w1, err := readHeld(ctx, m, rm.w1, rm.w1Module)
	if err != nil {
		return rep, err
	}
	w2, err := readHeld(ctx, m, rm.w2, rm.w2Module)
	if err != nil {
		return rep, err
	}
	plan := r.plan(w1, w2)
	rep.Orphans = plan.orphans
	rep.Stale = len(plan.staleModels) + len(plan.staleWorkspaces)

	steps := []struct {
		list    anaplan.List
		action  string
		items   []anaplan.ItemInput
		counter *int
	}{
		{rm.w1, "add", plan.addWorkspaces, &rep.Workspaces.Added},
		{rm.w1, "update", plan.updateWorkspaces, &rep.Workspaces.Updated},
		{rm.w2, "add", plan.addModels, &rep.Models.Added},
		{rm.w2, "update", plan.updateModels, &rep.Models.Updated},
	}
	if opts.Prune {
		steps = append(steps,
			struct {
				list    anaplan.List
				action  string
				items   []anaplan.ItemInput
				counter *int
			}{rm.w2, "delete", plan.staleModels, &rep.Models.Removed},
			struct {
				list    anaplan.List
				action  string
				items   []anaplan.ItemInput
				counter *int
			}{rm.w1, "delete", plan.staleWorkspaces, &rep.Workspaces.Removed})
	}
	for _, s := range steps {
		if len(s.items) == 0 {
			continue
		}
		var res anaplan.ItemsResult
		switch s.action {
		case "add":
			res, err = m.AddListItems(ctx, s.list.ID, s.items, opts.Write)
			*s.counter += res.Added
		case "update":
			res, err = m.UpdateListItems(ctx, s.list.ID, s.items, opts.Write)
			*s.counter += res.Updated
		case "delete":
			res, err = m.DeleteListItems(ctx, s.list.ID, s.items, opts.Write)
			*s.counter += res.Deleted
		}
		rep.Writes += res.Requests
		for _, f := range res.Failures {
			rep.Failures = append(rep.Failures, SyncFailure{What: s.list.Name + " item", Code: s.items[f.Index].Code, Reason: f.Type + ": " + f.Details})
		}
		if err != nil {
			return rep, fmt.Errorf("%s items of %s: %w", s.action, s.list.Name, err)
		}
	}
	for _, c := range []struct {
		module anaplan.Module
		cells  []anaplan.Cell
	}{{rm.w1Module, plan.workspaceCells}, {rm.w2Module, plan.modelCells}} {
		if len(c.cells) == 0 {
			continue
		}
		res, err := m.WriteCells(ctx, c.module.ID, c.cells, opts.Write)
		rep.Writes += res.Requests
		rep.Cells += len(c.cells) - len(res.Failures)
		for _, f := range res.Failures {
			rep.Failures = append(rep.Failures, SyncFailure{What: c.module.Name + " cell", Code: c.cells[f.Index].Dimensions[0].ItemCode,
				Reason: c.cells[f.Index].LineItemName + ": " + f.Type + ": " + f.Details})
		}
		if err != nil {
			return rep, fmt.Errorf("writing cells of %s: %w", c.module.Name, err)
		}
	}
	return rep, nil
}

// syncPlan is the difference between the registry and the model.
type syncPlan struct {
	addWorkspaces, updateWorkspaces, staleWorkspaces []anaplan.ItemInput
	addModels, updateModels, staleModels             []anaplan.ItemInput
	workspaceCells, modelCells                       []anaplan.Cell
	orphans                                          int
}

// plan compares the registry with what the model holds.
func (r *Registry) plan(w1, w2 held) syncPlan {
	var p syncPlan
	wsCodeByItemID := make(map[string]string, len(w1.items))
	for code, it := range w1.items {
		wsCodeByItemID[it.ID] = code
	}
	for _, ws := range r.Workspaces {
		props := map[string]string{propertyWorkspaceName: importText(ws.Name)}
		it, ok := w1.items[ws.ID]
		switch {
		case !ok:
			p.addWorkspaces = append(p.addWorkspaces, anaplan.ItemInput{Code: ws.ID, Properties: props})
		case it.Properties[propertyWorkspaceName] != props[propertyWorkspaceName]:
			p.updateWorkspaces = append(p.updateWorkspaces, anaplan.ItemInput{Code: ws.ID, Properties: props})
		}
		p.workspaceCells = appendCellIfChanged(p.workspaceCells, ListWorkspaces, ws.ID, w1.cells[ws.ID],
			numberCell(lineItemAllowance, int64(ws.SizeAllowance)), numberCell(lineItemCurrentSize, int64(ws.CurrentSize)))
	}
	models := make(map[string]bool, len(r.Models))
	for _, m := range r.Models {
		models[m.ID] = true
		if _, ok := r.workspaceByID[m.CurrentWorkspaceID]; !ok {
			p.orphans++
			continue
		}
		name := importText(m.Name)
		props := map[string]string{propertyModelName: name}
		it, ok := w2.items[m.ID]
		switch {
		case !ok:
			p.addModels = append(p.addModels, anaplan.ItemInput{Code: m.ID, Parent: m.CurrentWorkspaceID, Properties: props})
		case it.Properties[propertyModelName] != name || wsCodeByItemID[it.ParentID] != m.CurrentWorkspaceID:
			p.updateModels = append(p.updateModels, anaplan.ItemInput{Code: m.ID, Parent: m.CurrentWorkspaceID, Properties: props})
		}
		p.modelCells = appendCellIfChanged(p.modelCells, ListModels, m.ID, w2.cells[m.ID],
			textCell(lineItemName, name), numberCell(lineItemCurrentSize, int64(m.MemoryUsage)))
	}
	for code := range w2.items {
		if !models[code] {
			p.staleModels = append(p.staleModels, anaplan.ItemInput{Code: code})
		}
	}
	for code := range w1.items {
		if _, ok := r.workspaceByID[code]; !ok {
			p.staleWorkspaces = append(p.staleWorkspaces, anaplan.ItemInput{Code: code})
		}
	}
	sortItems(p.staleModels)
	sortItems(p.staleWorkspaces)
	return p
}

// wantCell is a register cell's wanted value: text, or a number.
type wantCell struct {
	lineItem string
	text     string
	number   int64
	isNumber bool
}

func textCell(lineItem, s string) wantCell { return wantCell{lineItem: lineItem, text: s} }
func numberCell(lineItem string, n int64) wantCell {
	return wantCell{lineItem: lineItem, number: n, isNumber: true}
}

// matches reports whether the cell's shown value is the wanted one. A
// blank number cell counts as 0, as the CSV import writes 0 for unknowns.
func (c wantCell) matches(shown string, present bool) bool {
	if !c.isNumber {
		return present && shown == c.text
	}
	s := strings.ReplaceAll(strings.TrimSpace(shown), ",", "")
	if s == "" {
		return c.number == 0
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f == float64(c.number)
}

// appendCellIfChanged appends a cell write for each wanted value the
// register does not show already.
func appendCellIfChanged(cells []anaplan.Cell, list, code string, shown map[string]string, want ...wantCell) []anaplan.Cell {
	for _, w := range want {
		v, ok := shown[w.lineItem]
		if w.matches(v, ok) {
			continue
		}
		var value any = w.text
		if w.isNumber {
			value = w.number
		}
		cells = append(cells, anaplan.Cell{LineItemName: w.lineItem,
			Dimensions: []anaplan.CellDimension{{DimensionName: list, ItemCode: code}}, Value: value})
	}
	return cells
}

// sortItems orders items by code: maps are read in random order, and a
// run should send the same requests each time.
func sortItems(items []anaplan.ItemInput) {
	slices.SortFunc(items, func(a, b anaplan.ItemInput) int { return strings.Compare(a.Code, b.Code) })
}
