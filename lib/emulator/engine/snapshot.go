package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// snapshotFormat names the snapshot layout; Restore refuses other layouts.
const snapshotFormat = "anaplan-emulator-engine-state/1"

// The snapshot is JSON keyed by names (lists, properties, modules, line
// items) and item ids, so it stays readable and survives a definition that
// gained objects since it was written.
type snapshot struct {
	Format  string       `json:"format"`
	Model   string       `json:"model"`
	Lists   []snapList   `json:"lists"`
	Modules []snapModule `json:"modules"`
}

type snapList struct {
	Name      string     `json:"name"`
	NextIndex int64      `json:"nextIndex"`
	Items     []snapItem `json:"items"`
}

type snapItem struct {
	ID         string            `json:"id"`
	Code       string            `json:"code,omitempty"`
	Name       string            `json:"name"`
	Parent     string            `json:"parent,omitempty"` // parent item id
	Properties map[string]string `json:"properties,omitempty"`
}

type snapModule struct {
	Name string    `json:"name"`
	Rows []snapRow `json:"rows"`
}

type snapRow struct {
	Items  []string          `json:"items"`  // item id per dimension
	Values map[string]string `json:"values"` // line item name -> value
}

// Snapshot returns the model's data (list items and cells) so the emulator
// can persist it and a restart loses nothing. The definition is not
// included: restore into a model built from the same definition.
func (m *Model) Snapshot() ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := snapshot{Format: snapshotFormat, Model: m.name}
	for _, l := range m.lists {
		sl := snapList{Name: l.name, NextIndex: l.next, Items: make([]snapItem, l.len())}
		for ord := range sl.Items {
			it := snapItem{ID: idString(l.ids[ord]), Code: l.codes[ord], Name: l.names[ord]}
			if p := l.parents[ord]; p >= 0 {
				it.Parent = idString(l.parent.ids[p])
			}
			if len(l.props) > 0 {
				it.Properties = make(map[string]string, len(l.props))
				for _, p := range l.props {
					it.Properties[p.name] = canonical(p.format, nil, p.col.get(ord))
				}
			}
			sl.Items[ord] = it
		}
		s.Lists = append(s.Lists, sl)
	}
	for _, mod := range m.modules {
		sm := snapModule{Name: mod.name, Rows: make([]snapRow, len(mod.keys))}
		for r, key := range mod.keys {
			row := snapRow{Items: make([]string, len(mod.dims)), Values: map[string]string{}}
			for i, l := range mod.dims {
				row.Items[i] = idString(l.ids[key[i]])
			}
			for _, li := range mod.lineItems {
				if li.col >= 0 {
					row.Values[li.name] = canonical(li.format, li.list, mod.cols[li.col].get(r))
				}
			}
			sm.Rows[r] = row
		}
		s.Modules = append(s.Modules, sm)
	}
	return json.Marshal(s)
}

// canonical writes a value so that parsing it gives the same value back:
// numbers in shortest round-trip form, list values as item ids.
func canonical(f format, l *list, v value) string {
	switch f {
	case fNumber:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case fList:
		if v.item < 0 {
			return ""
		}
		return idString(l.ids[v.item])
	}
	return v.text
}

// Restore replaces the model's data with a snapshot taken by Snapshot. It
// checks the whole snapshot first: on error the model is unchanged.
func (m *Model) Restore(data []byte) error {
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("engine: restore: not a snapshot: %w", err)
	}
	if s.Format != snapshotFormat {
		return fmt.Errorf("engine: restore: snapshot format %q is not %q", s.Format, snapshotFormat)
	}
	if s.Model != m.name {
		return fmt.Errorf("engine: restore: snapshot is of model %q, not %q", s.Model, m.name)
	}
	defer m.lock()()
	m.mu.Lock()
	defer m.mu.Unlock()

	r := restorer{m: m, lists: map[*list]*list{}, modules: map[*module]*module{}}
	if err := r.build(s); err != nil {
		return fmt.Errorf("engine: restore: %w", err)
	}
	r.commit()
	return nil
}
