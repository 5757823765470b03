package anaplan

// A tenant's models repeat a few strings over and over: their workspace's
// id and name, their state, the users who last changed them, their
// category assignments. Decoded as they come, 100,000 models held 100,000
// copies of each, a third of the memory scripts/registry needed for them.
// A listing keeps one copy of each repeated value instead.

// stringSharer is a list item whose repeated string fields can share one
// copy per value.
type stringSharer interface {
	shareStrings(share func(string) string)
}

// stringTable hands out one copy of each string it has seen. It lives as
// long as one listing and is used from one goroutine.
type stringTable map[string]string

func (t stringTable) share(s string) string {
	if s == "" {
		return s
	}
	if v, ok := t[s]; ok {
		return v
	}
	t[s] = s
	return s
}

// shareStrings makes the fields that repeat across a tenant's models share
// their strings. IDs, names and URLs of the model itself are unique and
// left alone.
func (m *Model) shareStrings(share func(string) string) {
	m.ActiveState = ModelState(share(string(m.ActiveState)))
	m.CurrentWorkspaceID = share(m.CurrentWorkspaceID)
	m.CurrentWorkspaceName = share(m.CurrentWorkspaceName)
	m.LastModifiedByUserGUID = share(m.LastModifiedByUserGUID)
	for i := range m.CategoryValues {
		c := &m.CategoryValues[i]
		c.ID, c.Attribute, c.CategoryID = share(c.ID), share(c.Attribute), share(c.CategoryID)
		c.CategoryName, c.CustomerID = share(c.CategoryName), share(c.CustomerID)
	}
}
