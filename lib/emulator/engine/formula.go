package engine

import (
	"fmt"
	"strings"
)

// The engine evaluates only the two formulas the Model Registry tutorial
// uses, when a cell is read:
//
//	'W1 Workspaces'.Workspace Name   a property of the item of a dimension list
//	PARENT(ITEM('W2 Models'))        the parent of the item of a dimension list
//
// Anything else is rejected when the definition loads, so a user's model never
// silently computes a wrong value in the emulator.

type formulaKind uint8

const (
	formulaProperty formulaKind = iota + 1 // 'List'.Property
	formulaParent                          // PARENT(ITEM('List'))
)

type formula struct {
	text     string
	kind     formulaKind
	dim      int       // index of the module dimension the formula reads
	property *property // formulaProperty only
}

// parseFormula checks text against the supported forms for line item li of
// module mod and returns the compiled formula or a message naming the problem.
func parseFormula(text string, mod *module, li *lineItem) (*formula, string) {
	const supported = "the emulator supports only '<List>'.<Property> (a property of a dimension list) and PARENT(ITEM('<List>'))"
	s := strings.TrimSpace(text)
	if inner, ok := cutCall(s, "PARENT"); ok {
		arg, ok := cutCall(inner, "ITEM")
		if !ok {
			return nil, fmt.Sprintf("formula %q: PARENT needs ITEM('<List>') as its argument; %s", text, supported)
		}
		name := unquoteName(arg)
		dim := mod.dimIndex(name)
		if dim < 0 {
			return nil, fmt.Sprintf("formula %q: list %q is not a dimension of module %q", text, name, mod.name)
		}
		l := mod.dims[dim]
		if l.parent == nil {
			return nil, fmt.Sprintf("formula %q: list %q has no parent list", text, name)
		}
		if li.format != fList || li.list != l.parent {
			return nil, fmt.Sprintf("formula %q returns an item of %q, so the line item must have format LIST and list %q", text, l.parent.name, l.parent.name)
		}
		return &formula{text: text, kind: formulaParent, dim: dim}, ""
	}
	listName, propName, ok := cutProperty(s)
	if !ok {
		return nil, fmt.Sprintf("unsupported formula %q: %s", text, supported)
	}
	dim := mod.dimIndex(listName)
	if dim < 0 {
		return nil, fmt.Sprintf("formula %q: list %q is not a dimension of module %q", text, listName, mod.name)
	}
	p := mod.dims[dim].propByName[propName]
	if p == nil {
		return nil, fmt.Sprintf("formula %q: list %q has no property %q", text, listName, propName)
	}
	if li.format != p.format {
		return nil, fmt.Sprintf("formula %q returns %s but the line item has format %s", text, p.format, li.format)
	}
	return &formula{text: text, kind: formulaProperty, dim: dim, property: p}, ""
}

// cutCall returns the argument of FN(arg), matching FN case-insensitively as
// Anaplan does.
func cutCall(s, fn string) (string, bool) {
	if len(s) < len(fn)+2 || !strings.EqualFold(s[:len(fn)], fn) {
		return "", false
	}
	rest := strings.TrimSpace(s[len(fn):])
	if !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") {
		return "", false
	}
	return strings.TrimSpace(rest[1 : len(rest)-1]), true
}

// cutProperty splits 'List Name'.Property or List.Property. A quoted list
// name may contain dots; the property may be quoted too.
func cutProperty(s string) (list, prop string, ok bool) {
	if strings.HasPrefix(s, "'") {
		end := strings.Index(s[1:], "'")
		if end < 0 {
			return "", "", false
		}
		list, rest := s[1:1+end], s[2+end:]
		rest, ok = strings.CutPrefix(rest, ".")
		if !ok || rest == "" {
			return "", "", false
		}
		return list, unquoteName(rest), true
	}
	list, prop, ok = strings.Cut(s, ".")
	if !ok || list == "" || prop == "" || strings.ContainsAny(list, "()'\"") {
		return "", "", false
	}
	return strings.TrimSpace(list), unquoteName(prop), true
}

func unquoteName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}

// eval computes the formula for the module row whose dimension item
// ordinals are key.
func (f *formula) eval(mod *module, key rowKey) value {
	ord := key[f.dim]
	switch f.kind {
	case formulaParent:
		return value{item: mod.dims[f.dim].parents[ord]}
	default:
		return f.property.col.get(int(ord))
	}
}
