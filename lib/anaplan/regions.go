package anaplan

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Hosts are the three bases of one Anaplan region: the auth service, the
// Integration API (with its /2/0 version path) and the OAuth service.
type Hosts struct {
	Auth  string
	API   string
	OAuth string
}

// legacyRegions share the original hosts.
var legacyRegions = []string{"US1", "US2", "US5", "US7", "EU1", "EU2", "EU4", "AP1"}

// ownHostRegions have hosts named after the region.
var ownHostRegions = []string{"US9", "EU3", "EU5", "GB1", "SG1", "AE1", "IN1", "ID1", "ME1"}

// RegionHosts returns the hosts of an Anaplan region (case-insensitive,
// e.g. "US9"), from the region table of the project's API reference.
// Two entries there are uncertain: CA1's API host is marked "verify", and
// for AU1 two API hosts are documented; RegionHosts gives
// https://api.au1a.app2.anaplan.com/2/0, the one clients use in practice.
// Explicit URLs (WithAuthURL, WithAPIURL, DeviceOptions.OAuthURL) are for
// everything else.
func RegionHosts(region string) (Hosts, error) {
	r := strings.ToUpper(strings.TrimSpace(region))
	switch {
	case slices.Contains(legacyRegions, r):
		return Hosts{Auth: DefaultAuthURL, API: DefaultAPIURL, OAuth: DefaultOAuthURL}, nil
	case slices.Contains(ownHostRegions, r):
		h := strings.ToLower(r)
		return Hosts{
			Auth:  "https://" + h + ".auth.anaplan.com",
			API:   "https://" + h + ".api.anaplan.com/2/0",
			OAuth: "https://" + h + ".app.anaplan.com",
		}, nil
	case r == "CA1":
		return Hosts{Auth: "https://ca1a.auth.anaplan.com", API: "https://ca1a.api.anaplan.com/2/0", OAuth: "https://ca1a.app.anaplan.com"}, nil
	case r == "AU1":
		return Hosts{Auth: "https://au1a.app2.anaplan.com", API: "https://api.au1a.app2.anaplan.com/2/0", OAuth: "https://au1a.app2.anaplan.com"}, nil
	}
	return Hosts{}, fmt.Errorf("anaplan: unknown region %q: use one of %s, or set the URLs explicitly", oneLine(region, 20), strings.Join(Regions(), ", "))
}

// Service names one of the three hosts of a region.
type Service int

// The services of a region, as in Hosts.
const (
	ServiceAuth Service = iota
	ServiceAPI
	ServiceOAuth
)

// String is the service's name in messages: "auth", "API" or "OAuth".
func (s Service) String() string {
	switch s {
	case ServiceAuth:
		return "auth"
	case ServiceAPI:
		return "API"
	case ServiceOAuth:
		return "OAuth"
	}
	return fmt.Sprintf("Service(%d)", int(s))
}

// URL returns the base of service s among h ("" for an unknown service).
func (h Hosts) URL(s Service) string {
	switch s {
	case ServiceAuth:
		return h.Auth
	case ServiceAPI:
		return h.API
	case ServiceOAuth:
		return h.OAuth
	}
	return ""
}

// otherAPIHosts are API hosts the reference documents besides the one
// RegionHosts gives: AU1's second one.
var otherAPIHosts = map[string]string{"AU1": "au1a.api2.anaplan.com"}

// RegionsOf lists, sorted, the regions whose service s lives on the host of
// rawURL (compared case-insensitively; scheme, port and path ignored),
// AU1's second documented API host included. It is empty for a host no
// region uses (a proxy, a sandbox on this machine) and for a URL that does
// not parse: callers tell a login host and an API host that belong to
// different regions apart this way.
func RegionsOf(s Service, rawURL string) []string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Hostname() == "" {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	var regions []string
	for _, r := range Regions() {
		h, _ := RegionHosts(r)
		ru, err := url.Parse(h.URL(s))
		if err == nil && strings.EqualFold(ru.Hostname(), host) || s == ServiceAPI && otherAPIHosts[r] == host {
			regions = append(regions, r)
		}
	}
	return regions
}

// Regions lists the regions RegionHosts knows, sorted.
func Regions() []string {
	all := slices.Concat(legacyRegions, ownHostRegions, []string{"CA1", "AU1"})
	slices.Sort(all)
	return all
}

// apiVersionPath is the Integration API's version path.
const apiVersionPath = "/2/0"

// withAPIVersion completes an API base given without its version path, as
// other clients and Anaplan's own examples spell it ("https://api.anaplan.com"):
// the client appends /2/0 to a base with no path. A base with another
// path is kept (a proxy may mount the API anywhere).
func withAPIVersion(u *url.URL) *url.URL {
	if u.Path == "" {
		c := *u
		c.Path, c.RawPath = apiVersionPath, ""
		return &c
	}
	return u
}
