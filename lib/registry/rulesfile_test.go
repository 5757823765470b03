package registry_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/registry"
)

// TestLoadRulesRefusesWhatIsNoRulesFile: a rules path naming a device, a
// huge file or a directory is refused with an error naming it, after
// reading at most a little over the limit.
func TestLoadRulesRefusesWhatIsNoRulesFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sparse := filepath.Join(dir, "huge.csv")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "larger than 1 MiB"},
		{sparse, "larger than 1 MiB"},
		{dir, "is a directory"},
	} {
		_, err := registry.LoadRules(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadRules(%s) = %v, want an error naming it and saying %q", tc.path, err, tc.want)
		}
	}

	// Right at the limit a rules file is still read.
	content := "environment,field,pattern,why\nprod,model,^Sales$,\n"
	content += "#" + strings.Repeat("x", registry.MaxRulesFileSize-len(content)-2) + "\n"
	full := filepath.Join(dir, "full.csv")
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	rules, err := registry.LoadRules(full)
	if err != nil || len(rules) != len(registry.DefaultRules())+1 {
		t.Errorf("a rules file of exactly %d bytes: %d rules, %v", len(content), len(rules), err)
	}
}
