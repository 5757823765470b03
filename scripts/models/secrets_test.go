package main

import (
	"testing"

	"github.com/anaplan-registry/toolkit/scripts/internal/clitest"
)

// TestSecretsNeverPrinted: with -v, through retries, re-authentication
// and every login failure, nothing the script prints or logs holds the
// password, the key password, key material or a token.
func TestSecretsNeverPrinted(t *testing.T) {
	clitest.SecretScan(t, run)
}
