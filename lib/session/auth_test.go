package session_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/lib/session"
)

// setEnv blanks every ANAPLAN_ variable, then sets vars (NAME=value).
func setEnv(t *testing.T, vars ...string) {
	t.Helper()
	clearAnaplanEnv(t)
	for _, v := range vars {
		k, val, _ := strings.Cut(v, "=")
		t.Setenv(k, val)
	}
}

const clientID = emulator.DemoOAuthClientID

func TestAuthKindAndValidation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		env      []string
		kind     string
		wantErrs []string // every one must appear; none means valid
	}{
		{"nothing: the emulator", nil, "", nil},
		{"basic", []string{"ANAPLAN_USERNAME=a@b.c", "ANAPLAN_PASSWORD=pw"}, session.AuthBasic, nil},
		{"oauth from the client id", []string{"ANAPLAN_OAUTH_CLIENT_ID=" + clientID}, session.AuthOAuth, nil},
		{"basic and oauth", []string{"ANAPLAN_USERNAME=a@b.c", "ANAPLAN_PASSWORD=pw", "ANAPLAN_OAUTH_CLIENT_ID=" + clientID}, "",
			[]string{"ANAPLAN_USERNAME", "ANAPLAN_OAUTH_CLIENT_ID", "ANAPLAN_AUTH=basic", "ANAPLAN_AUTH=oauth"}},
		{"cert and oauth", []string{"ANAPLAN_CERT_FILE=c.pem", "ANAPLAN_KEY_FILE=k.pem", "ANAPLAN_OAUTH_CLIENT_ID=" + clientID}, "",
			[]string{"ANAPLAN_CERT_FILE", "ANAPLAN_OAUTH_CLIENT_ID", "ANAPLAN_AUTH"}},
		{"ANAPLAN_AUTH chooses between two", []string{"ANAPLAN_AUTH=oauth", "ANAPLAN_USERNAME=a@b.c", "ANAPLAN_OAUTH_CLIENT_ID=" + clientID}, session.AuthOAuth, nil},
		{"ANAPLAN_AUTH=CERT ignores a half basic login", []string{"ANAPLAN_AUTH=CERT", "ANAPLAN_USERNAME=a@b.c", "ANAPLAN_CERT_FILE=c.pem", "ANAPLAN_KEY_FILE=k.pem"}, session.AuthCert, nil},
		{"oauth without a client", []string{"ANAPLAN_AUTH=oauth"}, session.AuthOAuth, []string{"ANAPLAN_OAUTH_CLIENT_ID is not set"}},
		{"basic chosen, nothing set", []string{"ANAPLAN_AUTH=basic"}, session.AuthBasic, []string{"ANAPLAN_USERNAME"}},
		{"oauth to a sandbox without its OAuth URL", []string{"ANAPLAN_OAUTH_CLIENT_ID=" + clientID, "ANAPLAN_AUTH_URL=http://127.0.0.1:8080"}, session.AuthOAuth,
			[]string{"ANAPLAN_OAUTH_URL is not set"}},
		{"plain http OAuth URL to a remote host", []string{"ANAPLAN_OAUTH_CLIENT_ID=" + clientID, "ANAPLAN_OAUTH_URL=http://oauth.example.com"}, session.AuthOAuth,
			[]string{"ANAPLAN_OAUTH_URL", "https"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env...)
			cfg, err := session.LoadConfig("")
			if err != nil {
				t.Fatal(err)
			}
			kind, kerr := cfg.AuthKind()
			if kerr == nil && kind != tc.kind {
				t.Errorf("AuthKind = %q, want %q", kind, tc.kind)
			}
			err = cfg.Validate()
			wantValidateErr(t, err, tc.wantErrs)
		})
	}
}

func TestLoadConfigAuthValues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     []string
		want    func(session.Config) bool
		wantErr []string
	}{
		{"a region picks the three hosts", []string{"ANAPLAN_REGION=us9"}, func(c session.Config) bool {
			return c.AuthURL == "https://us9.auth.anaplan.com" && c.APIURL == "https://us9.api.anaplan.com/2/0" && c.OAuthURL == "https://us9.app.anaplan.com"
		}, nil},
		{"explicit URLs win over the region", []string{"ANAPLAN_REGION=EU3", "ANAPLAN_API_URL=https://proxy.example.com/anaplan/2/0"}, func(c session.Config) bool {
			return c.AuthURL == "https://eu3.auth.anaplan.com" && c.APIURL == "https://proxy.example.com/anaplan/2/0"
		}, nil},
		{"the default hosts without a region", nil, func(c session.Config) bool {
			return c.AuthURL == anaplan.DefaultAuthURL && c.APIURL == anaplan.DefaultAPIURL && c.OAuthURL == ""
		}, nil},
		{"an unknown region lists the known ones", []string{"ANAPLAN_REGION=mars1"}, nil, append([]string{"ANAPLAN_REGION=MARS1"}, anaplan.Regions()...)},
		{"an unknown ANAPLAN_AUTH", []string{"ANAPLAN_AUTH=saml"}, nil, []string{"ANAPLAN_AUTH", "basic", "cert", "oauth"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env...)
			cfg, err := session.LoadConfig("")
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("LoadConfig = %v, want an error", cfg)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not name %q", err, w)
					}
				}
				return
			}
			if err != nil || !tc.want(cfg) {
				t.Errorf("LoadConfig = %v, %v", cfg, err)
			}
		})
	}
}

func TestConfigShowsTheOAuthClientButNoSecret(t *testing.T) {
	cfg := session.Config{Username: "a@b.c", Password: "pw-secret-1", KeyPassword: "kp-secret-2",
		Auth: session.AuthOAuth, OAuthClientID: clientID, OAuthURL: "https://us9.app.anaplan.com", Region: "US9"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg)
	for name, shown := range map[string]string{"String": cfg.String(), "%+v": fmt.Sprintf("%+v", cfg), "LogValue": logs.String()} {
		for _, want := range []string{clientID, "us9.app.anaplan.com", "US9", "oauth"} {
			if !strings.Contains(shown, want) {
				t.Errorf("%s lacks %q: %s", name, want, shown)
			}
		}
		if strings.Contains(shown, "pw-secret-1") || strings.Contains(shown, "kp-secret-2") {
			t.Errorf("%s shows a password: %s", name, shown)
		}
	}
}

// wantValidateErr checks Validate's answer: nil when wantErrs is empty,
// else an error naming each of them.
func wantValidateErr(t *testing.T, err error, wantErrs []string) {
	t.Helper()
	if len(wantErrs) == 0 {
		if err != nil {
			t.Errorf("Validate = %v, want nil", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Validate = nil, want an error naming %q", wantErrs)
	}
	for _, want := range wantErrs {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v\nwant it to name %q", err, want)
		}
	}
}
