package session_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

const hostsTestPassword = "Hosts-Secret-Pw-91c2"

// TestHostPairing: a URL set next to one filled in (from the defaults or
// ANAPLAN_REGION) must not send the login to another place than the API;
// the error names the variable to add. URLs all set explicitly are taken
// as given.
func TestHostPairing(t *testing.T) {
	basic := []string{"ANAPLAN_USERNAME=a@b.c", "ANAPLAN_PASSWORD=" + hostsTestPassword}
	oauth := []string{"ANAPLAN_OAUTH_CLIENT_ID=" + clientID}
	for _, tc := range []struct {
		name     string
		env      []string
		wantErrs []string // every one must appear; none means valid
	}{
		{"the API on a sandbox, the auth host defaulted", append([]string{"ANAPLAN_API_URL=http://127.0.0.1:8080/2/0"}, basic...),
			[]string{"ANAPLAN_API_URL is http://127.0.0.1:8080/2/0", "on this machine", "ANAPLAN_AUTH_URL is not set",
				"the password would go to https://auth.anaplan.com", "set ANAPLAN_AUTH_URL too (the sandbox prints it)"}},
		{"the auth host on a sandbox, the API defaulted", append([]string{"ANAPLAN_AUTH_URL=http://localhost:8080"}, basic...),
			[]string{"ANAPLAN_AUTH_URL is http://localhost:8080", "ANAPLAN_API_URL is not set", "https://api.anaplan.com/2/0", "set ANAPLAN_API_URL too"}},
		{"the API of another region", append([]string{"ANAPLAN_API_URL=https://us9.api.anaplan.com/2/0"}, basic...),
			[]string{"Anaplan's API host for US9", "ANAPLAN_AUTH_URL is not set", "set ANAPLAN_AUTH_URL too (for US9: ANAPLAN_AUTH_URL=https://us9.auth.anaplan.com)"}},
		{"the region's auth host with a sandbox's API", append([]string{"ANAPLAN_REGION=US9", "ANAPLAN_API_URL=http://127.0.0.1:8080/2/0"}, basic...),
			[]string{"ANAPLAN_AUTH_URL comes from ANAPLAN_REGION=US9", "https://us9.auth.anaplan.com", "set ANAPLAN_AUTH_URL too"}},
		{"the region's auth host with a proxy's API", append([]string{"ANAPLAN_REGION=EU3", "ANAPLAN_API_URL=https://proxy.example.com/anaplan/2/0"}, basic...),
			[]string{"not Anaplan's API host for any region", "ANAPLAN_AUTH_URL comes from ANAPLAN_REGION=EU3", "set ANAPLAN_AUTH_URL too"}},
		{"AU1's other API host with the default auth host", append([]string{"ANAPLAN_API_URL=https://au1a.api2.anaplan.com/2/0"}, basic...),
			[]string{"for AU1", "ANAPLAN_AUTH_URL=https://au1a.app2.anaplan.com"}},
		{"a certificate login says so", []string{"ANAPLAN_CERT_FILE=c.pem", "ANAPLAN_KEY_FILE=k.pem", "ANAPLAN_API_URL=http://[::1]:8080/2/0"},
			[]string{"the certificate login would go to https://auth.anaplan.com"}},
		{"OAuth to a sandbox's API, OAuth defaulted", append([]string{"ANAPLAN_AUTH_URL=http://127.0.0.1:8080", "ANAPLAN_API_URL=http://127.0.0.1:8080/2/0"}, oauth...),
			[]string{"ANAPLAN_OAUTH_URL is not set", "the OAuth device login would go to https://us1a.app.anaplan.com", "set ANAPLAN_OAUTH_URL too"}},
		{"OAuth from a region with a sandbox's API", append([]string{"ANAPLAN_REGION=US9", "ANAPLAN_API_URL=http://127.0.0.1:8080/2/0"}, oauth...),
			[]string{"ANAPLAN_OAUTH_URL comes from ANAPLAN_REGION=US9", "https://us9.app.anaplan.com"}},
		{"OAuth with only the auth host on a sandbox", append([]string{"ANAPLAN_AUTH_URL=http://127.0.0.1:8080"}, oauth...),
			[]string{"ANAPLAN_API_URL is not set", "ANAPLAN_OAUTH_URL is not set", "set ANAPLAN_API_URL and ANAPLAN_OAUTH_URL too (the sandbox prints them)"}},

		{"both on a sandbox", append([]string{"ANAPLAN_AUTH_URL=http://127.0.0.1:8080", "ANAPLAN_API_URL=http://127.0.0.1:8080/2/0"}, basic...), nil},
		{"both set, although they disagree", append([]string{"ANAPLAN_AUTH_URL=https://auth.anaplan.com", "ANAPLAN_API_URL=http://127.0.0.1:8080/2/0"}, basic...), nil},
		{"both set to a proxy", append([]string{"ANAPLAN_AUTH_URL=https://proxy.example.com/auth", "ANAPLAN_API_URL=https://proxy.example.com/api/2/0"}, basic...), nil},
		{"the default API host spelt without /2/0", append([]string{"ANAPLAN_API_URL=https://API.anaplan.com"}, basic...), nil},
		{"a legacy region's API host", append([]string{"ANAPLAN_REGION=EU1", "ANAPLAN_API_URL=https://api.anaplan.com/2/0"}, basic...), nil},
		{"the region's own API host set too", append([]string{"ANAPLAN_REGION=us9", "ANAPLAN_API_URL=https://us9.api.anaplan.com/2/0"}, basic...), nil},
		{"a region alone", append([]string{"ANAPLAN_REGION=GB1"}, basic...), nil},
		{"OAuth with its URL and the API on a sandbox", append([]string{"ANAPLAN_OAUTH_URL=http://127.0.0.1:8080", "ANAPLAN_API_URL=http://127.0.0.1:8080"}, oauth...), nil},
		{"OAuth ignores the auth host it does not use", append([]string{"ANAPLAN_REGION=US9"}, oauth...), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env...)
			cfg, err := session.LoadConfig("")
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.Validate()
			wantValidateErr(t, err, tc.wantErrs)
			if err != nil && strings.Contains(err.Error(), hostsTestPassword) {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestHostPairingOfConfigBuiltByHand: in a Config built in code, a set
// URL is explicit and an empty one takes the region's or the default
// host, both in Validate and in the client NewClient builds.
func TestHostPairingOfConfigBuiltByHand(t *testing.T) {
	clearAnaplanEnv(t)
	sandboxOnly := session.Config{Username: "a@b.c", Password: hostsTestPassword, APIURL: "http://127.0.0.1:8080/2/0"}
	if err := sandboxOnly.Validate(); err == nil || !strings.Contains(err.Error(), "set ANAPLAN_AUTH_URL too") {
		t.Errorf("Validate = %v, want the missing ANAPLAN_AUTH_URL", err)
	}
	if _, err := sandboxOnly.NewClient(); err == nil {
		t.Error("NewClient accepted a sandbox's API with Anaplan's auth host")
	}
	regional := session.Config{Username: "a@b.c", Password: hostsTestPassword, Region: "US9"}
	c, err := regional.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthURL() != "https://us9.auth.anaplan.com" || c.APIURL() != "https://us9.api.anaplan.com/2/0" {
		t.Errorf("a Config of region US9 built by hand gives %s and %s", c.AuthURL(), c.APIURL())
	}
}

// TestConnectRefusesSandboxAPIWithProductionAuth is the defect as a user
// meets it: only ANAPLAN_API_URL points at a sandbox. Connect refuses,
// before anything is sent, naming the setting to add.
func TestConnectRefusesSandboxAPIWithProductionAuth(t *testing.T) {
	srv := sandbox(t)
	setEnv(t, "ANAPLAN_USERNAME="+emulator.DemoUser, "ANAPLAN_PASSWORD="+emulator.DemoPassword, "ANAPLAN_API_URL="+srv.APIURL())
	s, err := session.Connect(session.Options{TokenCacheDir: t.TempDir()})
	if err == nil {
		s.Close()
		t.Fatalf("Connect = %q, want an error: the password would go to %s", s.Describe(), anaplan.DefaultAuthURL)
	}
	for _, want := range []string{session.EnvAuthURL, srv.APIURL(), anaplan.DefaultAuthURL, "the sandbox prints it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if strings.Contains(err.Error(), emulator.DemoPassword) {
		t.Error("the error shows the password")
	}
}

// TestDescribeNamesBothHosts: the banner says where the API is and where
// the login goes, for each kind of login.
func TestDescribeNamesBothHosts(t *testing.T) {
	srv := sandbox(t)
	for _, tc := range []struct {
		name  string
		env   []string
		login string
		logIn bool // log in too: the banner describes a session that works
	}{
		{"basic", []string{"ANAPLAN_USERNAME=" + emulator.DemoUser, "ANAPLAN_PASSWORD=" + emulator.DemoPassword, "ANAPLAN_AUTH_URL=" + srv.AuthURL()}, srv.AuthURL(), true},
		{"oauth", []string{"ANAPLAN_OAUTH_CLIENT_ID=" + clientID, "ANAPLAN_OAUTH_URL=" + srv.URL + "/"}, srv.URL, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, append(tc.env, "ANAPLAN_API_URL="+srv.APIURL())...)
			s, err := session.Connect(session.Options{TokenCacheDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got := s.Describe()
			if !strings.HasPrefix(got, "Using Anaplan at "+srv.APIURL()+" as ") || !strings.HasSuffix(got, ", logging in at "+tc.login+".") {
				t.Errorf("Describe = %q, want the API %s and the login at %s", got, srv.APIURL(), tc.login)
			}
			if strings.Contains(got, emulator.DemoPassword) {
				t.Errorf("Describe shows the password: %q", got)
			}
			if tc.logIn {
				if _, err := s.Client.Me(context.Background()); err != nil {
					t.Errorf("the session does not work: %v", err)
				}
			}
		})
	}
}
