package anaplan_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// A device login in region US9: the prompt shows the link and the code,
// the refresh token is kept in the token cache for the next run. (Not run:
// it waits for a person.)
func ExampleDeviceAuth() {
	hosts, err := anaplan.RegionHosts("US9")
	if err != nil {
		log.Fatal(err)
	}
	creds := anaplan.DeviceAuth("0a0a7e5f6c3d4b2a9e8f1d0c2b3a4e5f", anaplan.DeviceOptions{
		OAuthURL: hosts.OAuth,
		Prompt: func(_ context.Context, p anaplan.DevicePrompt) error {
			fmt.Fprintf(os.Stderr, "Open %s and enter %s (valid until %s)\n", p.VerificationURI, p.UserCode, p.ExpiresAt.Format("15:04"))
			return nil
		},
	})
	ctx := context.Background()
	c, err := anaplan.New(creds, anaplan.WithAuthURL(hosts.Auth), anaplan.WithAPIURL(hosts.API),
		anaplan.WithTokenCache(filepath.Join(os.TempDir(), "anaplan-tokens")))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	me, err := c.Me(ctx)
	if err != nil {
		log.Fatal(err) // errors.Is(err, anaplan.ErrAccessDenied) when the user chose Deny
	}
	fmt.Println("logged in as", me.Email)
}
