package registry

import "testing"

func TestFamilyDisplayName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, want string }{
		{"Sales Capacity - DEV", "Sales Capacity"},
		{"Sales Capacity (copy 2024-03)", "Sales Capacity"},
		{"Sales Capacity 2019", "Sales Capacity"},
		{"Copy of Copy of FP&A Planning", "FP&A Planning"},
		{"Budget, Forecast & Actuals - DEV", "Budget, Forecast & Actuals"},
		{`Incentive Comp "ICM" - DEV`, `Incentive Comp "ICM"`},
		{"Legacy Consolidation", "Consolidation"},
		{"Inventory Optimisation - Sandbox", "Inventory Optimisation"},
		{"Capex Planning - UAT", "Capex Planning"},
		{"Demand Planning_PRD", "Demand Planning"},
		{"Demand Planning - D", "Demand Planning"},
		{"DEV TEST", "DEV TEST"},
		{"Prévisions Ventes – 東京", "Prévisions Ventes – 東京"},
		{"FP&A Planning Archive 2024-03-31", "FP&A Planning"},
		{"Training Model - Level 1", "Training Model - Level 1"},
		{"Plan 2024.03.31", "Plan"},
		{"Plan - TEST 2019", "Plan"},
		{"Plan 12-2024", "Plan 12"},
		{"Plan Pre-Prod", "Plan"},
		{"Plan FY2024 - Live", "Plan FY2024"},
	} {
		if got := familyDisplayName(tc.name); got != tc.want {
			t.Errorf("familyDisplayName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if a, b := familyKey("FP&A Planning - DEV"), familyKey("fp&a planning"); a != b || a != "fp a planning" {
		t.Errorf("familyKey: %q, %q; want both %q", a, b, "fp a planning")
	}
}
