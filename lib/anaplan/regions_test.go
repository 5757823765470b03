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
