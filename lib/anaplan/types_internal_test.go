package anaplan

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
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

// parseAnaplanTime is a shortcut past time.Parse: wherever it answers, it
// must answer exactly what time.Parse(anaplanTimeLayout, s).UTC() does.
func agreeOnTime(t *testing.T, s string) bool {
	t.Helper()
	got, ok := parseAnaplanTime(s)
	if !ok {
		return false
	}
	want, err := time.Parse(anaplanTimeLayout, s)
	if err != nil || !reflect.DeepEqual(got, want.UTC()) {
		t.Fatalf("parseAnaplanTime(%q) = %v; time.Parse gives %v, %v", s, got, want.UTC(), err)
	}
	return true
}

func TestParseAnaplanTimeAgreesWithTimeParse(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2017-11-13T21:20:10.000+0000", "2019-10-16T20:40:16.552+0000", "2024-02-29T23:59:59.999-0930",
		"0001-01-01T00:00:00.000+0000", "1999-12-31T23:00:00.000+0530", "2025-06-01T08:30:00.000-0000"} {
		if !agreeOnTime(t, s) {
			t.Errorf("parseAnaplanTime(%q) gave up", s)
		}
	}
	for _, s := range []string{"2023-02-29T00:00:00.000+0000", "2017-13-13T21:20:10.000+0000", "2017-11-13T24:00:00.000+0000",
		"2017-11-13T21:60:10.000+0000", "2017-11-13T21:20:60.000+0000", "2017-11-13 21:20:10.000+0000", "2017-11-13T21:20:10.000Z",
		"2017-11-13T21:20:10+0000", "2017-11-13T21:20:10.000+2400", "2017-11-13T21:20:10.0a0+0000", "2017-11-00T21:20:10.000+0000", ""} {
		if agreeOnTime(t, s) {
			t.Errorf("parseAnaplanTime(%q) accepted what it should leave to time.Parse", s)
		}
	}
}

func FuzzParseAnaplanTime(f *testing.F) {
	f.Add("2017-11-13T21:20:10.000+0000")
	f.Add("2024-02-29T23:59:59.999-0930")
	f.Fuzz(func(t *testing.T, s string) { agreeOnTime(t, s) })
}
