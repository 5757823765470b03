package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestModelFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "no-equals-sign"}, "MODELID=path/to/definition.json"},
		{[]string{"-model", emulator.RegistryModelID + "=/no/such/definition.json"}, "/no/such/definition.json"},
		{[]string{"-model", "X=a.json", "-model", "X=b.json"}, "model X given twice"},
		{[]string{"-model", emulator.RegistryModelID + "=/dev/zero"}, "/dev/zero: larger than 16 MiB"},
		{[]string{"-model", emulator.RegistryModelID + "=" + os.TempDir()}, "is a directory"},
	} {
		var stdout bytes.Buffer
		err := run(context.Background(), tc.args, &stdout, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("run(%q) = %v, want a one-line error mentioning %q", tc.args, err, tc.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("run(%q) printed %q", tc.args, stdout.String())
		}
	}
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &stderr); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "-model MODELID=FILE") {
		t.Errorf("usage lacks -model (%v):\n%s", err, stderr.String())
	}
}

// TestRunWithAModelDefinition makes a demo model stand in for a user's
// model: its imports come from the definition file.
func TestRunWithAModelDefinition(t *testing.T) {
	t.Parallel()
	var model, workspace string
	for _, m := range emulator.Demo().Models {
		if m.ID != emulator.RegistryModelID && m.ID != emulator.DemoNoAccessModelID {
			model, workspace = m.ID, m.WorkspaceID
			break
		}
	}
	def := filepath.Join(t.TempDir(), "regions.json")
	if err := os.WriteFile(def, []byte(`{"name":"Regions","lists":[{"name":"Regions"}],
		"files":[{"name":"regions.csv","headers":["Code","Region"]}],
		"imports":[{"name":"Regions from regions.csv","type":"HIERARCHY_DATA","file":"regions.csv","list":"Regions","mapping":{"code":"Code","name":"Region"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	authURL, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-model", model+"="+def)
	defer func() { cancel(); waitRun(t, done) }()
	if !strings.Contains(banner.String(), model+" defined by "+def) {
		t.Errorf("banner:\n%s", banner)
	}
	token, _ := login(t, authURL)
	req, _ := http.NewRequest("GET", apiURL+"/workspaces/"+workspace+"/models/"+model+"/imports", nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(body.String(), `"name":"Regions from regions.csv"`) {
		t.Errorf("imports of the stand-in model: %d %s", resp.StatusCode, body.String())
	}
}
