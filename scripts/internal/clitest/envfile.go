package clitest

import (
	"os"
	"strings"
	"testing"
)

// EnvFileDecides unsets every ANAPLAN_ variable for the rest of the test
// (t.Setenv restores them afterwards), so that the .env file a script is
// given with -env is all it reads: a set variable, even an empty one,
// would override the file. The token cache goes to tokenCache ("off"
// disables it). The test cannot be parallel; its subtests can, each with
// its own .env file.
func EnvFileDecides(t *testing.T, tokenCache string) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ANAPLAN_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	for _, k := range Vars {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("ANAPLAN_TOKEN_CACHE", tokenCache)
}
