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
	// created and modified are the model's dates (YYYY-MM-DD; demoDates
	// adds the time of day): a story that adds up on day 0, 2 November
	// 2026 (AdvanceEpoch). Live applications were worked on in the last
	// weeks (a test copy left since its June release is an archive
	// candidate); a dated copy was made in the month its name says and
	// archived soon after; training models, scratch models and last year's
	// drafts went stale; the 2019 models were archived in 2020.
	created, modified string
}

var demoModels = []demoModel{
	{ws: "fpa", name: "FP&A Planning - DEV", state: "UNLOCKED", sizeMiB: 2150, function: "Finance", created: "2023-02-06", modified: "2026-10-27"},
	{ws: "fpa", name: "FP&A Planning - TEST", state: "LOCKED", sizeMiB: 2310, function: "Finance", created: "2023-02-20", modified: "2026-10-20"},
	{ws: "fpa", name: "FP&A Planning", state: "PRODUCTION", sizeMiB: 2480, function: "Finance", created: "2023-03-06", modified: "2026-10-21"},
	{ws: "fpa", name: "FP&A Planning (copy 2024-03)", state: "ARCHIVED", sizeMiB: 2290, function: "Finance", created: "2024-03-11", modified: "2024-04-02"},
	{ws: "fpa", name: "Budget, Forecast & Actuals - DEV", state: "UNLOCKED", sizeMiB: 1320, function: "Finance", created: "2024-06-03", modified: "2026-10-29"},
	{ws: "fpa", name: "Budget, Forecast & Actuals", state: "PRODUCTION_MAINTENANCE", sizeMiB: 1475, function: "Finance", created: "2024-06-17", modified: "2026-10-12"},
	{ws: "fpa", name: "Capex Planning - UAT", state: "MAINTENANCE", sizeMiB: 640, function: "Finance", created: "2025-09-15", modified: "2026-10-30"},
	{ws: "fpa", name: "Capex Planning", state: "PRODUCTION", sizeMiB: 655, function: "Finance", created: "2025-10-06", modified: "2026-10-23"},
	{ws: "fpa", name: "=SUM(A1:A9) Scenario Model", state: "UNLOCKED", sizeMiB: 210, function: "Finance", created: "2026-05-18", modified: "2026-09-30"},
	// ACTIVE is documented by an SDK but missing from the OpenAPI enum.
	{ws: "fpa", name: "Consolidation - DEV", state: "ACTIVE", sizeMiB: 880, function: "Finance", created: "2025-01-13", modified: "2026-06-22"},

	{ws: "sales", name: "Sales Capacity - DEV", state: "UNLOCKED", sizeMiB: 1720, function: "Sales", created: "2022-09-05", modified: "2026-10-28"},
	{ws: "sales", name: "Sales Capacity - TEST", state: "LOCKED", sizeMiB: 1750, function: "Sales", created: "2022-09-19", modified: "2026-10-19"},
	{ws: "sales", name: "Sales Capacity", state: "PRODUCTION", sizeMiB: 1810, function: "Sales", created: "2022-10-03", modified: "2026-07-14"},
	{ws: "sales", name: "Sales Capacity (copy 2024-03)", state: "ARCHIVED", sizeMiB: 1690, function: "Sales", created: "2024-03-18", modified: "2024-04-08"},
	{ws: "sales", name: "Territory & Quota Planning", state: "PRODUCTION", sizeMiB: 3950, function: "Sales", created: "2021-11-08", modified: "2026-10-26"},
	{ws: "sales", name: `Incentive Comp "ICM" - DEV`, state: "UNLOCKED", sizeMiB: 760, function: "Sales", created: "2025-02-10", modified: "2026-05-04"},
	{ws: "sales", name: "Prévisions Ventes – 東京", state: "PRODUCTION", sizeMiB: 1180, function: "Sales", created: "2024-01-15", modified: "2026-10-30"},
	{ws: "sales", name: "Pipeline Forecast\nQ3 draft", state: "UNLOCKED", sizeMiB: 95, function: "Sales", created: "2025-07-01", modified: "2025-09-26"},

	{ws: "supply", name: "Demand Planning - DEV", state: "UNLOCKED", sizeMiB: 4100, function: "Supply Chain", created: "2023-08-07", modified: "2026-10-30"},
	{ws: "supply", name: "Demand Planning - TEST", state: "LOCKED", sizeMiB: 4350, function: "Supply Chain", created: "2023-08-21", modified: "2026-10-22"},
	{ws: "supply", name: "Demand Planning", state: "PRODUCTION", sizeMiB: 6820, function: "Supply Chain", busy: true, created: "2023-09-04", modified: "2026-10-28"},
	{ws: "supply", name: "S&OP Executive Review", state: "PRODUCTION_MAINTENANCE", sizeMiB: 1530, function: "Supply Chain", created: "2023-02-13", modified: "2024-01-08"},
	{ws: "supply", name: "Inventory Optimisation - Sandbox", state: "MAINTENANCE", sizeMiB: 2400, function: "Supply Chain", created: "2025-11-03", modified: "2026-10-14"},
	{ws: "supply", name: "Supply Planning 2023", state: "ARCHIVED", sizeMiB: 5120, function: "Supply Chain", created: "2023-01-09", modified: "2024-01-22"},

	{ws: "hr", name: "Workforce Planning - DEV", state: "UNLOCKED", sizeMiB: 1800, function: "HR", created: "2024-04-08", modified: "2026-10-29"},
	{ws: "hr", name: "Workforce Planning - TEST", state: "LOCKED", sizeMiB: 2100, function: "HR", created: "2024-04-22", modified: "2026-06-29"},
	{ws: "hr", name: "Workforce Planning", state: "PRODUCTION", sizeMiB: 2600, function: "HR", created: "2024-05-06", modified: "2026-10-16"},
	{ws: "hr", id: DemoNoAccessModelID, name: "HR Compensation Planning (Restricted)", state: "PRODUCTION", sizeMiB: 1450, function: "HR", created: "2024-05-13", modified: "2026-09-21"},
	{ws: "hr", name: "Headcount Reforecast FY25", state: "MAINTENANCE", sizeMiB: 950, function: "HR", created: "2024-11-04", modified: "2025-03-31"},

	{ws: "sandbox", name: "Training Model - Level 1", state: "UNLOCKED", sizeMiB: 350, created: "2025-01-20", modified: "2025-02-03"},
	{ws: "sandbox", name: "Training Model - Level 2", state: "UNLOCKED", sizeMiB: 420, created: "2025-01-27", modified: "2025-02-10"},
	{ws: "sandbox", name: "Scratch - do not use", state: "UNLOCKED", sizeMiB: 1250, created: "2025-06-09", modified: "2025-12-15"},
	{ws: "sandbox", name: "Copy of Copy of FP&A Planning", state: "UNLOCKED", sizeMiB: 3400, function: "Finance", created: "2024-08-12", modified: "2024-09-02"},
	{ws: "sandbox", name: "Test Model 1", state: "ARCHIVED", sizeMiB: 180, created: "2023-05-15", modified: "2023-06-05"},

	{ws: "admin", id: RegistryModelID, name: "Model Registry", state: "UNLOCKED", sizeMiB: 120, function: "IT", created: "2025-04-07", modified: "2026-10-31"},
	{ws: "admin", name: "Tenant Audit Reporting", state: "PRODUCTION", sizeMiB: 310, function: "IT", created: "2025-04-14", modified: "2026-10-27"},

	{ws: "legacy", name: "FP&A Planning 2019", state: "ARCHIVED", sizeMiB: 1980, function: "Finance", created: "2019-01-14", modified: "2020-02-03"},
	{ws: "legacy", name: "Sales Capacity 2019", state: "ARCHIVED", sizeMiB: 1410, function: "Sales", created: "2019-02-11", modified: "2020-02-10"},
	{ws: "legacy", name: "Legacy Consolidation", state: "ARCHIVED", sizeMiB: 760, function: "Finance", created: "2019-03-11", modified: "2021-01-18"},
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

// demoDates gives model i its creation and modification times: the dates
// the table says, at a time of day that varies from model to model.
func demoDates(i int, d demoModel) (created, modified time.Time) {
	day := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic("demo model " + d.name + ": " + err.Error())
		}
		return t
	}
	created = day(d.created).Add(8*time.Hour + time.Duration(i*7703%28800)*time.Second)
	modified = day(d.modified).Add(8*time.Hour + time.Duration(i*4111%36000)*time.Second)
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
