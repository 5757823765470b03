package main

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// registryRun runs the script against baseURL as the demo user and
// returns what it printed and the files it wrote, failing unless it
// succeeded.
func registryRun(t *testing.T, baseURL string) (clitest.Result, map[string]string) {
	t.Helper()
	useBasic(t, baseURL, emulator.DemoUser, emulator.DemoPassword)
	out := filepath.Join(t.TempDir(), "out")
	res := clitest.Run(t, run, "-out", out)
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s", res.Code, res.Stderr)
	}
	return res, readFiles(t, out)
}

// parseCSV reads a written file back as an import would.
func parseCSV(t *testing.T, name, content string) [][]string {
	t.Helper()
	if !utf8.ValidString(content) {
		t.Errorf("%s is not valid UTF-8", name)
	}
	rows, err := csv.NewReader(strings.NewReader(content)).ReadAll()
	if err != nil {
		t.Fatalf("%s does not parse as CSV: %v", name, err)
	}
	return rows
}

// column returns the cells of a named column, by the first cell of each row.
func column(t *testing.T, rows [][]string, name string) map[string]string {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, rows[0])
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[i]
	}
	return out
}

// TestOddTenantsAreReadAsTheyAre is the other half of the bad-input
// catalogue: input that looks wrong but is Anaplan's truth must give the
// right files and exit 0, saying what is unusual.
func TestOddTenantsAreReadAsTheyAre(t *testing.T) {
	clitest.Offline(t)

	t.Run("empty tenant", func(t *testing.T) {
		// Decision: a tenant (or a user) with nothing visible gets the
		// three files with their headers only, and a summary that says so.
		demo := emulator.Demo()
		empty := &emulator.Tenant{CustomerID: demo.CustomerID, Users: demo.Users, TrustedCAs: demo.TrustedCAs}
		res, files := registryRun(t, impersonate(t, empty, nil))
		for name, header := range map[string][]string{
			"workspaces.csv": registry.WorkspacesHeader, "models.csv": registry.ModelsHeader, "registry.csv": registry.RegistryHeader,
		} {
			if rows := parseCSV(t, name, files[name]); len(rows) != 1 || !slices.Equal(rows[0], header) {
				t.Errorf("%s = %q, want its header only", name, files[name])
			}
		}
		if !strings.Contains(res.Stdout, registry.NothingVisible) {
			t.Errorf("the summary does not say the tenant showed nothing:\n%s", res.Stdout)
		}
	})

	t.Run("unknown enum values and fields", func(t *testing.T) {
		tenant := emulator.Demo()
		tenant.Models[0].ActiveState = "HIBERNATING"
		_, want := registryRun(t, impersonate(t, tenant, nil))
		// The same tenant from a server that has grown fields everywhere.
		grow := func(doc map[string]any) {
			doc["futureEnvelope"] = map[string]any{"version": 3}
			doc["meta"].(map[string]any)["futurePaging"] = []any{1, "two"}
			for _, key := range []string{"models", "workspaces"} {
				items, _ := doc[key].([]any)
				for _, it := range items {
					it.(map[string]any)["futureField"] = map[string]any{"nested": []any{true, nil}}
				}
			}
		}
		both := func(w http.ResponseWriter, r *http.Request, status int, h http.Header, b []byte) bool {
			return editJSON(t, "/2/0/models", grow)(w, r, status, h, b) || editJSON(t, "/2/0/workspaces", grow)(w, r, status, h, b)
		}
		res, got := registryRun(t, impersonate(t, tenant, both))
		for name := range want {
			if got[name] != want[name] {
				t.Errorf("%s differs when the server adds unknown fields", name)
			}
		}
		if states := column(t, parseCSV(t, "registry.csv", got["registry.csv"]), "activeState"); states[tenant.Models[0].ID] != "HIBERNATING" {
			t.Errorf("the unknown activeState was not kept as it came: %q", states[tenant.Models[0].ID])
		}
		if !strings.Contains(res.Stdout, "HIBERNATING 1") {
			t.Errorf("the summary does not count the unknown state:\n%s", res.Stdout)
		}
	})

	t.Run("a model without access", func(t *testing.T) {
		// Anaplan lists a model whose NO ACCESS role masks its contents:
		// it belongs in the registry like any other.
		_, files := registryRun(t, impersonate(t, emulator.Demo(), nil))
		names := column(t, parseCSV(t, "models.csv", files["models.csv"]), "Name")
		if names[emulator.DemoNoAccessModelID] != "HR Compensation Planning (Restricted)" {
			t.Errorf("the no-access model is missing from models.csv: %q", names[emulator.DemoNoAccessModelID])
		}
	})

	t.Run("models in a workspace the user cannot list", func(t *testing.T) {
		tenant := emulator.Demo()
		hidden := tenant.Workspaces[0]
		inHidden := 0
		for _, m := range tenant.Models {
			if m.WorkspaceID == hidden.ID {
				inHidden++
			}
		}
		drop := editJSON(t, "/2/0/workspaces", func(doc map[string]any) {
			items := doc["workspaces"].([]any)
			doc["workspaces"] = slices.DeleteFunc(items, func(it any) bool { return it.(map[string]any)["id"] == hidden.ID })
			p := doc["meta"].(map[string]any)["paging"].(map[string]any)
			p["currentPageSize"], p["totalSize"] = len(items)-1, len(items)-1
		})
		res, files := registryRun(t, impersonate(t, tenant, drop))
		if want := strconv.Itoa(inHidden) + " models are in workspaces you cannot list"; !strings.Contains(res.Stdout, want) {
			t.Errorf("the summary does not warn %q:\n%s", want, res.Stdout)
		}
		if rows := parseCSV(t, "workspaces.csv", files["workspaces.csv"]); len(rows)-1 != len(tenant.Workspaces)-1 {
			t.Errorf("workspaces.csv has %d rows, want the %d listed", len(rows)-1, len(tenant.Workspaces)-1)
		}
	})

	t.Run("names that break CSV, spreadsheets and UTF-8", func(t *testing.T) {
		tenant := emulator.Demo()
		names := []string{
			`Plan, "Quoted" & Co`, "Two\nLines\r\nThree", "=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(1)", "-1 Plan",
			"@cmd", "\tTabbed", "\rCarriage", "Bad\xffUTF-8\xc3", "Ünïcødé 计划 📈", `"`, ",", "",
		}
		for i, n := range names {
			tenant.Models[i].Name = n
		}
		tenant.Workspaces[0].Name = "=cmd|' /C calc'!A0, \"ws\"\n"
		_, files := registryRun(t, impersonate(t, tenant, nil))
		modelNames := column(t, parseCSV(t, "models.csv", files["models.csv"]), "Name")
		people := column(t, parseCSV(t, "registry.csv", files["registry.csv"]), "modelName")
		// Go's CSV reader drops the CR of a CRLF even inside quotes; the
		// files hold the name's bytes (checked on the raw text below).
		read := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		for i, n := range names {
			id := tenant.Models[i].ID
			want := strings.ToValidUTF8(n, "\uFFFD") // JSON carries only valid UTF-8
			if modelNames[id] != read(want) {
				t.Errorf("models.csv name of %q = %q, want it verbatim", n, modelNames[id])
			}
			if people[id] != read(registry.SpreadsheetSafe(want)) {
				t.Errorf("registry.csv name of %q = %q, want %q", n, people[id], registry.SpreadsheetSafe(want))
			}
		}
		if !strings.Contains(files["models.csv"], "\"Two\nLines\r\nThree\"") {
			t.Error("models.csv does not hold the name with its CRLF, quoted")
		}
		ws := column(t, parseCSV(t, "workspaces.csv", files["workspaces.csv"]), "Name")
		if ws[tenant.Workspaces[0].ID] != tenant.Workspaces[0].Name {
			t.Errorf("workspace name = %q", ws[tenant.Workspaces[0].ID])
		}
	})

	t.Run("invalid UTF-8 on the wire", func(t *testing.T) {
		// A server that sends raw invalid bytes inside JSON strings.
		raw := func(w http.ResponseWriter, r *http.Request, status int, h http.Header, body []byte) bool {
			if r.URL.Path != "/2/0/models" || status != http.StatusOK {
				return false
			}
			writeRaw(w, h, bytes.Replace(body, []byte("Capex Planning - UAT"), []byte("Capex \xff\xfe Planning"), 1))
			return true
		}
		_, files := registryRun(t, impersonate(t, emulator.Demo(), raw))
		if !strings.Contains(files["models.csv"], "Capex \uFFFD\uFFFD Planning") {
			t.Errorf("the invalid bytes did not become U+FFFD in models.csv")
		}
		for name, content := range files {
			if strings.HasSuffix(name, ".csv") {
				parseCSV(t, name, content)
			}
		}
	})

	t.Run("a missing output directory is created", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "a", "b", "c")
		useBasic(t, impersonate(t, emulator.Demo(), nil), emulator.DemoUser, emulator.DemoPassword)
		if res := clitest.Run(t, run, "-out", out); res.Code != 0 {
			t.Fatalf("exit %d: %s", res.Code, res.Stderr)
		}
		if files := readFiles(t, out); len(files) != outputFiles {
			t.Errorf("wrote %d files", len(files))
		}
	})
}

// TestUnwritableOutputDirectory: an -out that cannot be created fails
// naming it, before reading the tenant, and writes nothing anywhere.
func TestUnwritableOutputDirectory(t *testing.T) {
	clitest.Offline(t)
	useBasic(t, impersonate(t, emulator.Demo(), nil), emulator.DemoUser, emulator.DemoPassword)
	out := newOutputs(t)
	blocked := filepath.Join(out.previous, "models.csv", "registry")
	res := clitest.Run(t, run, "-out", blocked)
	if res.Code != 1 || !strings.Contains(lastLine(res.Stderr), "cannot create output directory "+blocked) {
		t.Errorf("exit %d, stderr %q", res.Code, res.Stderr)
	}
	out.untouched(t)
	if _, err := os.Stat(blocked); err == nil {
		t.Error("the blocked directory exists")
	}
}
