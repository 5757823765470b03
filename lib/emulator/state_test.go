package emulator_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

func TestTokensSurviveARestartOnTheSameStateDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	first := newHarness(t, emulator.Options{StateDir: dir})
	kept := first.login()
	revoked := first.login()
	wantStatus(t, first.do("POST", "/token/logout", "AnaplanAuthToken "+revoked, ""), http.StatusNoContent)
	first.srv.Close()
	first.e.Close() // a restart: one emulator holds the directory at a time

	second := newHarness(t, emulator.Options{StateDir: dir})
	r := second.get("/2/0/users/me", kept)
	wantStatus(t, r, http.StatusOK)
	wantAPIError(t, second.get("/2/0/users/me", revoked), http.StatusUnauthorized, "/2/0/users/me", "")
	wantStatus(t, second.do("POST", "/token/refresh", "AnaplanAuthToken "+kept, ""), http.StatusOK)

	// A third emulator on the directory still knows the token; one
	// without the directory does not.
	second.srv.Close()
	second.e.Close()
	third := newHarness(t, emulator.Options{StateDir: dir})
	wantStatus(t, third.get("/2/0/users/me", kept), http.StatusOK)
	memory := newHarness(t, emulator.Options{})
	wantAPIError(t, memory.get("/2/0/users/me", kept), http.StatusUnauthorized, "/2/0/users/me", "")
}

func TestStateFilesArePrivateAndHoldNoTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := newHarness(t, emulator.Options{StateDir: dir})
	token := h.login()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("state dir: %v entries, err %v", len(entries), err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file %s left behind", e.Name())
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Name(), perm)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), token) {
			t.Errorf("%s contains a usable token value", e.Name())
		}
	}
}

func TestCorruptStateIsReportedByName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tokens.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := emulator.New(emulator.Options{StateDir: dir})
	if err == nil || !strings.Contains(err.Error(), "tokens.json") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("New with corrupt state: %v, want an error naming the file and directory", err)
	}
}
