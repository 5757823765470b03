package session

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// What notebooks show: registry tables as HTML, and a token without its
// secret.

// HTMLTable renders t for a notebook as an HTML table with every cell
// escaped, showing at most maxRows rows (all when maxRows is negative) and
// saying so when rows were left out.
func HTMLTable(t registry.Table, maxRows int) string {
	var b strings.Builder
	b.WriteString(`<table class="registry"><thead><tr>`)
	for _, h := range t.Header {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead><tbody>")
	shown := t.Rows
	if maxRows >= 0 && len(shown) > maxRows {
		shown = shown[:maxRows]
	}
	for _, r := range shown {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(registry.CellText(c)))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	if len(shown) < len(t.Rows) {
		fmt.Fprintf(&b, "<p>showing %d of %d rows</p>", len(shown), len(t.Rows))
	}
	return b.String()
}

// TokenTable shows what a learner should know about a token without
// revealing it: who it belongs to (from GET /token/validate), how long the
// value is, what its id looks like and how long it stays valid, to the
// minute. Nothing in it changes between two logins of the same user.
func TokenTable(t anaplan.Token, v anaplan.TokenValidation, now time.Time) registry.Table {
	return registry.Table{
		Header: []string{"FIELD", "VALUE"},
		Rows: [][]string{
			{"user", v.UserID},
			{"user GUID", v.UserGUID},
			{"customer GUID", v.CustomerGUID},
			{"tokenValue", fmt.Sprintf("‹hidden: %d characters›", len(t.Value()))},
			{"tokenId", "‹varies: " + shape(t.ID) + "›"},
			{"expires", expiresIn(t.ExpiresAt.Sub(now))},
		},
	}
}

// expiresIn rounds a token's remaining life to the minute, so it reads the
// same on every run: "in 35m".
func expiresIn(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	return "in " + minutes(d)
}
