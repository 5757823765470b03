package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// jsonNode is a JSON value that keeps its members in the order they came:
// a learner should see Anaplan's answer as Anaplan wrote it, not sorted.
// Secrets and values that change from run to run are already masked in it.
type jsonNode struct {
	kind   byte   // '{' object, '[' array, 0 scalar
	scalar string // a scalar as JSON text, or a ‹mask›
	keys   []string
	values []*jsonNode
}

// masker decides how values are shown. Keys name the member a scalar
// belongs to; the rules follow Anaplan's auth and API bodies
// (anaplan-api.md §2, §3).
type masker struct {
	received time.Time // when the answer came, for epoch-ms expiry times
	// origin, when set, is replaced by shownOrigin in every string: the
	// emulator's host:port, whose port differs on every run.
	origin, shownOrigin string
}

var (
	// secretKeys hold credentials: their value is never shown, only its length.
	secretKeys = map[string]bool{
		"tokenValue": true, "refreshToken": true, "access_token": true, "refresh_token": true,
		"id_token": true, "password": true, "client_secret": true, "device_code": true,
	}
	// variableKeys differ on every login: shown by shape (a UUID stays
	// recognisable as one) or by length.
	variableKeys = map[string]bool{
		"tokenId": true, "refreshTokenId": true, "encodedData": true, "encodedSignedData": true,
		"user_code": true, // OAuth device login
	}
	// epochKeys are times in epoch milliseconds, shown relative to the answer.
	epochKeys = map[string]bool{"expiresAt": true, "creationTime": true}
	// clockKeys are wall-clock times as text (the API's error bodies).
	clockKeys = map[string]bool{"timestamp": true}
)

// userCodeParam is the OAuth user code in a verification link.
var userCodeParam = regexp.MustCompile(`user_code=[^&]*`)

// parseJSON reads one JSON value into a masked tree.
func (m masker) parseJSON(data []byte) (*jsonNode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := m.parseValue(dec, "")
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return n, nil
}

func (m masker) parseValue(dec *json.Decoder, key string) (*jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &jsonNode{kind: '{'}
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := t.(string)
			v, err := m.parseValue(dec, name)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, name)
			n.values = append(n.values, v)
		}
		_, err := dec.Token() // '}'
		return n, err
	case json.Delim('['):
		n := &jsonNode{kind: '['}
		for dec.More() {
			v, err := m.parseValue(dec, key)
			if err != nil {
				return nil, err
			}
			n.values = append(n.values, v)
		}
		_, err := dec.Token() // ']'
		return n, err
	}
	return &jsonNode{scalar: m.scalar(key, tok)}, nil
}

// scalar renders one scalar, masked by the rules above.
func (m masker) scalar(key string, tok json.Token) string {
	switch v := tok.(type) {
	case string:
		switch {
		case secretKeys[key]:
			return fmt.Sprintf("‹hidden: %d characters›", len(v))
		case variableKeys[key]:
			return "‹varies: " + shape(v) + "›"
		case clockKeys[key]:
			return "‹the server's clock›"
		}
		if m.origin != "" {
			v = strings.ReplaceAll(v, m.origin, m.shownOrigin)
		}
		if key == "verification_uri_complete" { // the user code is in it
			v = userCodeParam.ReplaceAllStringFunc(v, func(p string) string {
				return "user_code=‹varies: " + shape(strings.TrimPrefix(p, "user_code=")) + "›"
			})
		}
		return quoteJSON(v)
	case json.Number:
		if epochKeys[key] && !m.received.IsZero() {
			if ms, err := v.Int64(); err == nil {
				return "‹epoch ms: " + relative(time.UnixMilli(ms).Sub(m.received)) + "›"
			}
		}
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// shape shows what a varying value looks like without its content: each
// letter and digit becomes x, so "ce81e2ed-eec4-…" reads as a UUID. Long
// values are only counted.
func shape(v string) string {
	if len(v) > 40 {
		return fmt.Sprintf("%d characters", len(v))
	}
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return 'x'
		}
		return r
	}, v)
}

// relative is a duration from the answer's arrival, to the minute:
// "now + 35m". A token's expiry is then the same on every run.
func relative(d time.Duration) string {
	switch d = d.Round(time.Minute); {
	case d == 0:
		return "now"
	case d < 0:
		return "now - " + minutes(-d)
	}
	return "now + " + minutes(d)
}

// minutes formats a duration rounded to the minute: 35m, 2h5m, 0m.
func minutes(d time.Duration) string {
	d = d.Round(time.Minute)
	if d == 0 {
		return "0m"
	}
	return strings.TrimSuffix(d.String(), "0s")
}

// quoteJSON quotes s as JSON does, without escaping & < > (Anaplan writes
// "FP&A" as is).
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// write renders the tree indented by two spaces, showing at most maxItems
// elements of each array (all when maxItems < 0) and how many it left out.
func (n *jsonNode) write(b *strings.Builder, indent string, maxItems int) {
	inner := indent + "  "
	switch n.kind {
	case '{':
		if len(n.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range n.keys {
			b.WriteString(inner + quoteJSON(k) + ": ")
			n.values[i].write(b, inner, maxItems)
			if i < len(n.keys)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(indent + "}")
	case '[':
		if len(n.values) == 0 {
			b.WriteString("[]")
			return
		}
		shown := n.values
		if maxItems >= 0 && len(shown) > maxItems {
			shown = shown[:maxItems]
		}
		b.WriteString("[\n")
		for i, v := range shown {
			b.WriteString(inner)
			v.write(b, inner, maxItems)
			if i < len(n.values)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		if left := len(n.values) - len(shown); left > 0 {
			fmt.Fprintf(b, "%s‹%d more›\n", inner, left)
		}
		b.WriteString(indent + "]")
	default:
		b.WriteString(n.scalar)
	}
}
