package session_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// rowOf returns the row whose first cell is key.
func rowOf(t *testing.T, tb registry.Table, key string) []string {
	t.Helper()
	for _, r := range tb.Rows {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	t.Fatalf("no row %q in %v", key, tb)
	return nil
}

func TestHTMLTableEscapesAndBoundsRows(t *testing.T) {
	t.Parallel()
	tb := registry.Table{Header: []string{"NAME", "<b>"}, Rows: [][]string{
		{"<script>alert(1)</script>", "a & b"}, {"line\nbreak", "2"}, {"third", "3"},
	}}
	got := session.HTMLTable(tb, 2)
	for _, want := range []string{
		`<table class="registry"><thead><tr><th>NAME</th><th>&lt;b&gt;</th></tr></thead>`,
		"<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>a &amp; b</td>",
		`<td>line\nbreak</td>`, // the newline shown, not obeyed
		"<p>showing 2 of 3 rows</p>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("HTMLTable =\n%s\nwant it to contain %s", got, want)
		}
	}
	if strings.Contains(got, "third") || strings.Contains(got, "<script>") {
		t.Errorf("HTMLTable shows a row beyond maxRows or an unescaped tag:\n%s", got)
	}
	if all := session.HTMLTable(tb, -1); !strings.Contains(all, "<td>third</td>") || strings.Contains(all, "showing") {
		t.Errorf("HTMLTable(-1) =\n%s\nwant every row and no note", all)
	}
}

func TestTokenTableIsStableAndHidesTheToken(t *testing.T) {
	t.Parallel()
	var tables []registry.Table
	for range 2 {
		c, _, _ := recorded(t, demoBasic())
		ctx := context.Background()
		tok, err := c.Token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.Validate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tb := session.TokenTable(tok, v, time.Now())
		if s := session.HTMLTable(tb, -1); strings.Contains(s, tok.Value()) || strings.Contains(s, tok.ID) {
			t.Fatalf("the token table shows the token or its id:\n%s", s)
		}
		tables = append(tables, tb)
	}
	if !reflect.DeepEqual(tables[0], tables[1]) {
		t.Errorf("two logins show different token tables:\n%v\n%v", tables[0], tables[1])
	}
	for _, want := range [][]string{
		{"user", emulator.DemoUser},
		{"tokenValue", "‹hidden: 43 characters›"},
		{"expires", "in 35m"},
	} {
		if got := rowOf(t, tables[0], want[0]); len(got) < 2 || got[1] != want[1] {
			t.Errorf("%s is %q, want %q", want[0], got[1], want[1])
		}
	}
}
