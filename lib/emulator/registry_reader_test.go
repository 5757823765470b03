package emulator_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// registryReaderSaw is what testdata/registry_reader.py prints.
type registryReaderSaw struct {
	Items []struct {
		Code, Name, Parent string
	}
	Columns  []string
	JSONRows []map[string]string `json:"jsonRows"`
	CSVRows  []map[string]string `json:"csvRows"`
}

// RunRegistryReader runs the independent Python reader against an
// emulator's URLs and decodes what it saw.
func runRegistryReader(t *testing.T, baseURL string) registryReaderSaw {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed for the independent reader; on Debian: sudo apt-get install python3")
	}
	cmd := exec.Command(python, "testdata/registry_reader.py", baseURL, baseURL+"/2/0",
		emulator.DemoUser, emulator.DemoPassword, emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("registry reader: %v\n%s", err, stderr)
	}
	var saw registryReaderSaw
	if err := json.Unmarshal(out, &saw); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return saw
}

// registryCSVs are the demo tenant's workspaces.csv and models.csv in the
// import shapes of the Model Registry (code = id, sizes in bytes).
func registryCSVs(t *testing.T) (workspaces, models string) {
	t.Helper()
	var w, m strings.Builder
	cw, cm := csv.NewWriter(&w), csv.NewWriter(&m)
	cw.Write([]string{"Code", "Name", "sizeAllowance", "currentSize"})
	cm.Write([]string{"Code", "Name", "Workspace", "currentSize"})
	demo := emulator.Demo()
	for _, ws := range demo.Workspaces {
		cw.Write([]string{ws.ID, ws.Name, strconv.FormatInt(ws.SizeAllowance, 10), strconv.FormatInt(ws.CurrentSize, 10)})
	}
	for _, md := range demo.Models {
		cm.Write([]string{md.ID, md.Name, md.WorkspaceID, strconv.FormatInt(md.MemoryUsage, 10)})
	}
	cw.Flush()
	cm.Flush()
	return w.String(), m.String()
}

// TestIndependentReaderSeesTheRegistry loads the demo tenant's registry
// into the Model Registry model with the bulk API (the tutorial's load),
// then lets an independent Python client read it through the
// transactional API: every model must be there with its workspace and
// size, in the list items and in the W2 Model Register's view data, as
// JSON and as CSV alike.
func TestIndependentReaderSeesTheRegistry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	wsCSV, mdCSV := registryCSVs(t)
	h.putFile(tok, workspacesFile, wsCSV)
	h.putFile(tok, modelsFile, mdCSV)
	if _, task := h.runTask(tok, "processes", processLoad); task["result"].(map[string]any)["successful"] != true {
		t.Fatalf("load: %v", task)
	}
	saw := runRegistryReader(t, h.srv.URL)
	checkRegistrySeen(t, saw)
}

// checkRegistrySeen compares what the reader saw with the demo tenant.
func checkRegistrySeen(t *testing.T, saw registryReaderSaw) {
	t.Helper()
	demo := emulator.Demo()
	wsName := map[string]string{}
	for _, ws := range demo.Workspaces {
		wsName[ws.ID] = ws.Name
	}
	var wantItems, wantRows []string
	for _, m := range demo.Models {
		wantItems = append(wantItems, fmt.Sprintf("%s|%s|%s", m.ID, m.Name, wsName[m.WorkspaceID]))
		wantRows = append(wantRows, fmt.Sprintf("%s|%s|%s|%d", m.Name, wsName[m.WorkspaceID], m.Name, m.MemoryUsage))
	}
	slices.Sort(wantItems)
	slices.Sort(wantRows)
	var gotItems []string
	for _, it := range saw.Items {
		gotItems = append(gotItems, it.Code+"|"+it.Name+"|"+it.Parent)
	}
	slices.Sort(gotItems)
	if !slices.Equal(gotItems, wantItems) {
		t.Errorf("W2 items:\n got %q\nwant %q", gotItems, wantItems)
	}
	if !slices.Equal(saw.Columns, []string{"Workspace", "Name", "Current Size"}) {
		t.Errorf("view columns %q", saw.Columns)
	}
	for form, rows := range map[string][]map[string]string{"JSON": saw.JSONRows, "CSV": saw.CSVRows} {
		var got []string
		for _, r := range rows {
			got = append(got, r["row"]+"|"+r["Workspace"]+"|"+r["Name"]+"|"+r["Current Size"])
		}
		slices.Sort(got)
		if !slices.Equal(got, wantRows) {
			t.Errorf("W2 Model Register view data as %s:\n got %q\nwant %q", form, got, wantRows)
		}
	}
}

// TestIndependentReaderSeesATransactionalRegistry writes the registry
// with the transactional API only (no import action, as a sync does) and
// lets the same reader check it.
func TestIndependentReaderSeesATransactionalRegistry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	tok := h.login()
	demo := emulator.Demo()
	type item struct {
		Code       string            `json:"code"`
		Name       string            `json:"name"`
		Parent     string            `json:"parent,omitempty"`
		Properties map[string]string `json:"properties,omitempty"`
	}
	var workspaces, models []item
	for _, ws := range demo.Workspaces {
		workspaces = append(workspaces, item{Code: ws.ID, Name: ws.Name, Properties: map[string]string{"Workspace Name": ws.Name}})
	}
	type dim struct {
		DimensionName string `json:"dimensionName"`
		ItemCode      string `json:"itemCode"`
	}
	type cell struct {
		LineItemName string `json:"lineItemName"`
		Dimensions   []dim  `json:"dimensions"`
		Value        any    `json:"value"`
	}
	var cells []cell
	for _, m := range demo.Models {
		models = append(models, item{Code: m.ID, Name: m.Name, Parent: m.WorkspaceID})
		d := []dim{{"W2 Models", m.ID}}
		cells = append(cells, cell{"Name", d, m.Name}, cell{"Current Size", d, m.MemoryUsage})
	}
	post := func(path string, v any) map[string]any {
		body, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		r := h.postJSON(txnPath(path), tok, string(body))
		wantStatus(t, r, 200)
		res := r.json(t)
		if _, failed := res["failures"]; failed {
			t.Fatalf("%s: %s", path, r.body)
		}
		return res
	}
	post("/lists/"+listW1+"/items?action=add", map[string]any{"items": workspaces})
	post("/lists/"+listW2+"/items?action=add", map[string]any{"items": models})
	if res := post("/modules/"+moduleW2+"/data", cells); res["numberOfCellsChanged"] != float64(len(cells)) {
		t.Fatalf("cells: %v", res)
	}
	checkRegistrySeen(t, runRegistryReader(t, h.srv.URL))
}
