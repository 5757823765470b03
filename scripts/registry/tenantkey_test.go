package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/registry/history"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestRegistryContinuesAHistoryOfTheOlderKey: a history an older toolkit
// wrote, its demo runs filed under "127.0.0.1 demo.admin@example.com", goes
// on under the demo tenant's own key: the next run says so once, compares
// with the older run, and the report names the tenant in words.
func TestRegistryContinuesAHistoryOfTheOlderKey(t *testing.T) {
	clitest.Offline(t)
	out := t.TempDir()
	if res := clitest.Run(t, run, "-out", out); res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	path := filepath.Join(out, HistoryFile)
	const legacy = "127.0.0.1 demo.admin@example.com"
	func() { // what the older toolkit wrote: the same rows under the older key
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE tenants SET name = ?`, legacy); err != nil {
			t.Fatal(err)
		}
	}()

	res := clitest.Run(t, run, "-out", out, "-report")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	if !strings.Contains(res.Stderr, `the runs recorded as "`+legacy+`" continue as demo tenant (built-in emulator)`) {
		t.Errorf("the run does not say it continues the older history:\n%s", res.Stderr)
	}
	if !strings.Contains(res.Stdout, "History: run 2 recorded") || !strings.Contains(res.Stdout, "since run 1") {
		t.Errorf("the run does not follow on from run 1:\n%s", res.Stdout)
	}
	db, err := history.OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if tenants, err := db.Tenants(t.Context()); err != nil || !slices.Equal(tenants, []string{registry.DemoTenantKey}) {
		t.Errorf("tenants %q, %v; want the demo tenant's key only", tenants, err)
	}
	page, err := os.ReadFile(filepath.Join(out, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "demo tenant (built-in emulator) · run 2") || strings.Contains(string(page), "127.0.0.1") {
		t.Errorf("the report's subtitle does not name the tenant in words")
	}

	again := clitest.Run(t, run, "-out", out)
	if again.Code != 0 || strings.Contains(again.Stderr, "continue as") {
		t.Errorf("exit %d; a later run speaks of the older key again:\n%s", again.Code, again.Stderr)
	}
}
