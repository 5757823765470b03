package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestSecretsNeverPrinted: with -v, through an upload, an import, retries,
// re-authentication and every login failure, nothing the script prints
// or logs holds the password, the key password, key material or a token.
func TestSecretsNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "workspaces.csv")
	if err := os.WriteFile(file, []byte("Code,Name,sizeAllowance,currentSize\nW1,Admin Tools,2147483648,1073741824\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clitest.SecretScan(t, run, "-workspace", emulator.RegistryWorkspaceID, "-model", emulator.RegistryModelID,
		"-file", file, "-import", "W1 Workspaces from workspaces.csv", "-dumps", filepath.Join(dir, "dumps"))
}
