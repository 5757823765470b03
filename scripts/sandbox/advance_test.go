package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// servedModel and servedWorkspace are the fields of the API's reads that
// the emulator's events change.
type servedModel struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	ActiveState           string `json:"activeState"`
	WorkspaceID           string `json:"currentWorkspaceId"`
	MemoryUsage           int64  `json:"memoryUsage"`
	LastSavedSerialNumber int64  `json:"lastSavedSerialNumber,string"`
}

type servedWorkspace struct {
	ID          string `json:"id"`
	CurrentSize int64  `json:"currentSize"`
}

// TestAdvanceEndpointMovesTheRunningSandbox starts the sandbox two days
// on (-advance 2d -seed 4), then moves it on through POST
// /__emulator/advance twice: each answer lists the emulator's events, and
// the workspaces and models the API serves afterwards differ from those
// before by exactly those events. The events are those of -advance for
// the same seed: the days follow on.
func TestAdvanceEndpointMovesTheRunningSandbox(t *testing.T) {
	t.Parallel()
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-advance", "2d", "-seed", "4")
	defer func() { cancel(); waitRun(t, done) }()
	base := strings.TrimSuffix(apiURL, "/2/0")
	if !strings.Contains(banner.String(), base+"/__emulator/advance?days=7") {
		t.Errorf("the banner does not show the advance endpoint:\n%s", banner)
	}
	token, _ := login(t, authURL)
	_, all := emulator.Demo().Advance(2+3+4, 4+1)

	models, workspaces := readTenant(t, apiURL, token)
	for i, days := range []int{3, 4} {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/__emulator/advance?days=%d", base, days), nil)
		req.Header.Set("Authorization", "AnaplanAuthToken "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer emulator.AdvanceResult
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("advance %d: status %d, %v", i+1, resp.StatusCode, err)
		}
		wantDay := 2 + 3 + 4*i
		if answer.Day != wantDay || len(answer.Events) == 0 || answer.Events[len(answer.Events)-1].Day != wantDay {
			t.Fatalf("advance %d: day %d with %d events, want day %d", i+1, answer.Day, len(answer.Events), wantDay)
		}
		want := slices.DeleteFunc(slices.Clone(all), func(e emulator.Event) bool { return e.Day <= wantDay-days || e.Day > wantDay })
		if !slices.EqualFunc(answer.Events, want, func(a, b emulator.Event) bool {
			return a.Day == b.Day && a.Kind == b.Kind && a.ModelID == b.ModelID && a.To == b.To
		}) {
			t.Errorf("advance %d answered\n%+v\n-advance with the same seed does\n%+v", i+1, answer.Events, want)
		}

		wantModels, wantWorkspaces := applyEvents(t, models, workspaces, answer.Events)
		models, workspaces = readTenant(t, apiURL, token)
		if !slices.Equal(sortedByID(models), sortedByID(wantModels)) {
			t.Errorf("advance %d: the API serves models\n%+v\nthe events make\n%+v", i+1, sortedByID(models), sortedByID(wantModels))
		}
		if !slices.Equal(workspaces, wantWorkspaces) {
			t.Errorf("advance %d: the API serves workspaces\n%+v\nthe events make\n%+v", i+1, workspaces, wantWorkspaces)
		}
	}
}

// applyEvents is the tenant a client should see after events: the
// models and workspaces before, changed as each event says.
func applyEvents(t *testing.T, models []servedModel, workspaces []servedWorkspace, events []emulator.Event) ([]servedModel, []servedWorkspace) {
	t.Helper()
	models, workspaces = slices.Clone(models), slices.Clone(workspaces)
	ws := func(id string) *servedWorkspace {
		i := slices.IndexFunc(workspaces, func(w servedWorkspace) bool { return w.ID == id })
		if i < 0 {
			t.Fatalf("event names workspace %s, which is not served", id)
		}
		return &workspaces[i]
	}
	for _, e := range events {
		if e.Kind == emulator.EventCreated {
			models = append(models, servedModel{ID: e.ModelID, Name: e.To, ActiveState: "UNLOCKED", WorkspaceID: e.WorkspaceID, MemoryUsage: e.Bytes, LastSavedSerialNumber: 1})
			ws(e.WorkspaceID).CurrentSize += e.Bytes
			continue
		}
		i := slices.IndexFunc(models, func(m servedModel) bool { return m.ID == e.ModelID })
		if i < 0 {
			t.Fatalf("event %+v names a model that is not served", e)
		}
		m := &models[i]
		switch e.Kind {
		case emulator.EventGrown:
			m.MemoryUsage += e.Bytes
			m.LastSavedSerialNumber++
			ws(m.WorkspaceID).CurrentSize += e.Bytes
		case emulator.EventArchived:
			m.ActiveState = e.To
		case emulator.EventRenamed:
			m.Name = e.To
		case emulator.EventMoved:
			ws(e.From).CurrentSize -= m.MemoryUsage
			ws(e.To).CurrentSize += m.MemoryUsage
			m.WorkspaceID = e.To
		case emulator.EventSynced:
			m.LastSavedSerialNumber++
		default:
			t.Fatalf("unknown event kind %q", e.Kind)
		}
	}
	return models, workspaces
}

// readTenant reads every model and workspace through the API.
func readTenant(t *testing.T, apiURL, token string) ([]servedModel, []servedWorkspace) {
	t.Helper()
	var ms struct {
		Models []servedModel `json:"models"`
	}
	var ws struct {
		Workspaces []servedWorkspace `json:"workspaces"`
	}
	getJSON(t, apiURL+"/models?modelDetails=true", token, &ms)
	getJSON(t, apiURL+"/workspaces?tenantDetails=true", token, &ws)
	return ms.Models, ws.Workspaces
}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func sortedByID(ms []servedModel) []servedModel {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b servedModel) int { return strings.Compare(a.ID, b.ID) })
	return ms
}
