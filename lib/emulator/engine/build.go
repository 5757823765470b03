package engine

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// DefinitionError lists every problem found in a model definition, so a
// user fixes their file in one pass instead of one error per run.
type DefinitionError struct {
	Problems []string
}

func (e *DefinitionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "engine: invalid model definition (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p)
	}
	return b.String()
}

// builder validates a Definition and compiles it into a Model.
type builder struct {
	def      Definition
	m        *Model
	problems []string

	listByName   map[string]*list
	moduleByName map[string]*module
	fileByName   map[string]*file
	importByName map[string]*importAction
	exportByName map[string]*export
}

func (b *builder) addf(format string, args ...any) {
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

func (b *builder) build() {
	if strings.TrimSpace(b.def.Name) == "" {
		b.addf(`the model has no "name"`)
	}
	b.buildLists()
	b.buildModules()
	b.buildFiles()
	b.buildImports()
	b.buildExports()
	b.buildProcesses()
}

// checkName reports a blank or repeated name of one kind of object.
func (b *builder) checkName(kind, name string, seen map[string]bool) bool {
	if strings.TrimSpace(name) == "" {
		b.addf("a %s has no name", kind)
		return false
	}
	if seen[name] {
		b.addf("%s %q is defined twice; names must be unique", kind, name)
		return false
	}
	seen[name] = true
	return true
}

func (b *builder) buildLists() {
	b.listByName = map[string]*list{}
	seen := map[string]bool{}
	for i, d := range b.def.Lists {
		if !b.checkName("list", d.Name, seen) {
			continue
		}
		l := &list{idx: i, id: objectID(prefixList, i), name: d.Name, numbered: d.Numbered, propByName: map[string]*property{}}
		pseen := map[string]bool{}
		for _, pd := range d.Properties {
			if !b.checkName(fmt.Sprintf("property of list %q", d.Name), pd.Name, pseen) {
				continue
			}
			f, ok := parseFormat(pd.Format)
			if !ok || f == fList {
				b.addf("list %q property %q: format %q is not supported (use TEXT or NUMBER)", d.Name, pd.Name, pd.Format)
				continue
			}
			p := &property{name: pd.Name, format: f}
			l.props = append(l.props, p)
			l.propByName[pd.Name] = p
		}
		l.reset(0)
		b.listByName[d.Name] = l
		b.m.lists = append(b.m.lists, l)
	}
	for _, d := range b.def.Lists {
		l := b.listByName[d.Name]
		if l == nil || d.Parent == "" {
			continue
		}
		switch p := b.listByName[d.Parent]; {
		case p == nil:
			b.addf("list %q: parent list %q is not defined", d.Name, d.Parent)
		case p == l:
			b.addf("list %q: a list cannot be its own parent", d.Name)
		default:
			l.parent = p
		}
	}
	for _, l := range b.m.lists {
		path := []string{l.name}
		for p := l.parent; p != nil; p = p.parent {
			path = append(path, p.name)
			if p == l {
				b.addf("lists %s: the parent hierarchy is cyclic", strings.Join(quoteAll(path), " -> "))
				l.parent = nil // break the cycle so it is reported once
				break
			}
			if len(path) > len(b.m.lists)+1 {
				break // a cycle not through l; its members report it
			}
		}
	}
}

func (b *builder) buildModules() {
	b.moduleByName = map[string]*module{}
	seen := map[string]bool{}
	for i, d := range b.def.Modules {
		if !b.checkName("module", d.Name, seen) {
			continue
		}
		mod := &module{idx: i, id: objectID(prefixModule, i), name: d.Name, byName: map[string]*lineItem{}}
		switch {
		case len(d.Dimensions) == 0:
			b.addf("module %q has no dimensions; give it one to %d lists", d.Name, maxDims)
		case len(d.Dimensions) > maxDims:
			b.addf("module %q has %d dimensions; the emulator supports at most %d", d.Name, len(d.Dimensions), maxDims)
		}
		for _, dn := range d.Dimensions {
			l := b.listByName[dn]
			switch {
			case l == nil:
				b.addf("module %q: dimension list %q is not defined", d.Name, dn)
			case mod.dimIndex(dn) >= 0:
				b.addf("module %q: dimension %q is listed twice", d.Name, dn)
			default:
				mod.dims = append(mod.dims, l)
			}
		}
		if len(d.LineItems) == 0 {
			b.addf("module %q has no line items", d.Name)
		}
		lseen := map[string]bool{}
		for _, ld := range d.LineItems {
			if !b.checkName(fmt.Sprintf("line item of module %q", d.Name), ld.Name, lseen) {
				continue
			}
			li := b.buildLineItem(mod, ld)
			if li == nil {
				continue
			}
			li.id = objectID(prefixLineItem, len(b.m.lineItems))
			b.m.lineItems = append(b.m.lineItems, li)
			mod.lineItems = append(mod.lineItems, li)
			mod.byName[ld.Name] = li
		}
		mod.cols = make([]column, 0, len(mod.lineItems))
		for _, li := range mod.lineItems {
			if li.formula == nil {
				li.col = len(mod.cols)
				mod.cols = append(mod.cols, newColumn(li.format, 0))
			}
		}
		mod.reset(0)
		b.moduleByName[d.Name] = mod
		b.m.modules = append(b.m.modules, mod)
	}
}

func (b *builder) buildLineItem(mod *module, d LineItemDef) *lineItem {
	where := fmt.Sprintf("module %q line item %q", mod.name, d.Name)
	f, ok := parseFormat(d.Format)
	if !ok {
		b.addf("%s: format %q is not supported (use TEXT, NUMBER or LIST)", where, d.Format)
		return nil
	}
	li := &lineItem{name: d.Name, format: f, col: -1, module: mod}
	switch {
	case f == fList && d.List == "":
		b.addf(`%s: format LIST needs "list" naming the list its values come from`, where)
		return nil
	case f == fList:
		if li.list = b.listByName[d.List]; li.list == nil {
			b.addf("%s: list %q is not defined", where, d.List)
			return nil
		}
	case d.List != "":
		b.addf(`%s: "list" is only for format LIST, not %s`, where, f)
		return nil
	}
	if d.Formula != "" {
		fm, problem := parseFormula(d.Formula, mod, li)
		if problem != "" {
			b.addf("%s: %s", where, problem)
			return nil
		}
		li.formula = fm
	}
	return li
}

func (b *builder) buildFiles() {
	b.fileByName = map[string]*file{}
	seen := map[string]bool{}
	for i, d := range b.def.Files {
		if !b.checkName("file", d.Name, seen) {
			continue
		}
		where := fmt.Sprintf("file %q", d.Name)
		f := &file{idx: i, id: objectID(prefixFile, i), name: d.Name, headers: d.Headers, separator: ',', encoding: "UTF-8", headerRow: 1}
		if len(d.Headers) == 0 {
			b.addf(`%s has no "headers": list the column names the imports map from`, where)
		}
		hseen := map[string]bool{}
		for _, h := range d.Headers {
			b.checkName("column of "+where, h, hseen)
		}
		if d.Separator != "" {
			r, size := utf8.DecodeRuneInString(d.Separator)
			if size != len(d.Separator) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
				b.addf(`%s: separator %q must be one character other than a quote or newline (for example "," or "\t")`, where, d.Separator)
			}
			f.separator = r
		}
		if d.Delimiter != "" && d.Delimiter != `"` {
			b.addf(`%s: text delimiter %q is not supported; the emulator reads "\"" only`, where, d.Delimiter)
		}
		switch strings.ToUpper(d.Encoding) {
		case "", "UTF-8", "UTF8":
		case "ISO-8859-1", "LATIN1":
			f.encoding = "ISO-8859-1"
		default:
			b.addf("%s: encoding %q is not supported (use UTF-8 or ISO-8859-1)", where, d.Encoding)
		}
		if d.HeaderRow != nil {
			f.headerRow = *d.HeaderRow
		}
		f.firstDataRow = f.headerRow + 1
		if d.FirstDataRow != nil {
			f.firstDataRow = *d.FirstDataRow
		}
		if f.headerRow < 0 || f.firstDataRow < 1 || f.firstDataRow <= f.headerRow {
			b.addf("%s: headerRow %d and firstDataRow %d must satisfy 0 <= headerRow < firstDataRow", where, f.headerRow, f.firstDataRow)
		}
		b.fileByName[d.Name] = f
		b.m.files = append(b.m.files, f)
	}
}

func (b *builder) buildImports() {
	b.importByName = map[string]*importAction{}
	seen := map[string]bool{}
	for i, d := range b.def.Imports {
		if !b.checkName("import", d.Name, seen) {
			continue
		}
		imp := &importAction{idx: i, id: objectID(prefixImport, i), name: d.Name, kind: d.Type}
		where := fmt.Sprintf("import %q", d.Name)
		if imp.file = b.fileByName[d.File]; imp.file == nil {
			b.addf("%s: file %q is not defined", where, d.File)
		}
		switch d.Type {
		case "HIERARCHY_DATA":
			b.buildHierarchyImport(imp, d, where)
		case "MODULE_DATA":
			b.buildModuleImport(imp, d, where)
		default:
			b.addf("%s: type %q is not supported (use HIERARCHY_DATA or MODULE_DATA)", where, d.Type)
		}
		b.importByName[d.Name] = imp
		b.m.imports = append(b.m.imports, imp)
	}
}

// column checks that a mapped column is a header of the import's file.
func (b *builder) column(imp *importAction, where, target, col string) string {
	if imp.file != nil && !slices.Contains(imp.file.headers, col) {
		b.addf("%s: %s maps column %q, which is not a header of file %q (headers: %s)", where, target, col, imp.file.name, strings.Join(imp.file.headers, ", "))
	}
	return col
}

func (b *builder) buildHierarchyImport(imp *importAction, d ImportDef, where string) {
	m := d.Mapping
	if d.Module != "" || len(m.Dimensions) > 0 || len(m.LineItems) > 0 {
		b.addf(`%s: a HIERARCHY_DATA import maps "code", "name", "parent" and "properties" into a "list", not module dimensions or line items`, where)
	}
	if imp.list = b.listByName[d.List]; imp.list == nil {
		b.addf("%s: list %q is not defined", where, d.List)
		return
	}
	l := imp.list
	if m.Code != "" {
		imp.codeCol = b.column(imp, where, "code", m.Code)
	}
	if m.Name != "" {
		imp.nameCol = b.column(imp, where, "name", m.Name)
	}
	switch {
	case l.numbered && imp.codeCol == "":
		b.addf(`%s: list %q is numbered, so its items are identified by code: map "code"`, where, l.name)
	case !l.numbered && imp.nameCol == "":
		b.addf(`%s: list %q needs names for its items: map "name"`, where, l.name)
	}
	if m.Parent != "" {
		if l.parent == nil {
			b.addf("%s: maps a parent but list %q has no parent list", where, l.name)
		}
		imp.parentCol = b.column(imp, where, "parent", m.Parent)
	}
	for _, name := range sortedKeys(m.Properties) {
		p := l.propByName[name]
		if p == nil {
			b.addf("%s: list %q has no property %q", where, l.name, name)
			continue
		}
		imp.propCols = append(imp.propCols, propMapping{prop: p, column: b.column(imp, where, fmt.Sprintf("property %q", name), m.Properties[name])})
	}
}

func (b *builder) buildModuleImport(imp *importAction, d ImportDef, where string) {
	m := d.Mapping
	if d.List != "" || m.Code != "" || m.Name != "" || m.Parent != "" || len(m.Properties) > 0 {
		b.addf(`%s: a MODULE_DATA import maps "dimensions" and "lineItems" into a "module", not list codes, names or properties`, where)
	}
	if imp.module = b.moduleByName[d.Module]; imp.module == nil {
		b.addf("%s: module %q is not defined", where, d.Module)
		return
	}
	mod := imp.module
	for _, l := range mod.dims {
		col, ok := m.Dimensions[l.name]
		if !ok {
			b.addf("%s: dimension %q of module %q is not mapped; map it to the column holding its item codes", where, l.name, mod.name)
			continue
		}
		imp.dimCols = append(imp.dimCols, b.column(imp, where, fmt.Sprintf("dimension %q", l.name), col))
	}
	for _, name := range sortedKeys(m.Dimensions) {
		if mod.dimIndex(name) < 0 {
			b.addf("%s: %q is not a dimension of module %q", where, name, mod.name)
		}
	}
	if len(m.LineItems) == 0 {
		b.addf(`%s: maps no "lineItems"`, where)
	}
	for _, name := range sortedKeys(m.LineItems) {
		li := mod.byName[name]
		switch {
		case li == nil:
			b.addf("%s: module %q has no line item %q", where, mod.name, name)
		case li.formula != nil:
			b.addf("%s: line item %q is calculated by a formula and cannot be imported into", where, name)
		default:
			imp.itemCols = append(imp.itemCols, lineItemMapping{lineItem: li, column: b.column(imp, where, fmt.Sprintf("line item %q", name), m.LineItems[name])})
		}
	}
}

func (b *builder) buildExports() {
	b.exportByName = map[string]*export{}
	seen := map[string]bool{}
	for i, d := range b.def.Exports {
		if !b.checkName("export", d.Name, seen) {
			continue
		}
		where := fmt.Sprintf("export %q", d.Name)
		if d.Type != "TABULAR_MULTI_COLUMN" {
			b.addf("%s: type %q is not supported (use TABULAR_MULTI_COLUMN)", where, d.Type)
		}
		e := &export{idx: i, id: objectID(prefixExport, i), name: d.Name, includeCodes: d.IncludeCodes}
		if e.module = b.moduleByName[d.Module]; e.module == nil {
			b.addf("%s: module %q is not defined", where, d.Module)
			continue
		}
		b.exportByName[d.Name] = e
		b.m.exports = append(b.m.exports, e)
	}
}

func (b *builder) buildProcesses() {
	seen := map[string]bool{}
	for i, d := range b.def.Processes {
		if !b.checkName("process", d.Name, seen) {
			continue
		}
		p := &process{idx: i, id: objectID(prefixProcess, i), name: d.Name}
		if len(d.Actions) == 0 {
			b.addf("process %q has no actions", d.Name)
		}
		for _, a := range d.Actions {
			imp, exp := b.importByName[a], b.exportByName[a]
			switch {
			case imp == nil && exp == nil:
				b.addf("process %q: action %q is not an import or export of this model", d.Name, a)
				continue
			case imp != nil && exp != nil:
				b.addf("process %q: action %q names both an import and an export; rename one", d.Name, a)
				continue
			}
			p.actions = append(p.actions, processAction{imp: imp, exp: exp})
		}
		b.m.processes = append(b.m.processes, p)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return q
}
