package main

import (
	"fmt"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// oauthBanner tells how to log in with the OAuth device grant: the OAuth
// base, the verification page and the demo clients (their IDs are not
// secrets: device-grant clients have none).
func oauthBanner(baseURL string, interval time.Duration, approveAs string) string {
	approval := fmt.Sprintf("verification page: %s/activate (sign in as %s)", baseURL, emulator.DemoUser)
	if approveAs != "" {
		approval = "every code is approved at once as " + approveAs + " (-oauth-approve-as: for tests only)"
	}
	return fmt.Sprintf(`
OAuth 2.0 device login (clients poll every %v; add ANAPLAN_AUTH=oauth when other credentials are set too):
  ANAPLAN_OAUTH_URL=%s
  %s
  demo client, rotating refresh tokens:     ANAPLAN_OAUTH_CLIENT_ID=%s
  demo client, non-rotating refresh tokens: ANAPLAN_OAUTH_CLIENT_ID=%s`,
		interval, baseURL, approval, emulator.DemoOAuthClientID, emulator.DemoOAuthStaticClientID)
}
