// Command authenticate logs in to Anaplan (basic or CA certificate
// authentication, from .env or the environment) and shows who you are and
// the token you got, masked. With no credentials it logs in to the built-in
// emulator's demo tenant.
//
//	go run ./scripts/authenticate [-logout] [-format table|csv|json]
package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("authenticate", "Logs in to Anaplan and shows the user and the (masked) token.", stderr)
	logout := fs.Bool("logout", false, "log out afterwards, ending the token's life at once")
	format := cli.FormatFlag(fs)
	conn := cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	session, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()
	c := session.Client

	token, err := c.Token(ctx)
	if err != nil {
		return err
	}
	check, err := c.Validate(ctx)
	if err != nil {
		return err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	info := tokenInfo{
		User:       me.Email,
		Name:       me.FirstName + " " + me.LastName,
		UserGUID:   check.UserGUID,
		Customer:   check.CustomerGUID,
		TokenID:    token.ID,
		Token:      token.Masked(),
		ExpiresAt:  token.ExpiresAt.UTC().Format(time.RFC3339),
		ValidFor:   time.Until(token.ExpiresAt).Round(time.Second).String(),
		AuthURL:    c.AuthURL(),
		APIURL:     c.APIURL(),
		LoggedOut:  *logout,
		OnEmulator: session.Emulated,
	}
	if *logout {
		if err := c.Logout(ctx); err != nil {
			return fmt.Errorf("logging out: %w", err)
		}
	}
	return cli.Write(stdout, *format, info.table(), info)
}

// tokenInfo is what the script shows; the token itself only masked.
type tokenInfo struct {
	User       string `json:"user"`
	Name       string `json:"name"`
	UserGUID   string `json:"userGuid"`
	Customer   string `json:"customerGuid"`
	TokenID    string `json:"tokenId"`
	Token      string `json:"tokenMasked"`
	ExpiresAt  string `json:"expiresAt"`
	ValidFor   string `json:"validFor"`
	AuthURL    string `json:"authUrl"`
	APIURL     string `json:"apiUrl"`
	LoggedOut  bool   `json:"loggedOut"`
	OnEmulator bool   `json:"emulator"`
}

func (i tokenInfo) table() registry.Table {
	status := "valid for " + i.ValidFor
	if i.LoggedOut {
		status = "logged out (the token no longer works)"
	}
	return registry.Table{
		Header: []string{"FIELD", "VALUE"},
		Rows: [][]string{
			{"user", i.User + " (" + i.Name + ")"},
			{"user guid", i.UserGUID},
			{"customer guid", i.Customer},
			{"token id", i.TokenID},
			{"token", i.Token},
			{"expires at", i.ExpiresAt},
			{"status", status},
		},
	}
}
