package session

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// The environment variables that choose how to log in and where.
const (
	EnvAuth          = "ANAPLAN_AUTH"            // basic, cert or oauth; "" chooses from what is set
	EnvOAuthClientID = "ANAPLAN_OAUTH_CLIENT_ID" // a device-grant client (Anaplan Administration > OAuth)
	EnvOAuthURL      = "ANAPLAN_OAUTH_URL"       // the OAuth service; "" is the region's, else anaplan.DefaultOAuthURL
	EnvRegion        = "ANAPLAN_REGION"          // e.g. US9: the auth, API and OAuth hosts at once
)

// The kinds of login ANAPLAN_AUTH names.
const (
	AuthBasic = "basic"
	AuthCert  = "cert"
	AuthOAuth = "oauth"
)

// loadAuth reads the variables of this file into c and fills the URLs a
// region implies. Explicit URLs win over the region's; the caller fills
// the remaining defaults.
func (c *Config) loadAuth(get func(string) string) error {
	c.Auth = strings.ToLower(strings.TrimSpace(get(EnvAuth)))
	switch c.Auth {
	case "", AuthBasic, AuthCert, AuthOAuth:
	case "certificate":
		c.Auth = AuthCert
	default:
		return fmt.Errorf("anaplan: %s=%q: expected %s, %s or %s (or leave it unset to choose from the credentials set)",
			EnvAuth, oneLineValue(c.Auth), AuthBasic, AuthCert, AuthOAuth)
	}
	c.OAuthClientID = strings.TrimSpace(get(EnvOAuthClientID))
	c.OAuthURL = strings.TrimSpace(get(EnvOAuthURL))
	c.Region = strings.ToUpper(strings.TrimSpace(get(EnvRegion)))
	c.noteInherited(c.AuthURL != "", c.APIURL != "", c.OAuthURL != "")
	if c.Region != "" {
		hosts, err := anaplan.RegionHosts(c.Region)
		if err != nil {
			return fmt.Errorf("anaplan: %s=%s is not a region we know: use one of %s, or set %s, %s and %s instead",
				EnvRegion, oneLineValue(c.Region), strings.Join(anaplan.Regions(), ", "), EnvAuthURL, EnvAPIURL, EnvOAuthURL)
		}
		if c.AuthURL == "" {
			c.AuthURL = hosts.Auth
		}
		if c.APIURL == "" {
			c.APIURL = hosts.API
		}
		if c.OAuthURL == "" {
			c.OAuthURL = hosts.OAuth
		}
	}
	return nil
}

// oneLineValue keeps a bad value short and on one line in an error.
func oneLineValue(v string) string {
	v = strings.Join(strings.Fields(v), " ")
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return v
}

func (c Config) hasOAuth() bool { return c.OAuthClientID != "" }

// authKinds lists the kinds of credentials the configuration provides,
// each with the variable that gave it away.
func (c Config) authKinds() (kinds, vars []string) {
	if c.hasBasic() {
		v := EnvUsername
		if c.Username == "" {
			v = EnvPassword
		}
		kinds, vars = append(kinds, AuthBasic), append(vars, v)
	}
	if c.hasCert() {
		v := EnvCertFile
		if c.CertFile == "" {
			v = EnvKeyFile
		}
		kinds, vars = append(kinds, AuthCert), append(vars, v)
	}
	if c.hasOAuth() {
		kinds, vars = append(kinds, AuthOAuth), append(vars, EnvOAuthClientID)
	}
	return kinds, vars
}

// AuthKind is how the session logs in: ANAPLAN_AUTH when set, else the
// one kind of credentials configured, else "" (none: the emulator). Two
// kinds without ANAPLAN_AUTH is an error naming both variables: picking
// one silently could log in as someone unexpected.
func (c Config) AuthKind() (string, error) {
	if c.Auth != "" {
		return c.Auth, nil
	}
	kinds, vars := c.authKinds()
	switch len(kinds) {
	case 0:
		return "", nil
	case 1:
		return kinds[0], nil
	}
	return "", fmt.Errorf("anaplan: credentials of two kinds are configured, %s (%s) and %s (%s): set %s=%s or %s=%s to choose, or keep one",
		kindName(kinds[0]), vars[0], kindName(kinds[1]), vars[1], EnvAuth, kinds[0], EnvAuth, kinds[1])
}

func kindName(kind string) string {
	switch kind {
	case AuthBasic:
		return "basic"
	case AuthCert:
		return "certificate"
	}
	return "OAuth"
}

// validateAuth reports what is missing for the chosen kind.
func (c Config) validateAuth() []error {
	kind, err := c.AuthKind()
	if err != nil {
		return []error{err}
	}
	var errs []error
	switch kind {
	case AuthBasic:
		if c.Username == "" || c.Password == "" {
			missing := EnvPassword
			if c.Username == "" {
				missing = EnvUsername
			}
			errs = append(errs, fmt.Errorf("anaplan: basic authentication is half configured: %s is not set", missing))
		}
	case AuthCert:
		if c.CertFile == "" || c.KeyFile == "" {
			missing := EnvKeyFile
			if c.CertFile == "" {
				missing = EnvCertFile
			}
			errs = append(errs, fmt.Errorf("anaplan: certificate authentication is half configured: %s is not set", missing))
		}
	case AuthOAuth:
		if c.OAuthClientID == "" {
			errs = append(errs, fmt.Errorf("anaplan: OAuth is chosen (%s=oauth, or a script's -oauth) but %s is not set: copy the device-grant client's ID from Anaplan Administration > OAuth",
				EnvAuth, EnvOAuthClientID))
		}
		if c.OAuthURL != "" {
			if err := anaplan.CheckBaseURL("OAuth URL ("+EnvOAuthURL+")", c.OAuthURL); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// oauthCredentials is the device grant for c's client; prompt shows the
// user the link and the code (nil: PrintDevicePrompt to stderr).
func (c Config) oauthCredentials(prompt func(context.Context, anaplan.DevicePrompt) error) anaplan.Credentials {
	if prompt == nil {
		prompt = PrintDevicePrompt(os.Stderr)
	}
	_, _, oauth := c.hosts()
	return anaplan.DeviceAuth(c.OAuthClientID, anaplan.DeviceOptions{OAuthURL: oauth.url, Prompt: prompt})
}

// PrintDevicePrompt returns a device-login prompt that writes the link and
// the code to w, for terminals: scripts print it on stderr, so that stdout
// keeps only the result.
func PrintDevicePrompt(w io.Writer) func(context.Context, anaplan.DevicePrompt) error {
	return func(_ context.Context, p anaplan.DevicePrompt) error {
		link := p.VerificationURI
		if p.VerificationURIComplete != "" {
			link = p.VerificationURIComplete
		}
		_, err := fmt.Fprintf(w, "To log in, open %s\nand confirm the code %s (it expires at %s). Waiting for the approval…\n",
			link, p.UserCode, p.ExpiresAt.Local().Format("15:04"))
		return err
	}
}

// authString is the String form of this file's fields (none is secret).
func (c Config) authString() string {
	return fmt.Sprintf("Auth:%q, OAuthClientID:%q, OAuthURL:%q, Region:%q", c.Auth, c.OAuthClientID, c.OAuthURL, c.Region)
}
