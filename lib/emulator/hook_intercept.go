package emulator

import "net/http"

// An Interceptor stands in front of a route's handler. route names the
// route as Stats does, "METHOD pattern" with the ServeMux pattern the
// request matched, e.g.
//
//	"GET /2/0/workspaces/{workspaceId}/models/{modelId}/files/{fileId}/chunks/{chunkId}"
//
// and r.PathValue reads the pattern's wildcards. next is the emulator's
// own answer (the token check under /2/0/, then the handler): call it to
// pass the request through, possibly after holding it or before looking
// at what it did; write w yourself to answer instead (a 503 on one chunk,
// a 429 with an HTTP-date Retry-After, a body the emulator never sends).
//
// Interceptors run after fault injection and only for requests that
// match a route, so Anaplan's own 401/404/405 answers to unknown paths
// stay the emulator's. They run concurrently, one call per request.
type Interceptor func(w http.ResponseWriter, r *http.Request, route string, next http.Handler)
