package anaplan

import (
	"encoding/json"
	"testing"
)

// plainJSONString is a shortcut past json.Unmarshal: wherever it answers,
// it must answer exactly what json.Unmarshal does.
func TestPlainJSONStringAgreesWithUnmarshal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		plain bool // the shortcut applies
	}{
		{`"2017-11-13T21:20:10.000+0000"`, true},
		{`""`, true},
		{`"Modèle été"`, true},
		{`"a\"b"`, false},
		{`"tab\tescaped"`, false},
		{`"\u00e9"`, false},
		{"\"raw\ttab\"", false},
		{"\"bad \xff utf8\"", false},
		{`"unterminated`, false},
		{`123`, false},
		{`null`, false},
		{`"`, false},
	} {
		got, ok := plainJSONString([]byte(tc.in))
		if ok != tc.plain {
			t.Errorf("plainJSONString(%q) ok = %t, want %t", tc.in, ok, tc.plain)
		}
		if !ok {
			continue
		}
		var want string
		if err := json.Unmarshal([]byte(tc.in), &want); err != nil || got != want {
			t.Errorf("plainJSONString(%q) = %q; json.Unmarshal gives %q, %v", tc.in, got, want, err)
		}
	}
}

func FuzzPlainJSONString(f *testing.F) {
	for _, s := range []string{`"x"`, `"a\"b"`, "\"\xff\"", `"2019-10-16T20:40:16.552+0000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := plainJSONString(data)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(data, &want); err != nil || got != want {
			t.Fatalf("plainJSONString(%q) = %q; json.Unmarshal gives %q, %v", data, got, want, err)
		}
	})
}

// The fields that use the shortcut decode as before, escapes included.
func TestLenientFieldsDecodeEscapedStrings(t *testing.T) {
	t.Parallel()
	var m Model
	if err := json.Unmarshal([]byte(`{"lastSavedSerialNumber":"20\u0030","isoCreationDate":"2017-11-13T21:20:10.000+0000",
		"lastModified":"2019-10-16T20:40:16.552\u002b0000"}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.LastSavedSerialNumber != "200" || m.ISOCreationDate.Year() != 2017 || m.LastModified.Raw != "2019-10-16T20:40:16.552+0000" ||
		m.LastModified.UnixMilli() != 1571258416552 {
		t.Errorf("decoded %+v", m)
	}
}
