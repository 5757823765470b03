package anaplan

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// redacted is what every masked secret shows instead of its value.
const redacted = "[REDACTED]"

// secret holds a password, a token value or a key password. Every way of
// showing it (fmt verbs including %#v and %q, slog, JSON) says only whether
// it is set, so a struct holding one can be printed or logged whole; reveal
// is the one way to the value, for the request that must carry it.
type secret string

// reveal is the value itself, for the wire only.
func (s secret) reveal() string { return string(s) }

// String is `""` for an empty secret and [REDACTED] otherwise.
func (s secret) String() string {
	if s == "" {
		return `""`
	}
	return redacted
}

// GoString keeps %#v masked.
func (s secret) GoString() string { return s.String() }

// Format keeps every verb to String.
func (s secret) Format(f fmt.State, verb rune) { formatMasked(f, verb, s.String()) }

// LogValue masks the secret in structured logs.
func (s secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON is "" for an empty secret and "[REDACTED]" otherwise.
func (s secret) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte(`""`), nil
	}
	return json.Marshal(redacted)
}

// formatMasked prints s for any verb: quoted for %q, as is otherwise. Types
// holding secrets use it so that no verb falls back to printing fields.
func formatMasked(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = fmt.Sprintf("%q", s)
	}
	_, _ = io.WriteString(f, s)
}
