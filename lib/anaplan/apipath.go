package anaplan

import (
	"net/http"
	"strings"
)

// hintAPIPath explains a 404 from an API base that does not end in the
// Integration API's version path (a proxy's mount, a typo, the auth host):
// every call then misses, and a bare "404 Not Found" would not say why.
// It reports whether it explained e.
func (c *Client) hintAPIPath(e *APIError) bool {
	base := c.apiURL.String()
	if e.StatusCode != http.StatusNotFound || strings.HasSuffix(c.apiURL.Path, apiVersionPath) || !strings.HasPrefix(e.URL, base) {
		return false
	}
	e.Hint = "the API URL " + base + " does not end in " + apiVersionPath +
		", the Integration API's version path: check it (e.g. https://api.anaplan.com/2/0, or the host alone, to which /2/0 is added)"
	return true
}
