package anaplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// A secret never shows its value, whichever way it is printed, logged or
// encoded, also inside a struct printed whole.
func TestSecretNeverShowsItsValue(t *testing.T) {
	t.Parallel()
	const value = "s3cr3t-Value"
	holder := struct {
		User     string
		Password secret
	}{"ada@example.com", secret(value)}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "password", holder.Password, "holder", holder)
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	shown := []string{
		fmt.Sprint(holder.Password), fmt.Sprintf("%v %+v %#v %s %q %x", holder, holder, holder, holder.Password, holder.Password, holder.Password),
		logged.String(), string(js),
	}
	for _, s := range shown {
		if strings.Contains(s, value) || !strings.Contains(s, redacted) {
			t.Errorf("shown as %s, want %s and never the value", s, redacted)
		}
	}
	if holder.Password.reveal() != value {
		t.Errorf("reveal = %q, want the value", holder.Password.reveal())
	}
	if s := fmt.Sprint(secret("")); s != `""` {
		t.Errorf("empty secret shows %s, want \"\"", s)
	}
}
