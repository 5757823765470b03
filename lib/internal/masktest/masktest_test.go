package masktest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/internal/masktest"
)

// leaky prints its secret: AssertHidden must catch it.
type leaky struct{ User, Password string }

// masked prints only its user.
type masked struct{ user string }

func (m masked) String() string                { return "masked{" + m.user + "}" }
func (m masked) Format(f fmt.State, verb rune) { fmt.Fprint(f, m.String()) }
func (m masked) MarshalJSON() ([]byte, error)  { return json.Marshal(m.String()) }

// recorder is a testing.TB that keeps the errors instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestAssertHiddenCatchesALeak(t *testing.T) {
	r := &recorder{TB: t}
	masktest.AssertHidden(r, leaky{"ann", "pw-SECRET"}, []string{"pw-SECRET"}, "ann")
	if len(r.errors) == 0 {
		t.Fatal("a struct printing its password passed")
	}
	if !strings.Contains(strings.Join(r.errors, "\n"), "shows a secret") {
		t.Errorf("errors do not say a secret shows: %q", r.errors)
	}
}

func TestAssertHiddenCatchesOverMasking(t *testing.T) {
	r := &recorder{TB: t}
	masktest.AssertHidden(r, masked{"ann"}, []string{"pw-SECRET"}, "bob")
	if !strings.Contains(strings.Join(r.errors, "\n"), `hides "bob" too`) {
		t.Errorf("a value hiding what should show passed: %q", r.errors)
	}
}

func TestAssertHiddenPassesAMaskedValue(t *testing.T) {
	r := &recorder{TB: t}
	masktest.AssertHidden(r, masked{"ann"}, []string{"pw-SECRET"}, "ann")
	if len(r.errors) != 0 {
		t.Errorf("a masked value failed: %q", r.errors)
	}
}

func TestRenderingsCoverEveryWay(t *testing.T) {
	got := masktest.Renderings(leaky{"ann", "pw"})
	for _, how := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "field %v", "field %#v", "Sprint", "json", "slog text", "slog JSON"} {
		if _, ok := got[how]; !ok {
			t.Errorf("no %s rendering", how)
		}
	}
}
