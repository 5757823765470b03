package engine

import (
	"fmt"
	"strconv"
)

// restorer rebuilds a model's data from a snapshot into shadow copies of
// its lists and modules, so that a bad snapshot leaves the model untouched;
// commit then moves the shadow data into the model.
type restorer struct {
	m       *Model
	lists   map[*list]*list     // model list -> shadow holding restored items
	modules map[*module]*module // model module -> shadow holding restored cells
}

func (r *restorer) build(s snapshot) error {
	byName := map[string]*list{}
	for _, l := range r.m.lists {
		byName[l.name] = l
		r.lists[l] = shadowList(l)
	}
	seen := map[string]bool{}
	for _, sl := range s.Lists {
		l := byName[sl.Name]
		if l == nil {
			return fmt.Errorf("list %q is not in model %q", sl.Name, r.m.name)
		}
		if seen[sl.Name] {
			return fmt.Errorf("list %q appears twice", sl.Name)
		}
		seen[sl.Name] = true
		if err := r.items(l, sl); err != nil {
			return fmt.Errorf("list %q: %w", sl.Name, err)
		}
	}
	// Parents in a second pass: a parent list may come later.
	for _, sl := range s.Lists {
		if err := r.parents(byName[sl.Name], sl); err != nil {
			return fmt.Errorf("list %q: %w", sl.Name, err)
		}
	}
	modByName := map[string]*module{}
	for _, mod := range r.m.modules {
		modByName[mod.name] = mod
		r.modules[mod] = shadowModule(mod)
	}
	for _, sm := range s.Modules {
		mod := modByName[sm.Name]
		if mod == nil {
			return fmt.Errorf("module %q is not in model %q", sm.Name, r.m.name)
		}
		if err := r.cells(mod, sm); err != nil {
			return fmt.Errorf("module %q: %w", sm.Name, err)
		}
	}
	return nil
}

func shadowList(l *list) *list {
	c := *l
	c.props = make([]*property, len(l.props))
	c.propByName = make(map[string]*property, len(l.props))
	for i, p := range l.props {
		c.props[i] = &property{name: p.name, format: p.format}
		c.propByName[p.name] = c.props[i]
	}
	c.reset(0)
	return &c
}

func shadowModule(mod *module) *module {
	c := *mod
	c.cols = make([]column, len(mod.cols))
	c.reset(0)
	return &c
}

func (r *restorer) items(l *list, sl snapList) error {
	sh := r.lists[l]
	sh.reset(len(sl.Items))
	var last int64
	for _, it := range sl.Items {
		id, err := strconv.ParseInt(it.ID, 10, 64)
		if err != nil || id/idBlock != int64(prefixItem+l.idx) || id%idBlock == 0 {
			return fmt.Errorf("item %q: the id is not an item id of this list", it.ID)
		}
		if id <= last {
			return fmt.Errorf("item %q: ids must increase in list order", it.ID)
		}
		last = id
		if it.Code != "" {
			if _, dup := sh.byCode[it.Code]; dup {
				return fmt.Errorf("item %q: code %q is used twice", it.ID, it.Code)
			}
		}
		if !l.numbered {
			if it.Name == "" {
				return fmt.Errorf("item %q has no name", it.ID)
			}
			if _, dup := sh.byName[it.Name]; dup {
				return fmt.Errorf("item %q: name %q is used twice", it.ID, it.Name)
			}
		}
		sh.next = id % idBlock
		ord := sh.add(it.Code, it.Name, -1)
		sh.ids[ord] = id
		for name, v := range it.Properties {
			p := sh.propByName[name]
			if p == nil {
				return fmt.Errorf("item %q: the list has no property %q", it.ID, name)
			}
			val := value{text: v}
			if p.format == fNumber {
				if val.num, err = strconv.ParseFloat(v, 64); err != nil {
					return fmt.Errorf("item %q: property %q: %q is not a number", it.ID, name, v)
				}
				val.text = ""
			}
			p.col.set(int(ord), val)
		}
	}
	sh.next = max(sh.next, sl.NextIndex, 1)
	return nil
}

func (r *restorer) parents(l *list, sl snapList) error {
	sh := r.lists[l]
	for ord, it := range sl.Items {
		if it.Parent == "" {
			continue
		}
		if l.parent == nil {
			return fmt.Errorf("item %q has a parent but the list has no parent list", it.ID)
		}
		p, ok := r.lists[l.parent].ordinalOf(it.Parent)
		if !ok {
			return fmt.Errorf("item %q: parent %q is not an item of list %q", it.ID, it.Parent, l.parent.name)
		}
		sh.parents[ord] = p
	}
	return nil
}

func (r *restorer) cells(mod *module, sm snapModule) error {
	sh := r.modules[mod]
	sh.reset(len(sm.Rows))
	for n, row := range sm.Rows {
		if len(row.Items) != len(mod.dims) {
			return fmt.Errorf("row %d has %d items for %d dimensions", n, len(row.Items), len(mod.dims))
		}
		var key rowKey
		for i, d := range mod.dims {
			ord, ok := r.lists[d].ordinalOf(row.Items[i])
			if !ok {
				return fmt.Errorf("row %d: %q is not an item of list %q", n, row.Items[i], d.name)
			}
			key[i] = ord
		}
		ri, created := sh.row(key)
		if !created {
			return fmt.Errorf("row %d repeats the items of an earlier row", n)
		}
		for name, v := range row.Values {
			li := mod.byName[name]
			if li == nil || li.col < 0 {
				return fmt.Errorf("row %d: %q is not an input line item of the module", n, name)
			}
			val, err := r.value(li, v)
			if err != nil {
				return fmt.Errorf("row %d: line item %q: %w", n, name, err)
			}
			sh.cols[li.col].set(int(ri), val)
		}
	}
	return nil
}

func (r *restorer) value(li *lineItem, v string) (value, error) {
	switch li.format {
	case fNumber:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return value{}, fmt.Errorf("%q is not a number", v)
		}
		return value{num: n}, nil
	case fList:
		if v == "" {
			return value{item: -1}, nil
		}
		ord, ok := r.lists[li.list].ordinalOf(v)
		if !ok {
			return value{}, fmt.Errorf("%q is not an item of list %q", v, li.list.name)
		}
		return value{item: ord}, nil
	}
	return value{text: v}, nil
}

// commit moves the restored data into the model's lists and modules.
func (r *restorer) commit() {
	for l, sh := range r.lists {
		l.ids, l.codes, l.names, l.parents = sh.ids, sh.codes, sh.names, sh.parents
		l.byCode, l.byName, l.next = sh.byCode, sh.byName, sh.next
		for i, p := range l.props {
			p.col = sh.props[i].col
		}
	}
	for mod, sh := range r.modules {
		mod.rows, mod.byItem, mod.keys, mod.cols = sh.rows, sh.byItem, sh.keys, sh.cols
	}
}
