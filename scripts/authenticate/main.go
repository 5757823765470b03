// Command authenticate logs in to Anaplan (basic, CA certificate or OAuth
// device-grant authentication, from .env or the environment) and shows who
// you are and the token you got, masked. With no credentials it logs in to
// the built-in emulator's demo tenant.
//
//	go run ./scripts/authenticate [-oauth] [-logout] [-format table|csv|json]
//
// -oauth logs in with the OAuth device grant (as ANAPLAN_AUTH=oauth does):
// it prints a link and a code on stderr and waits until you approve them;
// the refresh token then stays in the token cache, so later runs need no
// one. -logout ends the session: the token's life on Anaplan for basic and
// certificate logins, the cached OAuth tokens (Anaplan documents no
// revocation for them) without logging in first.
package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("authenticate", "Logs in to Anaplan and shows the user and the (masked) token.", stderr)
	logout := fs.Bool("logout", false, "log out afterwards, ending the token's life at once (OAuth: delete the cached tokens)")
	oauth := fs.Bool("oauth", false, "log in with the OAuth device grant (ANAPLAN_OAUTH_CLIENT_ID; the link and code show on stderr)")
	format := cli.FormatFlag(fs)
	conn := cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *oauth {
		conn.Auth = session.AuthOAuth
	}
	s, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	c := s.Client
	if s.Auth == session.AuthOAuth && *logout {
		// Logging in only to log out would ask a person to approve a code.
		if err := c.Logout(ctx); err != nil {
			return fmt.Errorf("logging out: %w", err)
		}
		fmt.Fprintln(stdout, "Logged out: the cached OAuth tokens are deleted; the next run logs in with a new device code.")
		return nil
	}

	token, err := c.Token(ctx)
	if err != nil {
		return err
	}
	var check anaplan.TokenValidation
	if s.Auth != session.AuthOAuth { // /token/validate refuses OAuth tokens; Me tells who it is
		if check, err = c.Validate(ctx); err != nil {
			return err
		}
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	if check.UserGUID == "" {
		check.UserGUID, check.CustomerGUID = me.ID, me.CustomerID
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
		OnEmulator: s.Emulated,
		Auth:       s.Auth,
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
	Auth       string `json:"auth"` // basic, cert or oauth
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
			{"login", i.Auth},
			{"customer guid", i.Customer},
			{"token id", i.TokenID},
			{"token", i.Token},
			{"expires at", i.ExpiresAt},
			{"status", status},
		},
	}
}
