package anaplan_test

import (
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func TestRegionHosts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		region string
		want   anaplan.Hosts
	}{
		{"US1", anaplan.Hosts{Auth: "https://auth.anaplan.com", API: "https://api.anaplan.com/2/0", OAuth: "https://us1a.app.anaplan.com"}},
		{"ap1", anaplan.Hosts{Auth: "https://auth.anaplan.com", API: "https://api.anaplan.com/2/0", OAuth: "https://us1a.app.anaplan.com"}},
		{" us9 ", anaplan.Hosts{Auth: "https://us9.auth.anaplan.com", API: "https://us9.api.anaplan.com/2/0", OAuth: "https://us9.app.anaplan.com"}},
		{"GB1", anaplan.Hosts{Auth: "https://gb1.auth.anaplan.com", API: "https://gb1.api.anaplan.com/2/0", OAuth: "https://gb1.app.anaplan.com"}},
		{"CA1", anaplan.Hosts{Auth: "https://ca1a.auth.anaplan.com", API: "https://ca1a.api.anaplan.com/2/0", OAuth: "https://ca1a.app.anaplan.com"}},
		{"AU1", anaplan.Hosts{Auth: "https://au1a.app2.anaplan.com", API: "https://api.au1a.app2.anaplan.com/2/0", OAuth: "https://au1a.app2.anaplan.com"}},
	} {
		got, err := anaplan.RegionHosts(tc.region)
		if err != nil || got != tc.want {
			t.Errorf("RegionHosts(%q) = %+v, %v; want %+v", tc.region, got, err, tc.want)
		}
	}
	_, err := anaplan.RegionHosts("XX9")
	if err == nil || !strings.Contains(err.Error(), "US9") || !strings.Contains(err.Error(), `"XX9"`) {
		t.Errorf("unknown region: %v, want an error listing the known ones", err)
	}
	if n := len(anaplan.Regions()); n != 19 {
		t.Errorf("%d regions, want 19", n)
	}
	for _, r := range anaplan.Regions() {
		if _, err := anaplan.RegionHosts(r); err != nil {
			t.Errorf("listed region %s: %v", r, err)
		}
	}
}

// TestRegionsOf: which regions a configured host belongs to, so that a
// login host and an API host of different regions can be told apart.
func TestRegionsOf(t *testing.T) {
	t.Parallel()
	legacy := "AP1 EU1 EU2 EU4 US1 US2 US5 US7"
	for _, tc := range []struct {
		service anaplan.Service
		url     string
		want    string
	}{
		{anaplan.ServiceAuth, "https://auth.anaplan.com", legacy},
		{anaplan.ServiceAPI, "https://API.anaplan.com", legacy},
		{anaplan.ServiceAPI, "https://api.anaplan.com:443/2/0", legacy},
		{anaplan.ServiceOAuth, "https://us1a.app.anaplan.com/", legacy},
		{anaplan.ServiceAPI, "https://us9.api.anaplan.com/2/0", "US9"},
		{anaplan.ServiceAuth, "https://ca1a.auth.anaplan.com", "CA1"},
		{anaplan.ServiceAPI, "https://api.au1a.app2.anaplan.com/2/0", "AU1"},
		{anaplan.ServiceAPI, "https://au1a.api2.anaplan.com/2/0", "AU1"}, // the reference's other AU1 API host
		{anaplan.ServiceAuth, "https://au1a.app2.anaplan.com", "AU1"},
		{anaplan.ServiceAuth, "https://us9.api.anaplan.com", ""}, // an API host is no auth host
		{anaplan.ServiceAPI, "http://127.0.0.1:8080/2/0", ""},
		{anaplan.ServiceAPI, "https://proxy.example.com/2/0", ""},
		{anaplan.ServiceAPI, "::not a url", ""},
	} {
		if got := strings.Join(anaplan.RegionsOf(tc.service, tc.url), " "); got != tc.want {
			t.Errorf("RegionsOf(%s, %q) = %q, want %q", tc.service, tc.url, got, tc.want)
		}
	}
}
