package session

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// inheritedURLs marks the URLs LoadConfig filled in (from ANAPLAN_REGION or
// Anaplan's defaults) rather than read from their own variable. Only a mix
// of set and filled-in URLs can hide where a login goes, so LoadConfig
// records the marks only when at least one URL was set: a Config without
// a mix then equals one built by hand, where every non-empty URL counts as
// set and every empty one takes the region's or the default host.
type inheritedURLs struct{ auth, api, oauth bool }

// noteInherited records which URLs LoadConfig is about to fill in, given
// which were set by their own variable (called before the region's and the
// default hosts are filled in; only a region fills the OAuth URL).
func (c *Config) noteInherited(authSet, apiSet, oauthSet bool) {
	if !authSet && !apiSet && !oauthSet {
		return
	}
	c.inherited = inheritedURLs{auth: !authSet, api: !apiSet, oauth: !oauthSet && c.Region != ""}
}

// hostSetting is one base URL a session uses, resolved as newClient uses it.
type hostSetting struct {
	env      string          // its variable, e.g. ANAPLAN_AUTH_URL
	service  anaplan.Service // what it serves
	url      string          // the URL in use
	explicit bool            // set by its own variable
	region   string          // when not explicit: the ANAPLAN_REGION it came from ("" for the default)
}

// hosts resolves the auth, API and OAuth base URLs: a URL set by its own
// variable, else ANAPLAN_REGION's, else Anaplan's default (the legacy
// regions' hosts).
func (c Config) hosts() (auth, api, oauth hostSetting) {
	region, err := anaplan.RegionHosts(c.Region)
	if c.Region == "" || err != nil { // a bad region is LoadConfig's error
		region = anaplan.Hosts{Auth: anaplan.DefaultAuthURL, API: anaplan.DefaultAPIURL, OAuth: anaplan.DefaultOAuthURL}
	}
	regionName := c.Region
	if err != nil {
		regionName = ""
	}
	resolve := func(env string, s anaplan.Service, value string, inherited bool) hostSetting {
		h := hostSetting{env: env, service: s, url: value, explicit: value != "" && !inherited}
		if !h.explicit {
			h.region = regionName
			if h.url == "" {
				h.url = region.URL(s)
			}
		}
		return h
	}
	return resolve(EnvAuthURL, anaplan.ServiceAuth, c.AuthURL, c.inherited.auth),
		resolve(EnvAPIURL, anaplan.ServiceAPI, c.APIURL, c.inherited.api),
		resolve(EnvOAuthURL, anaplan.ServiceOAuth, c.OAuthURL, c.inherited.oauth)
}

// checkHostPairing reports a login that would go to another place than the
// API it is for: an API URL set to a sandbox while the password goes to
// Anaplan's default auth host, or the hosts of two different regions. The
// hosts that take part are the auth and API hosts, or for OAuth the OAuth
// and API hosts (and the auth host when it is set: it says where the user
// means to be). A host that was filled in must agree with the one that
// was set; when every one of them was set, they are taken as given (a
// proxy, a tunnel). URLs that are malformed are Validate's other errors.
func (c Config) checkHostPairing(kind string) error {
	auth, api, oauth := c.hosts()
	group := []hostSetting{api, auth}
	if kind == AuthOAuth {
		group = []hostSetting{api, oauth}
		if auth.explicit {
			group = append(group, auth)
		}
	}
	for _, h := range group {
		if anaplan.CheckBaseURL(h.env, h.url) != nil {
			return nil
		}
	}
	i := slices.IndexFunc(group, func(h hostSetting) bool { return h.explicit })
	if i < 0 {
		return nil // all from one region, or all defaults: they agree
	}
	set := group[i]
	var disagree []hostSetting
	for _, h := range group {
		if !h.explicit && !hostsAgree(set, h) {
			disagree = append(disagree, h)
		}
	}
	if len(disagree) == 0 {
		return nil
	}
	return hostMismatchError(kind, set, disagree)
}

// hostsAgree reports whether a and b can serve one login: both on this
// machine, or both hosts of one Anaplan region.
func hostsAgree(a, b hostSetting) bool {
	if la, lb := urlIsLoopback(a.url), urlIsLoopback(b.url); la || lb {
		return la && lb
	}
	ra, rb := anaplan.RegionsOf(a.service, a.url), anaplan.RegionsOf(b.service, b.url)
	return slices.ContainsFunc(ra, func(r string) bool { return slices.Contains(rb, r) })
}

func urlIsLoopback(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && isLoopback(u.Hostname())
}

// hostMismatchError says which URL was set, where the filled-in ones would
// send the login or the token, and which variables to set.
func hostMismatchError(kind string, set hostSetting, disagree []hostSetting) error {
	var b strings.Builder
	regions := anaplan.RegionsOf(set.service, set.url)
	fmt.Fprintf(&b, "anaplan: %s is %s, ", set.env, shownURL(set.url))
	switch {
	case urlIsLoopback(set.url):
		b.WriteString("on this machine (a sandbox), ")
	case len(regions) > 0:
		fmt.Fprintf(&b, "Anaplan's %s host for %s, ", set.service, strings.Join(regions, ", "))
	default:
		fmt.Fprintf(&b, "not Anaplan's %s host for any region we know, ", set.service)
	}
	envs := make([]string, len(disagree))
	var hints []string
	for k, d := range disagree {
		envs[k] = d.env
		source := "is not set"
		if d.region != "" {
			source = "comes from " + EnvRegion + "=" + d.region
		}
		if k == 0 {
			b.WriteString("but ")
		} else {
			b.WriteString(", and ")
		}
		fmt.Fprintf(&b, "%s %s, so %s would go to %s", d.env, source, carried(kind, d.service), shownURL(d.url))
		if h := regionalHost(regions, d.service); h != "" {
			hints = append(hints, d.env+"="+h)
		}
	}
	fmt.Fprintf(&b, ": set %s too", strings.Join(envs, " and "))
	switch {
	case urlIsLoopback(set.url) && len(envs) == 1:
		b.WriteString(" (the sandbox prints it)")
	case urlIsLoopback(set.url):
		b.WriteString(" (the sandbox prints them)")
	case len(hints) > 0:
		fmt.Fprintf(&b, " (for %s: %s)", strings.Join(regions, ", "), strings.Join(hints, ", "))
	}
	b.WriteString("; URLs that are all set explicitly are used as given")
	return fmt.Errorf("%s", b.String())
}

// carried names what goes to a host of service s with this kind of login.
func carried(kind string, s anaplan.Service) string {
	switch {
	case s == anaplan.ServiceAPI:
		return "every request, with its token,"
	case s == anaplan.ServiceOAuth:
		return "the OAuth device login"
	case kind == AuthBasic:
		return "the password"
	case kind == AuthCert:
		return "the certificate login"
	}
	return "the login"
}

// regionalHost is the one base of service s that all of regions share,
// or "" when they have none or several.
func regionalHost(regions []string, s anaplan.Service) string {
	found := ""
	for _, r := range regions {
		h, err := anaplan.RegionHosts(r)
		if err != nil || found != "" && h.URL(s) != found {
			return ""
		}
		found = h.URL(s)
	}
	return found
}

// shownURL is a URL as messages and the banner show it: never with the
// credentials a URL can carry (Validate refuses those anyway).
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
