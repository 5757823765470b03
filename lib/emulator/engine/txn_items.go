package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Transactional list writes (anaplan-api.md §6 "Lists"): add, update and
// delete items one call at a time, each item accepted or rejected on its
// own with a failure that points at its index in the request. A rejected
// item changes nothing; the others are applied.

// MaxItemsPerCall is Anaplan's limit on items per add, update or delete
// call (H:listadd, H:listupd, H:listdel).
const MaxItemsPerCall = 100_000

// ErrTooMany is wrapped by errors for a request over a documented size
// limit, so the HTTP layer can answer 400.
var ErrTooMany = errors.New("too many")

// ErrListNotEmpty is returned by ResetIndex for a list that has items.
var ErrListNotEmpty = errors.New("We can't reset the list item index of a list that contains data. Select an empty list that doesn't contain any list items.")

// ItemInput is one item of an add, update or delete request. Empty
// strings are absent fields; Parent nil leaves the parent as it is (an
// empty Parent makes the item top-level).
type ItemInput struct {
	ID         string
	Code       string
	Name       string
	Parent     *string
	Properties map[string]string
}

// Failure is one rejected entry of a transactional write: requestIndex is
// its 0-based position in the request.
type Failure struct {
	RequestIndex          int    `json:"requestIndex"`
	FailureType           string `json:"failureType"`
	FailureMessageDetails string `json:"failureMessageDetails"`
}

// Failure types. INCORRECT_FORMAT and INCOMPLETE_DATA are Anaplan's (OAS
// examples); the others are the emulator's names (UNVERIFIED).
const (
	failIncorrectFormat = "INCORRECT_FORMAT"
	failIncompleteData  = "INCOMPLETE_DATA"
	failNotFound        = "Not found"
	failAlreadyExists   = "ALREADY_EXISTS"
	failInvalidParent   = "INVALID_PARENT"
	failNotWritable     = "NOT_WRITABLE"
)

func tooMany(n int) error {
	return fmt.Errorf("engine: %d items in one call, the limit is %d: split the request: %w", n, MaxItemsPerCall, ErrTooMany)
}

// AddItems creates items: a plain list needs a name (unique in the
// list), a numbered list may leave it out. An item that already exists
// (same code, or same name in a plain list) is ignored with a failure, so
// a retried add never creates duplicates.
func (m *Model) AddItems(listID string, items []ItemInput) (added int, failures []Failure, err error) {
	l, done, err := m.startItemsCall(listID, len(items))
	if err != nil {
		return 0, nil, err
	}
	defer done()
	l.reserve(len(items))
	added, failures = eachItem(items, func(in ItemInput) string { return m.addItem(l, in) })
	return added, failures, nil
}

// startItemsCall checks an items call on listID (the list exists, the
// call has at most MaxItemsPerCall items) and takes the model for writing;
// done gives it back.
func (m *Model) startItemsCall(listID string, n int) (l *list, done func(), err error) {
	if l, err = m.listByID(listID); err != nil {
		return nil, nil, err
	}
	if n > MaxItemsPerCall {
		return nil, nil, tooMany(n)
	}
	unlock := m.lock()
	m.mu.Lock()
	return l, func() { m.mu.Unlock(); unlock() }, nil
}

// eachItem applies apply to every item in request order; apply returns
// "" when it succeeded, else a "TYPE|details" failure. It counts the
// successes and collects the failures.
func eachItem(items []ItemInput, apply func(ItemInput) string) (ok int, failures []Failure) {
	for i, in := range items {
		if f := apply(in); f != "" {
			failures = append(failures, failure(i, f))
			continue
		}
		ok++
	}
	return ok, failures
}

// failure splits "TYPE|details" into a Failure.
func failure(i int, f string) Failure {
	kind, details, _ := strings.Cut(f, "|")
	return Failure{RequestIndex: i, FailureType: kind, FailureMessageDetails: details}
}

func (m *Model) addItem(l *list, in ItemInput) string {
	if !l.numbered && in.Name == "" {
		return failIncompleteData + "|name is required for an item of list " + l.name
	}
	if in.Code != "" {
		if _, ok := l.byCode[in.Code]; ok {
			return failAlreadyExists + "|an item with code '" + in.Code + "' already exists"
		}
	}
	if l.byName != nil {
		if _, ok := l.byName[in.Name]; ok {
			return failAlreadyExists + "|an item named '" + in.Name + "' already exists"
		}
	}
	parent := int32(-1)
	if in.Parent != nil && *in.Parent != "" {
		p, f := resolveParent(l, *in.Parent)
		if f != "" {
			return f
		}
		parent = p
	}
	props, f := parseProperties(l, in.Properties)
	if f != "" {
		return f
	}
	ord := l.add(in.Code, in.Name, parent)
	for p, v := range props {
		p.col.set(int(ord), v)
	}
	return ""
}

func resolveParent(l *list, key string) (int32, string) {
	if l.parent == nil {
		return -1, failInvalidParent + "|list " + l.name + " has no parent list"
	}
	if p, ok := l.parent.lookup(key); ok {
		return p, ""
	}
	if p, ok := l.parent.ordinalOf(key); ok {
		return p, ""
	}
	return -1, failInvalidParent + "|Item not located in " + l.parent.name + " list: " + key
}

// parseProperties checks every property value before any is applied.
func parseProperties(l *list, in map[string]string) (map[*property]value, string) {
	if len(in) == 0 {
		return nil, ""
	}
	out := make(map[*property]value, len(in))
	for name, s := range in {
		p := l.propByName[name]
		if p == nil {
			return nil, failIncorrectFormat + "|unknown property -- column name:" + name
		}
		v := value{text: s, item: -1}
		if p.format == fNumber {
			n, err := parseNumberText(s)
			if err != nil {
				return nil, failIncorrectFormat + "|incorrect format -- column name:" + name + ", value:" + s
			}
			v = value{num: n, item: -1}
		}
		out[p] = v
	}
	return out, ""
}

// parseNumberText reads a number as a cell or property value: plain
// decimals, blank is 0.
func parseNumberText(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	return strconv.ParseFloat(s, 64)
}

// findItem resolves the identifier of an update or delete: id, then
// code, then name (plain lists only).
func findItem(l *list, in ItemInput) (int32, string) {
	switch {
	case in.ID != "":
		if ord, ok := l.ordinalOf(in.ID); ok {
			return ord, ""
		}
		return -1, failNotFound + "|Id '" + in.ID + "' not found"
	case in.Code != "":
		if ord, ok := l.byCode[in.Code]; ok {
			return ord, ""
		}
		return -1, failNotFound + "|Code '" + in.Code + "' not found"
	case in.Name != "" && l.byName != nil:
		if ord, ok := l.byName[in.Name]; ok {
			return ord, ""
		}
		return -1, failNotFound + "|Name '" + in.Name + "' not found"
	}
	if l.numbered {
		return -1, failIncompleteData + "|an item of numbered list " + l.name + " is identified by id or code"
	}
	return -1, failIncompleteData + "|an item is identified by id, code or name"
}

// UpdateItems changes the parent, properties and (when identified by id
// or code) the name of existing items.
func (m *Model) UpdateItems(listID string, items []ItemInput) (updated int, failures []Failure, err error) {
	l, done, err := m.startItemsCall(listID, len(items))
	if err != nil {
		return 0, nil, err
	}
	defer done()
	updated, failures = eachItem(items, func(in ItemInput) string { return m.updateItem(l, in) })
	return updated, failures, nil
}

func (m *Model) updateItem(l *list, in ItemInput) string {
	ord, f := findItem(l, in)
	if f != "" {
		return f
	}
	rename := in.Name != "" && (in.ID != "" || in.Code != "") && in.Name != l.names[ord]
	if rename && l.byName != nil {
		if other, ok := l.byName[in.Name]; ok && other != ord {
			return failAlreadyExists + "|an item named '" + in.Name + "' already exists"
		}
	}
	parent := l.parents[ord]
	if in.Parent != nil {
		parent = -1
		if *in.Parent != "" {
			if parent, f = resolveParent(l, *in.Parent); f != "" {
				return f
			}
		}
	}
	props, f := parseProperties(l, in.Properties)
	if f != "" {
		return f
	}
	if rename {
		l.rename(ord, in.Name)
	}
	l.parents[ord] = parent
	for p, v := range props {
		p.col.set(int(ord), v)
	}
	return ""
}

// DeleteItems removes items (by id, code or name) with their cells;
// children of a deleted item become top-level and list-formatted cells
// naming it become blank (UNVERIFIED: Anaplan's behaviour for children is
// not public).
func (m *Model) DeleteItems(listID string, items []ItemInput) (deleted int, failures []Failure, err error) {
	l, done, err := m.startItemsCall(listID, len(items))
	if err != nil {
		return 0, nil, err
	}
	defer done()
	remove := make([]bool, l.len())
	deleted, failures = eachItem(items, func(in ItemInput) string {
		ord, f := findItem(l, in)
		switch {
		case f != "":
			return f
		case remove[ord]:
			return failNotFound + "|item already deleted in this request"
		}
		remove[ord] = true
		return ""
	})
	if deleted > 0 {
		m.compact(l, remove)
	}
	return deleted, failures, nil
}

// ResetIndex restarts a numbered list's item numbering; the list must be
// empty.
func (m *Model) ResetIndex(listID string) error {
	l, err := m.listByID(listID)
	if err != nil {
		return err
	}
	defer m.lock()()
	m.mu.Lock()
	defer m.mu.Unlock()
	if l.len() > 0 {
		return ErrListNotEmpty
	}
	l.next = 1
	return nil
}
