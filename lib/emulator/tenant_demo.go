package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Demo credentials and fixed IDs. DEMO ONLY: the password is public, it
// exists so learners can log in to the emulator; never use it elsewhere.
const (
	DemoUser     = "demo.admin@example.com"
	DemoPassword = "emulator-demo-password"

	DemoUserID     = "b7e3c1d2a4f5469e8c0d1a2b3c4d5e6f"
	DemoCustomerID = "e4a1c9b7d3f2408a9b6c5d4e3f2a1b0c"

	// RegistryWorkspaceID and RegistryModelID are the "Admin Tools"
	// workspace and its "Model Registry" model, where the toolkit loads
	// the registry. Demo() and Generate() both contain them.
	RegistryWorkspaceID = "8f2e6c1a9b3d4e57a0c4b6d8e1f3a259"
	RegistryModelID     = "A3F4C91D2B7E4E0F8C6D15B9E2A7C043"

	// DemoNoAccessModelID is "HR Compensation Planning (Restricted)", on
	// which the demo user holds the NO ACCESS role.
	DemoNoAccessModelID = "5D0C8B7A19E24F6B93A1C7E04D2B6F18"
)

const mib = 1 << 20

// demoWorkspace describes one demo workspace; allowance in MiB.
type demoWorkspace struct {
	key, id, name string
	active        bool
	allowanceMiB  int64
}

var demoWorkspaces = []demoWorkspace{
	{key: "fpa", name: "FP&A Planning", active: true, allowanceMiB: 30 << 10},
	{key: "sales", name: "Sales & Revenue Operations", active: true, allowanceMiB: 25 << 10},
	{key: "supply", name: "Supply Chain Planning", active: true, allowanceMiB: 40 << 10},
	// ~97% full: the model sizes below add up to 8,900 MiB.
	{key: "hr", name: "Workforce Planning (HR)", active: true, allowanceMiB: 9 << 10},
	// Over its allowance: 5,600 MiB of models in 5 GiB.
	{key: "sandbox", name: "Sandbox – Model Builders", active: true, allowanceMiB: 5 << 10},
	{key: "admin", id: RegistryWorkspaceID, name: "Admin Tools", active: true, allowanceMiB: 2 << 10},
	{key: "legacy", name: "Legacy 2019", active: false, allowanceMiB: 10 << 10},
}

// demoModel describes one demo model; size in MiB.
type demoModel struct {
	ws, id, name, state string
	sizeMiB             int64
	function            string // "Business Function" category; "" for none
	busy                bool   // modelTransactionRunning
}

var demoModels = []demoModel{
	{ws: "fpa", name: "FP&A Planning - DEV", state: "UNLOCKED", sizeMiB: 2150, function: "Finance"},
	{ws: "fpa", name: "FP&A Planning - TEST", state: "LOCKED", sizeMiB: 2310, function: "Finance"},
	{ws: "fpa", name: "FP&A Planning", state: "PRODUCTION", sizeMiB: 2480, function: "Finance"},
	{ws: "fpa", name: "FP&A Planning (copy 2024-03)", state: "ARCHIVED", sizeMiB: 2290, function: "Finance"},
	{ws: "fpa", name: "Budget, Forecast & Actuals - DEV", state: "UNLOCKED", sizeMiB: 1320, function: "Finance"},
	{ws: "fpa", name: "Budget, Forecast & Actuals", state: "PRODUCTION_MAINTENANCE", sizeMiB: 1475, function: "Finance"},
	{ws: "fpa", name: "Capex Planning - UAT", state: "MAINTENANCE", sizeMiB: 640, function: "Finance"},
	{ws: "fpa", name: "Capex Planning", state: "PRODUCTION", sizeMiB: 655, function: "Finance"},
	{ws: "fpa", name: "=SUM(A1:A9) Scenario Model", state: "UNLOCKED", sizeMiB: 210, function: "Finance"},
	// ACTIVE is documented by an SDK but missing from the OpenAPI enum.
	{ws: "fpa", name: "Consolidation - DEV", state: "ACTIVE", sizeMiB: 880, function: "Finance"},

	{ws: "sales", name: "Sales Capacity - DEV", state: "UNLOCKED", sizeMiB: 1720, function: "Sales"},
	{ws: "sales", name: "Sales Capacity - TEST", state: "LOCKED", sizeMiB: 1750, function: "Sales"},
	{ws: "sales", name: "Sales Capacity", state: "PRODUCTION", sizeMiB: 1810, function: "Sales"},
	{ws: "sales", name: "Sales Capacity (copy 2024-03)", state: "ARCHIVED", sizeMiB: 1690, function: "Sales"},
	{ws: "sales", name: "Territory & Quota Planning", state: "PRODUCTION", sizeMiB: 3950, function: "Sales"},
	{ws: "sales", name: `Incentive Comp "ICM" - DEV`, state: "UNLOCKED", sizeMiB: 760, function: "Sales"},
	{ws: "sales", name: "Prévisions Ventes – 東京", state: "PRODUCTION", sizeMiB: 1180, function: "Sales"},
	{ws: "sales", name: "Pipeline Forecast\nQ3 draft", state: "UNLOCKED", sizeMiB: 95, function: "Sales"},

	{ws: "supply", name: "Demand Planning - DEV", state: "UNLOCKED", sizeMiB: 4100, function: "Supply Chain"},
	{ws: "supply", name: "Demand Planning - TEST", state: "LOCKED", sizeMiB: 4350, function: "Supply Chain"},
	{ws: "supply", name: "Demand Planning", state: "PRODUCTION", sizeMiB: 6820, function: "Supply Chain", busy: true},
	{ws: "supply", name: "S&OP Executive Review", state: "PRODUCTION_MAINTENANCE", sizeMiB: 1530, function: "Supply Chain"},
	{ws: "supply", name: "Inventory Optimisation - Sandbox", state: "MAINTENANCE", sizeMiB: 2400, function: "Supply Chain"},
	{ws: "supply", name: "Supply Planning 2023", state: "ARCHIVED", sizeMiB: 5120, function: "Supply Chain"},

	{ws: "hr", name: "Workforce Planning - DEV", state: "UNLOCKED", sizeMiB: 1800, function: "HR"},
	{ws: "hr", name: "Workforce Planning - TEST", state: "LOCKED", sizeMiB: 2100, function: "HR"},
	{ws: "hr", name: "Workforce Planning", state: "PRODUCTION", sizeMiB: 2600, function: "HR"},
	{ws: "hr", id: DemoNoAccessModelID, name: "HR Compensation Planning (Restricted)", state: "PRODUCTION", sizeMiB: 1450, function: "HR"},
	{ws: "hr", name: "Headcount Reforecast FY25", state: "MAINTENANCE", sizeMiB: 950, function: "HR"},

	{ws: "sandbox", name: "Training Model - Level 1", state: "UNLOCKED", sizeMiB: 350},
	{ws: "sandbox", name: "Training Model - Level 2", state: "UNLOCKED", sizeMiB: 420},
	{ws: "sandbox", name: "Scratch - do not use", state: "UNLOCKED", sizeMiB: 1250},
	{ws: "sandbox", name: "Copy of Copy of FP&A Planning", state: "UNLOCKED", sizeMiB: 3400, function: "Finance"},
	{ws: "sandbox", name: "Test Model 1", state: "ARCHIVED", sizeMiB: 180},

	{ws: "admin", id: RegistryModelID, name: "Model Registry", state: "UNLOCKED", sizeMiB: 120, function: "IT"},
	{ws: "admin", name: "Tenant Audit Reporting", state: "PRODUCTION", sizeMiB: 310, function: "IT"},

	{ws: "legacy", name: "FP&A Planning 2019", state: "ARCHIVED", sizeMiB: 1980, function: "Finance"},
	{ws: "legacy", name: "Sales Capacity 2019", state: "ARCHIVED", sizeMiB: 1410, function: "Sales"},
	{ws: "legacy", name: "Legacy Consolidation", state: "ARCHIVED", sizeMiB: 760, function: "Finance"},
}

// Demo returns the seeded demo tenant: 7 workspaces (one ~97% of its size
// allowance, one over it, one inactive) and 39 models in every activeState,
// including ACTIVE, names that break naive CSV, a model the demo user
// cannot access (DemoNoAccessModelID) and the "Model Registry" model in
// "Admin Tools" (RegistryModelID, RegistryWorkspaceID). Everything is
// deterministic: the same IDs, sizes and dates on every call. Its ALM
// lineage builds the families DemoFamilies declares.
func Demo() *Tenant {
	t := &Tenant{
		CustomerID: DemoCustomerID,
		Users:      demoUsers(),
		TrustedCAs: [][]byte{DemoCAPEM()},
	}
	used := make(map[string]int64, len(demoWorkspaces))
	for i, d := range demoModels {
		id := d.id
		if id == "" {
			id = strings.ToUpper(demoID("model", d.name))
		}
		created, modified := demoDates(i, d)
		m := Model{
			ID:                    id,
			Name:                  d.name,
			ActiveState:           d.state,
			WorkspaceID:           demoWorkspaceID(d.ws),
			MemoryUsage:           d.sizeMiB*mib + int64((i*7919*7919)%mib),
			LastSavedSerialNumber: 2000000 + int64((i+1)*1379%90000),
			LastModifiedByUserID:  t.Users[i%len(t.Users)].ID,
			Created:               created,
			LastModified:          modified,
			TransactionRunning:    d.busy,
		}
		if d.function != "" {
			m.CategoryValues = []CategoryValue{demoCategory("Business Function", d.function)}
		}
		if id == DemoNoAccessModelID {
			m.NoAccessUserIDs = []string{DemoUserID}
		}
		used[d.ws] += m.MemoryUsage
		t.Models = append(t.Models, m)
	}
	for _, d := range demoWorkspaces {
		t.Workspaces = append(t.Workspaces, Workspace{
			ID:            demoWorkspaceID(d.key),
			Name:          d.name,
			Active:        d.active,
			SizeAllowance: d.allowanceMiB * mib,
			CurrentSize:   used[d.key],
		})
	}
	t.Revisions = demoRevisions(t.Models, t.Users)
	return t
}

func demoWorkspaceID(key string) string {
	for _, d := range demoWorkspaces {
		if d.key == key && d.id != "" {
			return d.id
		}
	}
	return demoID("workspace", key)
}

// demoUsers are the tenant's users: the demo admin (the only one with a
// password) and colleagues who appear as lastModifiedByUserGuid.
func demoUsers() []User {
	login := time.Date(2024, 6, 3, 8, 15, 42, 0, time.UTC)
	return []User{
		{ID: DemoUserID, Email: DemoUser, FirstName: "Demo", LastName: "Admin", Active: true,
			LastLoginDate: login, TenantAdmin: true, PasswordHash: HashPassword(DemoPassword)},
		{ID: demoID("user", "priya"), Email: "priya.shah@example.com", FirstName: "Priya", LastName: "Shah",
			Active: true, EmailOptIn: true, LastLoginDate: login.AddDate(0, 0, -2).Add(3 * time.Hour)},
		{ID: demoID("user", "marc"), Email: "marc.dubois@example.com", FirstName: "Marc", LastName: "Dubois",
			Active: true, LastLoginDate: login.AddDate(0, -1, 4)},
		{ID: demoID("user", "kenji"), Email: "kenji.tanaka@example.com", FirstName: "Kenji", LastName: "Tanaka",
			Active: true, LastLoginDate: login.AddDate(0, 0, -9)},
		{ID: demoID("user", "sofia"), Email: "sofia.ramirez@example.com", FirstName: "Sofía", LastName: "Ramírez",
			Active: false, LastLoginDate: time.Date(2022, 11, 30, 17, 2, 9, 0, time.UTC)},
	}
}

// demoDates gives model i fixed, plausible creation and modification
// times: legacy models date from 2019, archived ones stopped changing soon
// after their creation.
func demoDates(i int, d demoModel) (created, modified time.Time) {
	base := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	if d.ws == "legacy" {
		base = time.Date(2019, 1, 14, 9, 0, 0, 0, time.UTC)
	}
	created = base.AddDate(0, 0, i*29).Add(time.Duration(i*7703%28800) * time.Second)
	days := 20 + i*37%300
	if d.state == "ARCHIVED" {
		days = 3 + i%9
	}
	modified = created.AddDate(0, 0, days).Add(time.Duration(i*4111%36000) * time.Second)
	return created, modified
}

func demoCategory(category, attribute string) CategoryValue {
	return CategoryValue{
		ID:           demoID("category-value", category+"/"+attribute),
		Attribute:    attribute,
		CategoryID:   demoID("category", category),
		CategoryName: category,
	}
}

// demoID derives a stable 32-lowercase-hex ID from a kind and a name.
func demoID(kind, name string) string {
	sum := sha256.Sum256([]byte("anaplan-emulator/" + kind + "/" + name))
	return hex.EncodeToString(sum[:16])
}
