package notebooks_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Checks every lesson must pass, whatever it teaches. The per-lesson
// content tests are in NN_topic_test.go.

// lessons are the lesson notebooks, in order.
func lessons(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(lessonPattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no lesson notebooks (%s)", lessonPattern)
	}
	return names
}

// emulatorLine is what session.Session.Describe says without credentials.
const emulatorLine = "No Anaplan credentials configured: using the built-in emulator's demo tenant (user demo.admin@example.com)."

// TestLessonsSayWhatTheyTalkTo: each lesson says in one line, right after
// the setup cell, whether it talks to a tenant or to the emulator.
func TestLessonsSayWhatTheyTalkTo(t *testing.T) {
	for _, name := range lessons(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			nb := executed(t, name)
			if len(nb.cells) < 2 || !strings.Contains(nb.cells[1].Source, "s.Describe()") {
				t.Fatalf("the code cell after the setup cell does not print s.Describe()")
			}
			if out := nb.cells[1].Stdout; !strings.HasPrefix(out, emulatorLine+"\n") {
				t.Errorf("the first cell shows\n%s\nwant it to start with %q", out, emulatorLine)
			}
		})
	}
}

// readsLine is what the second cell of a lesson that reads the registry
// says after reading it (session.Session.RegistryNote): no time, so the
// output stays the same on every run.
const readsLine = "Read 7 workspaces and 39 models from the tenant; later cells reuse this read for up to 10 minutes (a cache in the temp directory, for this tenant and user)."

// TestLessonsReadTheTenantOnce: a lesson that reads the registry reads it
// in its second cell and says so; every later cell takes that read from the
// cache (s.Registry) instead of paging through every model again.
func TestLessonsReadTheTenantOnce(t *testing.T) {
	for _, name := range lessons(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			nb := executed(t, name)
			reads := false
			for _, c := range nb.cells[1:] {
				reads = reads || strings.Contains(c.Source, "s.Registry(ctx)")
				if strings.Contains(c.Source, "registry.Read(") {
					t.Errorf("cell %d reads the tenant again (registry.Read); use s.Registry(ctx)", c.Index)
				}
			}
			if !reads {
				return // a lesson without the registry (authentication)
			}
			if !strings.Contains(nb.cells[1].Source, "s.ReadRegistry(ctx)") || !strings.Contains(nb.cells[1].Stdout, readsLine+"\n") {
				t.Errorf("the second cell shows\n%s\nwant it to read the tenant and say %q", nb.cells[1].Stdout, readsLine)
			}
		})
	}
}

var (
	// loopbackPort is the emulator's address with its port, which changes on every run.
	loopbackPort = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):[0-9]`)
	// tokenLike is a token value (43 characters of base64url for the
	// emulator) or a token id (a hyphenated UUID): random at every login.
	tokenLike = regexp.MustCompile(`[A-Za-z0-9_-]{43}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// rawGo is how fmt prints a struct pointer, a map or a slice of structs.
	rawGo = regexp.MustCompile(`&\{|map\[|\[\{`)
)

// TestLessonsShowNothingThatVaries checks what README.md forbids in
// outputs: the emulator's port, temporary paths, tokens, the demo password,
// and Go values printed raw.
func TestLessonsShowNothingThatVaries(t *testing.T) {
	for _, name := range lessons(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, c := range executed(t, name).cells {
				shown := c.text()
				for _, bad := range []struct {
					what  string
					found string
				}{
					{"the emulator's port", loopbackPort.FindString(shown)},
					{"a temporary path", regexp.MustCompile(`/tmp/|notebook-[0-9]+`).FindString(shown)},
					{"a token or token id", tokenLike.FindString(shown)},
					{"the demo password", regexp.MustCompile(`emulator-demo-password`).FindString(shown)},
					{"a Go value printed raw", rawGo.FindString(c.Stdout)},
				} {
					if bad.found != "" {
						t.Errorf("cell %d shows %s (%q):\n%s", c.Index, bad.what, bad.found, shown)
					}
				}
			}
		})
	}
}
