package anaplan

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// User is the authenticated user, as GET /users/me returns it.
type User struct {
	ID            string `json:"id"`
	Email         string `json:"email"`
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
	Active        bool   `json:"active"`
	EmailOptIn    bool   `json:"emailOptIn"`
	CustomerID    string `json:"customerId"`
	LastLoginDate string `json:"lastLoginDate,omitempty"`
}

// Workspace is one workspace of the tenant. SizeAllowance and CurrentSize
// are in bytes and only filled when the list was read with tenant details.
type Workspace struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Active        bool   `json:"active"`
	SizeAllowance Bytes  `json:"sizeAllowance"`
	CurrentSize   Bytes  `json:"currentSize"`
}

// ModelState is a model's activeState. It is an open enum: values this
// package does not know decode fine and print as they came.
type ModelState string

// The activeState values known from Anaplan's documentation and clients.
const (
	StateUnlocked              ModelState = "UNLOCKED"
	StateActive                ModelState = "ACTIVE"
	StateProduction            ModelState = "PRODUCTION"
	StateMaintenance           ModelState = "MAINTENANCE"
	StateProductionMaintenance ModelState = "PRODUCTION_MAINTENANCE"
	StateArchived              ModelState = "ARCHIVED"
	StateLocked                ModelState = "LOCKED"
)

// Known reports whether s is one of the documented states.
func (s ModelState) Known() bool {
	switch s {
	case StateUnlocked, StateActive, StateProduction, StateMaintenance,
		StateProductionMaintenance, StateArchived, StateLocked:
		return true
	}
	return false
}

// CategoryValue is a model category assignment.
type CategoryValue struct {
	ID           string `json:"id"`
	Attribute    string `json:"attribute"`
	CategoryID   string `json:"categoryId"`
	CategoryName string `json:"categoryName"`
	CustomerID   string `json:"customerId"`
}

// Model is one model. The fields after CategoryValues are only filled when
// the model was read with model details (memoryUsage is the model's size).
type Model struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ActiveState          ModelState      `json:"activeState"`
	CurrentWorkspaceID   string          `json:"currentWorkspaceId"`
	CurrentWorkspaceName string          `json:"currentWorkspaceName"`
	ModelURL             string          `json:"modelUrl"`
	CategoryValues       []CategoryValue `json:"categoryValues,omitempty"`

	MemoryUsage             Bytes      `json:"memoryUsage"`
	LastSavedSerialNumber   FlexString `json:"lastSavedSerialNumber,omitempty"`
	LastModifiedByUserGUID  string     `json:"lastModifiedByUserGuid,omitempty"`
	ISOCreationDate         Timestamp  `json:"isoCreationDate,omitzero"`
	LastModified            Timestamp  `json:"lastModified,omitzero"`
	ModelTransactionRunning bool       `json:"modelTransactionRunning,omitempty"`
}

// Bytes is a size in bytes. It decodes from any JSON number (Anaplan's
// schema types memoryUsage as "number", so 1.5E9 and 123.0 both occur).
type Bytes int64

// UnmarshalJSON accepts integers, floats, numeric strings and null.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" {
		*b = 0
		return nil
	}
	if len(s) > 1 && s[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if s == "" {
			*b = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*b = Bytes(n)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return fmt.Errorf("anaplan: size %q is not a number of bytes", s)
	}
	*b = Bytes(f)
	return nil
}

// FlexString decodes a JSON string or number as a string: Anaplan documents
// lastSavedSerialNumber as a number while live responses carry a string.
type FlexString string

// UnmarshalJSON accepts "123", 123 and null.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = ""
		return nil
	}
	if s, ok := plainJSONString(b); ok {
		*f = FlexString(s)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = FlexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = FlexString(n.String())
	return nil
}

// Timestamp is an Anaplan date-time such as "2017-11-13T21:20:10.000+0000".
// It also accepts RFC 3339 and epoch milliseconds; an unparseable value
// decodes to the zero time and keeps its text in Raw.
type Timestamp struct {
	time.Time
	Raw string
}

// anaplanTimeLayout is the layout of isoCreationDate, lastModified and
// lastLoginDate in Anaplan's responses.
const anaplanTimeLayout = "2006-01-02T15:04:05.000-0700"

// UnmarshalJSON decodes a timestamp leniently (see Timestamp).
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	*t = Timestamp{}
	if string(b) == "null" {
		return nil
	}
	s, ok := plainJSONString(b)
	if !ok {
		ok = json.Unmarshal(b, &s) == nil
	}
	if !ok {
		// Epoch milliseconds; some serializers write them as floats (1.5E12).
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		ms, err := n.Int64()
		if err != nil {
			f, ferr := n.Float64()
			if ferr != nil || f < -1e15 || f > 1e15 {
				return fmt.Errorf("anaplan: timestamp %s is not epoch milliseconds", n)
			}
			ms = int64(f)
		}
		t.Time = time.UnixMilli(ms).UTC()
		t.Raw = n.String()
		return nil
	}
	t.Raw = s
	if v, ok := parseAnaplanTime(s); ok {
		t.Time = v
		return nil
	}
	for _, layout := range []string{anaplanTimeLayout, time.RFC3339Nano, "2006-01-02T15:04:05-0700"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return nil
}

// parseAnaplanTime reads a timestamp in anaplanTimeLayout
// ("2017-11-13T21:20:10.000+0000"), in UTC, as time.Parse would: two per
// model, time.Parse was a quarter of the time to decode a page. ok is false
// for anything else, including values time.Parse would read but that this
// does not check as strictly (a zone offset of 24 hours or more); callers
// then use time.Parse.
func parseAnaplanTime(s string) (time.Time, bool) {
	if len(s) != len(anaplanTimeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
		s[16] != ':' || s[19] != '.' || (s[23] != '+' && s[23] != '-') {
		return time.Time{}, false
	}
	num := func(from, to int) int {
		n := 0
		for _, c := range []byte(s[from:to]) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, second, milli := num(11, 13), num(14, 16), num(17, 19), num(20, 23)
	zh, zm := num(24, 26), num(26, 28)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
		second < 0 || second > 59 || milli < 0 || zh < 0 || zh > 23 || zm < 0 || zm > 59 {
		return time.Time{}, false
	}
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() { // days in that month
		return time.Time{}, false
	}
	offset := time.Duration(zh)*time.Hour + time.Duration(zm)*time.Minute
	if s[23] == '-' {
		offset = -offset
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, milli*1e6, time.UTC).Add(-offset), true
}

// MarshalJSON writes the timestamp back in Anaplan's layout.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.Time.IsZero() {
		return json.Marshal(t.Raw)
	}
	return json.Marshal(t.Time.UTC().Format(anaplanTimeLayout))
}

// plainJSONString returns the text of a JSON string literal that needs no
// unescaping: no backslash, no control character, valid UTF-8. Model pages
// carry tens of thousands of such strings in fields with their own
// UnmarshalJSON, and a json.Unmarshal per value was a fifth of the time to
// decode a page. ok is false for anything else; callers then decode the
// slow, general way, so the result is always the one json.Unmarshal gives.
func plainJSONString(b []byte) (s string, ok bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(inner) {
		return "", false
	}
	return string(inner), true
}

// IsZero reports whether the timestamp carries nothing.
func (t Timestamp) IsZero() bool { return t.Time.IsZero() && t.Raw == "" }
