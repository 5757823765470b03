// Package masktest checks, for the tests of the packages whose types hold
// secrets (lib/anaplan's credentials and tokens, lib/session's Config),
// that a value shows none of its secrets however it is printed or logged.
// It is the one list of the ways a developer might show a value, so a
// rendering added here is checked for every such type.
package masktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Renderings prints v every way a developer might: fmt verbs, as a field
// of a struct, as JSON, and through slog's text and JSON handlers. The
// keys name the rendering.
func Renderings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["field "+verb] = fmt.Sprintf(verb, struct{ Field any }{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "value", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", slog.Any("value", v))
	out["slog text"], out["slog JSON"] = text.String(), js.String()
	return out
}

// AssertHidden fails t if any rendering of v contains one of secrets, or,
// when visible is set, if a readable rendering (all but %x and JSON,
// which may encode it) lacks visible: masking must not hide everything.
func AssertHidden(t testing.TB, v any, secrets []string, visible string) {
	t.Helper()
	for how, s := range Renderings(v) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s of %T shows a secret: %s", how, v, s)
			}
		}
		if visible != "" && how != "%x" && how != "field %x" && how != "json" && !strings.Contains(s, visible) {
			t.Errorf("%s of %T hides %q too: %s", how, v, visible, s)
		}
	}
}
