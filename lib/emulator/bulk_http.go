package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file holds what every bulk handler shares: resolving the model,
// the model-scoped envelope, request bodies, sorting and error answers.

// bulkScope resolves the model of a bulk route for the caller: 404 when
// the model is unknown, in another workspace or NO ACCESS (scopedModel).
// A model without an engine has no files, imports, exports or processes:
// with needEngine it answers 404, otherwise the handler lists nothing.
func (e *Emulator) bulkScope(w http.ResponseWriter, r *http.Request, needEngine bool) (modelRow, *bulkModel, bool) {
	m, ok := e.scopedModel(w, r)
	if !ok {
		return modelRow{}, nil, false
	}
	bm := e.bulk.model(m.ID)
	if bm == nil && needEngine {
		e.writeAPIError(w, r, http.StatusNotFound, "")
		return modelRow{}, nil, false
	}
	return m, bm, true
}

// modelSuccess is the envelope of a model-scoped response: meta.schema is
// …/2/0/models/{modelId}/objects/<type>, as in Anaplan's examples.
func modelSuccess(r *http.Request, modelID, objectType string, paging *pagingJSON) envelope {
	env := success(r, objectType, paging)
	env.Meta.Schema = baseURL(r) + "/2/0/models/" + modelID + "/objects/" + objectType
	return env
}

// maxJSONBody caps JSON request bodies: task and file metadata bodies are
// a few hundred bytes.
const maxJSONBody = 1 << 20

// decodeBody decodes an optional JSON object body into v and reports
// whether there was one. Unknown fields are ignored, as clients send
// different supersets (anaplan-api.md §5.2).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) (bool, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return false, uploadErrorf("request body: %v", err)
	}
	if strings.TrimSpace(string(data)) == "" {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, uploadErrorf("request body is not the expected JSON object: %v", err)
	}
	return true, nil
}

// writeBulkError answers 400 with the message for a client mistake, and
// 500 (logged) for anything else.
func (e *Emulator) writeBulkError(w http.ResponseWriter, r *http.Request, err error) {
	var ue *errUpload
	if errors.As(err, &ue) {
		e.writeAPIError(w, r, http.StatusBadRequest, ue.msg)
		return
	}
	e.log.Error("emulator: bulk request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	e.writeAPIError(w, r, http.StatusInternalServerError, "")
}

// objectSort reads sort=+field|-field[,…] on model-object lists, where
// Anaplan does not validate the field: name and id reorder, anything else
// keeps the default order (OAS "Field name not validated").
func objectSort(r *http.Request) []sortKey {
	var keys []sortKey
	for col := range strings.SplitSeq(r.URL.Query().Get("sort"), ",") {
		desc := strings.HasPrefix(col, "-")
		col = strings.TrimLeft(col, "+- ")
		if col == "name" || col == "id" {
			keys = append(keys, sortKey{field: col, desc: desc})
		}
	}
	return keys
}

// pageObjects sorts (by objectSort) and pages a model-object list;
// idName gives an item's id and name.
func pageObjects[T any](r *http.Request, items []T, p pageRequest, idName func(T) (string, string)) ([]T, *pagingJSON) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sortBy(idx, objectSort(r), func(a, b int, field string) int {
		ia, na := idName(items[a])
		ib, nb := idName(items[b])
		if field == "id" {
			return strings.Compare(ia, ib)
		}
		return strings.Compare(na, nb)
	})
	lo, hi := p.window(len(items))
	page := make([]T, 0, hi-lo)
	for _, i := range idx[lo:hi] {
		page = append(page, items[i])
	}
	return page, p.paging(r, len(page), len(items))
}

// chunkJSON is an entry of a chunk list: {"id":"0","name":"Chunk 0"}.
type chunkJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// writeChunkList answers a chunk list of n chunks, paged; the key is
// omitted when there are none (anaplan-api.md §5.3).
func (e *Emulator) writeChunkList(w http.ResponseWriter, r *http.Request, modelID string, n int) {
	page, err := parsePage(r)
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	lo, hi := page.window(n)
	chunks := make([]chunkJSON, 0, hi-lo)
	for i := lo; i < hi; i++ {
		chunks = append(chunks, chunkJSON{ID: strconv.Itoa(i), Name: "Chunk " + strconv.Itoa(i)})
	}
	writeJSON(w, http.StatusOK, struct {
		envelope
		Chunks []chunkJSON `json:"chunks,omitempty"`
	}{modelSuccess(r, modelID, "chunk", page.paging(r, len(chunks), n)), chunks})
}

// parseChunkID reads a chunk ID: a decimal number from 0.
func parseChunkID(s string) (int, bool) {
	if s == "" || len(s) > 9 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// isGzip reports whether a chunk body is gzip-compressed: Content-Type
// application/x-gzip (Anaplan's, anaplan-api.md §3), application/gzip, or
// Content-Encoding gzip.
func isGzip(r *http.Request) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(r.Header.Get("Content-Type"), ";", 2)[0]))
	return ct == "application/x-gzip" || ct == "application/gzip" ||
		slices.Contains(r.Header.Values("Content-Encoding"), "gzip")
}

// writeBytesHeader starts a raw download of size bytes.
func writeBytesHeader(w http.ResponseWriter, contentType string, size int64) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
}

// writeEnvelopeWith answers 200 with env and, when present, v under key:
// {"meta":…,"status":…,"<key>":v}. It serves lists whose key varies.
func writeEnvelopeWith(w http.ResponseWriter, env envelope, key string, v any, present bool) {
	if !present {
		writeJSON(w, http.StatusOK, env)
		return
	}
	writeJSON(w, http.StatusOK, keyed{env, key, v})
}

// keyed marshals as its envelope with one more member.
type keyed struct {
	env envelope
	key string
	v   any
}

func (k keyed) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(k.env); err != nil {
		return nil, err
	}
	head := bytes.TrimSuffix(bytes.TrimSpace(buf.Bytes()), []byte("}"))
	out := append(bytes.Clone(head), ',')
	buf.Reset()
	if err := enc.Encode(k.key); err != nil {
		return nil, err
	}
	out = append(out, bytes.TrimSpace(buf.Bytes())...)
	out = append(out, ':')
	buf.Reset()
	if err := enc.Encode(k.v); err != nil {
		return nil, err
	}
	out = append(out, bytes.TrimSpace(buf.Bytes())...)
	return append(out, '}'), nil
}
