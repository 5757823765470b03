package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ObjectRef names a model object by id and name.
type ObjectRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ListMetadata is GET …/lists/{id} "metadata" (the entries the engine
// knows; unset ones are omitted as Anaplan omits them).
type ListMetadata struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Properties    []ListProperty `json:"properties,omitempty"`
	Parent        *ObjectRef     `json:"parent,omitempty"`
	NumberedList  bool           `json:"numberedList"`
	ItemCount     int            `json:"itemCount"`
	NextItemIndex int64          `json:"nextitemIndex,omitempty"`
}

// ListProperty is a property of a list.
type ListProperty struct {
	Name   string `json:"name"`
	Format string `json:"format"`
}

// ListItem is an item as GET …/lists/{id}/items returns it. ListID and
// ListName follow the OAS description: the parent hierarchy list, present
// only when the list has one. Properties are strings whatever their format;
// numbers read as Anaplan's example shows them ("1.0").
type ListItem struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Code       string            `json:"code,omitempty"`
	Parent     string            `json:"parent,omitempty"`
	ParentID   string            `json:"parentId,omitempty"`
	ListID     string            `json:"listId,omitempty"`
	ListName   string            `json:"listName,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
}

// LineItem is a line item as GET …/lineItems returns it. ListID and
// ListName name the list of a LIST-formatted line item.
type LineItem struct {
	ModuleID   string      `json:"moduleId"`
	ModuleName string      `json:"moduleName"`
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Format     string      `json:"format"`
	Formula    string      `json:"formula,omitempty"`
	AppliesTo  []ObjectRef `json:"appliesTo"`
	ListID     string      `json:"-"`
	ListName   string      `json:"-"`
}

// ModuleRow is one combination of dimension items of a module with the
// values of every line item, formatted as exports show them.
type ModuleRow struct {
	Items  []ObjectRef // one per dimension, in dimension order
	Values []string    // one per line item, in module order
}

// Lists lists the lists.
func (m *Model) Lists() []ObjectRef {
	out := make([]ObjectRef, len(m.lists))
	for i, l := range m.lists {
		out[i] = ObjectRef{ID: idString(l.id), Name: l.name}
	}
	return out
}

func (m *Model) listByID(id string) (*list, error) {
	if i, ok := indexOf(id, prefixList, len(m.lists)); ok {
		return m.lists[i], nil
	}
	return nil, fmt.Errorf("engine: list %q: %w", id, ErrNotFound)
}

// ListMetadata describes a list.
func (m *Model) ListMetadata(listID string) (ListMetadata, error) {
	l, err := m.listByID(listID)
	if err != nil {
		return ListMetadata{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	md := ListMetadata{ID: idString(l.id), Name: l.name, NumberedList: l.numbered, ItemCount: l.len()}
	if l.numbered {
		md.NextItemIndex = l.next
	}
	if l.parent != nil {
		md.Parent = &ObjectRef{ID: idString(l.parent.id), Name: l.parent.name}
	}
	for _, p := range l.props {
		md.Properties = append(md.Properties, ListProperty{Name: p.name, Format: p.format.String()})
	}
	return md, nil
}

// ListItems returns a list's items in list order.
func (m *Model) ListItems(listID string) ([]ListItem, error) {
	l, err := m.listByID(listID)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]ListItem, l.len())
	for ord := range out {
		out[ord] = l.item(ord)
	}
	return out, nil
}

// propertyText renders a property value for the list items API, where
// Anaplan's example shows numbers with a decimal point ("count":"1.0").
func propertyText(p *property, v value) string {
	if p.format != fNumber {
		return v.text
	}
	s := strconv.FormatFloat(v.num, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Modules lists the modules.
func (m *Model) Modules() []ObjectRef {
	out := make([]ObjectRef, len(m.modules))
	for i, mod := range m.modules {
		out[i] = ObjectRef{ID: idString(mod.id), Name: mod.name}
	}
	return out
}

func (m *Model) moduleByID(id string) (*module, error) {
	if i, ok := indexOf(id, prefixModule, len(m.modules)); ok {
		return m.modules[i], nil
	}
	return nil, fmt.Errorf("engine: module %q: %w", id, ErrNotFound)
}

// LineItems lists the line items of one module, or of all modules when
// moduleID is "".
func (m *Model) LineItems(moduleID string) ([]LineItem, error) {
	items := m.lineItems
	if moduleID != "" {
		mod, err := m.moduleByID(moduleID)
		if err != nil {
			return nil, err
		}
		items = mod.lineItems
	}
	out := make([]LineItem, len(items))
	for i, li := range items {
		mod := li.module
		out[i] = LineItem{ModuleID: idString(mod.id), ModuleName: mod.name, ID: idString(li.id), Name: li.name, Format: li.format.String()}
		if li.formula != nil {
			out[i].Formula = li.formula.text
		}
		if li.list != nil {
			out[i].ListID, out[i].ListName = idString(li.list.id), li.list.name
		}
		for _, d := range mod.dims {
			out[i].AppliesTo = append(out[i].AppliesTo, ObjectRef{ID: idString(d.id), Name: d.name})
		}
	}
	return out, nil
}

// ModuleRows returns every combination of a module's dimension items with
// its line item values (formulas evaluated), in export order.
func (m *Model) ModuleRows(moduleID string) ([]ModuleRow, error) {
	mod, err := m.moduleByID(moduleID)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []ModuleRow
	forEachKey(mod.dims, func(key rowKey) {
		r := ModuleRow{Items: make([]ObjectRef, len(mod.dims)), Values: make([]string, len(mod.lineItems))}
		for i, l := range mod.dims {
			r.Items[i] = ObjectRef{ID: idString(l.ids[key[i]]), Name: l.names[key[i]]}
		}
		for i, li := range mod.lineItems {
			r.Values[i] = li.text(mod.cell(li, key))
		}
		out = append(out, r)
	})
	return out, nil
}

// Cell reads one cell: the line item and one item id per module
// dimension, in dimension order.
func (m *Model) Cell(moduleID, lineItemID string, itemIDs ...string) (string, error) {
	mod, err := m.moduleByID(moduleID)
	if err != nil {
		return "", err
	}
	var li *lineItem
	for _, x := range mod.lineItems {
		if idString(x.id) == lineItemID {
			li = x
		}
	}
	if li == nil {
		return "", fmt.Errorf("engine: module %q has no line item %q: %w", mod.name, lineItemID, ErrNotFound)
	}
	if len(itemIDs) != len(mod.dims) {
		return "", fmt.Errorf("engine: module %q has %d dimensions, got %d item ids", mod.name, len(mod.dims), len(itemIDs))
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var key rowKey
	for i, l := range mod.dims {
		ord, ok := l.ordinalOf(itemIDs[i])
		if !ok {
			return "", fmt.Errorf("engine: list %q has no item %q: %w", l.name, itemIDs[i], ErrNotFound)
		}
		key[i] = ord
	}
	return li.text(mod.cell(li, key)), nil
}

// ordinalOf finds an item by id. Item ids only grow in list order, so a
// binary search needs no extra index.
func (l *list) ordinalOf(id string) (int32, bool) {
	v, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return -1, false
	}
	i, ok := slices.BinarySearch(l.ids, v)
	return int32(i), ok
}
