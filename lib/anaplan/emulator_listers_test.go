package anaplan_test

// Every model-object and membership listing of the Integration API, read
// from the emulator's demo tenant through the client's iterators.

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func listersClient(t *testing.T) *anaplan.Client {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func collect[T any](t *testing.T, what string, seq func() ([]T, error)) []T {
	t.Helper()
	items, err := seq()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return items
}

func TestModelObjectListings(t *testing.T) {
	t.Parallel()
	c := listersClient(t)
	ctx := t.Context()
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)

	modules := collect(t, "ListModules", func() ([]anaplan.Module, error) { return anaplan.Collect(m.ListModules(ctx)) })
	i := slices.IndexFunc(modules, func(x anaplan.Module) bool { return x.Name == "W2 Model Register" })
	if i < 0 {
		t.Fatalf("modules %v lack W2 Model Register", modules)
	}
	register := modules[i]

	all := collect(t, "ListLineItems", func() ([]anaplan.LineItem, error) {
		return anaplan.Collect(m.ListLineItems(ctx, anaplan.LineItemsOptions{IncludeAll: true}))
	})
	own := collect(t, "ListModuleLineItems", func() ([]anaplan.LineItem, error) {
		return anaplan.Collect(m.ListModuleLineItems(ctx, register.ID, anaplan.LineItemsOptions{}))
	})
	if len(own) == 0 || len(all) <= len(own) {
		t.Fatalf("%d line items in the model, %d in W2 Model Register: want the model to have more", len(all), len(own))
	}
	var size anaplan.LineItem
	for _, li := range own {
		if li.ModuleID != register.ID {
			t.Errorf("line item %q of module %q listed under %q", li.Name, li.ModuleID, register.ID)
		}
		if li.Name == "Current Size" {
			size = li
		}
	}
	if size.ID == "" {
		t.Fatalf("W2 Model Register's line items %v lack Current Size", own)
	}

	views := collect(t, "ListViews", func() ([]anaplan.View, error) { return anaplan.Collect(m.ListViews(ctx, anaplan.ViewsOptions{})) })
	moduleViews := collect(t, "ListModuleViews", func() ([]anaplan.View, error) {
		return anaplan.Collect(m.ListModuleViews(ctx, register.ID, anaplan.ViewsOptions{IncludeSubsidiary: true}))
	})
	if len(views) < len(modules) || len(moduleViews) == 0 || moduleViews[0].ModuleID != register.ID {
		t.Fatalf("views %v, the register's %v: want each module's default view", views, moduleViews)
	}

	dims := collect(t, "ListLineItemDimensions", func() ([]anaplan.ObjectRef, error) {
		return anaplan.Collect(m.ListLineItemDimensions(ctx, size.ID))
	})
	lists := collect(t, "ListLists", func() ([]anaplan.List, error) { return anaplan.Collect(m.ListLists(ctx)) })
	w2 := lists[slices.IndexFunc(lists, func(l anaplan.List) bool { return l.Name == "W2 Models" })]
	if !slices.ContainsFunc(dims, func(d anaplan.ObjectRef) bool { return d.ID == w2.ID }) {
		t.Fatalf("Current Size's dimensions %v lack W2 Models (%s)", dims, w2.ID)
	}
	// The registry model is empty until loaded: the dimension has no items,
	// through each of the three routes that list them.
	for name, seq := range map[string]func() ([]anaplan.DimensionItem, error){
		"ListDimensionItems": func() ([]anaplan.DimensionItem, error) { return anaplan.Collect(m.ListDimensionItems(ctx, w2.ID)) },
		"ListLineItemDimensionItems": func() ([]anaplan.DimensionItem, error) {
			return anaplan.Collect(m.ListLineItemDimensionItems(ctx, size.ID, w2.ID))
		},
		"ListViewDimensionItems": func() ([]anaplan.DimensionItem, error) {
			return anaplan.Collect(m.ListViewDimensionItems(ctx, moduleViews[0].ID, w2.ID))
		},
	} {
		if items := collect(t, name, seq); len(items) != 0 {
			t.Errorf("%s of the empty W2 Models = %v", name, items)
		}
	}

	versions := collect(t, "ListVersions", func() ([]anaplan.Version, error) { return anaplan.Collect(m.ListVersions(ctx)) })
	if len(versions) == 0 {
		t.Error("the model has no versions")
	}
	if _, err := anaplan.Collect(m.ListDashboards(ctx)); err != nil {
		t.Errorf("ListDashboards: %v", err)
	}
	users := collect(t, "ListModelUsers", func() ([]anaplan.User, error) { return anaplan.Collect(m.ListModelUsers(ctx)) })
	if !slices.ContainsFunc(users, func(u anaplan.User) bool { return u.Email == emulator.DemoUser }) {
		t.Errorf("model users %v lack the demo user", users)
	}
}

func TestMembershipListings(t *testing.T) {
	t.Parallel()
	c := listersClient(t)
	ctx := t.Context()
	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users := collect(t, "ListWorkspaceUsers", func() ([]anaplan.User, error) {
		return anaplan.Collect(c.ListWorkspaceUsers(ctx, emulator.RegistryWorkspaceID))
	})
	if !slices.ContainsFunc(users, func(u anaplan.User) bool { return u.ID == me.ID }) {
		t.Errorf("workspace users %v lack %s", users, me.ID)
	}
	if _, err := anaplan.Collect(c.ListWorkspaceAdmins(ctx, emulator.RegistryWorkspaceID)); err != nil {
		t.Errorf("ListWorkspaceAdmins: %v", err)
	}
	if _, err := anaplan.Collect(c.ListWorkspaceVisitors(ctx, emulator.RegistryWorkspaceID)); err != nil {
		t.Errorf("ListWorkspaceVisitors: %v", err)
	}
	spaces := collect(t, "ListUserWorkspaces", func() ([]anaplan.Workspace, error) { return anaplan.Collect(c.ListUserWorkspaces(ctx, me.ID)) })
	if !slices.ContainsFunc(spaces, func(w anaplan.Workspace) bool { return w.ID == emulator.RegistryWorkspaceID }) {
		t.Errorf("the demo user's workspaces %v lack the registry's", spaces)
	}
	models := collect(t, "ListUserModels", func() ([]anaplan.Model, error) { return anaplan.Collect(c.ListUserModels(ctx, me.ID)) })
	if !slices.ContainsFunc(models, func(x anaplan.Model) bool { return x.ID == emulator.RegistryModelID }) {
		t.Errorf("the demo user's models lack the registry model (%d models)", len(models))
	}
}
