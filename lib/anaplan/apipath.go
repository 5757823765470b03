package anaplan

import (
	"net/http"
	"strings"
)

// hintAPIPath explains a 404 from an API base that does not end in the
// Integration API's version path (a proxy's mount, a typo, the auth host):
// every call then misses, and a bare "404 Not Found" would not say why.
func (c *Client) hintAPIPath(e *APIError) *APIError {
	base := c.apiURL.String()
	if e.StatusCode != http.StatusNotFound || strings.HasSuffix(c.apiURL.Path, apiVersionPath) || !strings.HasPrefix(e.URL, base) {
		return e
	}
	hint := "the API URL " + base + " does not end in " + apiVersionPath +
		", the Integration API's version path: check it (e.g. https://api.anaplan.com/2/0, or the host alone, to which /2/0 is added)"
	if e.Message != "" {
		hint += "; the server said: " + e.Message
	}
	e.Message = hint
	return e
}
