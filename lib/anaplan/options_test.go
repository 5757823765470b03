package anaplan_test

import (
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

func TestNewRejectsUnsafeURLs(t *testing.T) {
	t.Parallel()
	creds := anaplan.BasicAuth("a@example.com", "pw")
	for _, opt := range []anaplan.Option{
		anaplan.WithAuthURL("http://auth.anaplan.com"),
		anaplan.WithAPIURL("http://api.anaplan.com/2/0"),
		anaplan.WithAPIURL("not a url"),
		anaplan.WithRefreshMargin(-time.Second),
		anaplan.WithPollInterval(0),
	} {
		if _, err := anaplan.New(creds, opt); err == nil {
			t.Errorf("New accepted a bad option")
		}
	}
	c, err := anaplan.New(creds)
	if err != nil || c.AuthURL() != anaplan.DefaultAuthURL || c.APIURL() != anaplan.DefaultAPIURL {
		t.Errorf("New with defaults = %v, %v", c, err)
	}
}
