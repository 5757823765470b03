package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// anaplanTimeLayout is how Anaplan writes isoCreationDate, lastModified and
// lastLoginDate: "2017-11-13T21:20:10.000+0000".
const anaplanTimeLayout = "2006-01-02T15:04:05.000-0700"

func formatAnaplanTime(t time.Time) string {
	return t.UTC().Format(anaplanTimeLayout)
}

// statusJSON is the Integration API's "status" object.
type statusJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// metaJSON is the Integration API's "meta" object.
type metaJSON struct {
	Schema string      `json:"schema"`
	Paging *pagingJSON `json:"paging,omitempty"`
}

// envelope is embedded in every enveloped Integration API response:
// {"meta":{...},"status":{"code":200,"message":"Success"}, "<key>": ...}.
type envelope struct {
	Meta   metaJSON   `json:"meta"`
	Status statusJSON `json:"status"`
}

// success returns the envelope for a 200 response about objects of the
// given type (meta.schema ends in "/objects/<objectType>").
func success(r *http.Request, objectType string, paging *pagingJSON) envelope {
	return envelope{
		Meta:   metaJSON{Schema: baseURL(r) + "/2/0/objects/" + objectType, Paging: paging},
		Status: statusJSON{Code: http.StatusOK, Message: "Success"},
	}
}

// errorJSON is the Integration API's error body (anaplan-api.md §3):
// {"status":{"code":404,"message":"Not Found"},"path":"/2/0/...","timestamp":"..."}.
type errorJSON struct {
	Status    statusJSON `json:"status"`
	Path      string     `json:"path"`
	Timestamp string     `json:"timestamp"`
}

// writeAPIError writes the error envelope. An empty message means the
// status text ("Not Found"), which is what Anaplan sends for 404 and 405.
func (e *Emulator) writeAPIError(w http.ResponseWriter, r *http.Request, code int, message string) {
	if message == "" {
		message = http.StatusText(code)
	}
	writeJSON(w, code, errorJSON{
		Status:    statusJSON{Code: code, Message: message},
		Path:      r.URL.Path,
		Timestamp: e.now().UTC().Format(time.RFC3339Nano),
	})
}

// writeJSON writes v as the JSON body with the given status. HTML
// escaping is off: Anaplan writes "&" in names and URLs as is, not "\u0026".
func writeJSON(w http.ResponseWriter, code int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a programming error (an unsupported type) gets here.
		http.Error(w, `{"status":{"code":500,"message":"Internal Server Error"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// baseURL is the scheme and host the request came in on, so URLs in
// responses (paging links, modelUrl, validationUrl) point back at this
// emulator whatever address it listens on.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// queryFlag reports whether a boolean query parameter such as
// tenantDetails or modelDetails is "true" (case-insensitive); anything else
// is false, as Anaplan ignores the flag unless it is true.
func queryFlag(r *http.Request, name string) bool {
	return strings.EqualFold(r.URL.Query().Get(name), "true")
}
