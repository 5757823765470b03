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
		// Names that would be left saying nothing keep their first word.
		{"Scratch - do not use", "Scratch - do not use"},
		{"Test Model 1", "Test Model 1"},
		{"Test Model 1 - DEV", "Test Model 1"},
		{"Copy of Test Model 1", "Test Model 1"},
		{"Old Model", "Old Model"},
		{"Sandbox - temp", "Sandbox - temp"},
		{"DEV - 2", "DEV - 2"},
		{"Model 1 - DEV", "Model 1"},
		{"Test Forecast", "Forecast"},
		{"Sandbox Demand Planning", "Demand Planning"},
		{"Test Model 1 (copy 2024-03)", "Test Model 1"},
	} {
		if got := familyDisplayName(tc.name); got != tc.want {
			t.Errorf("familyDisplayName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if a, b := familyKey("FP&A Planning - DEV"), familyKey("fp&a planning"); a != b || a != "fp a planning" {
		t.Errorf("familyKey: %q, %q; want both %q", a, b, "fp a planning")
	}
}
