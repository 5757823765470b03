package anaplan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests reach the request path directly: no exported method sends a
// POST to the API yet, and "never blindly replay a POST" must hold before
// one does.

// statusServer authenticates anyone and answers /2/0/thing with the given
// statuses in turn (then 200 {}), recording the bodies it received.
type statusServer struct {
	mu       sync.Mutex
	statuses []int
	bodies   []string
}

func (s *statusServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token/authenticate" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"status":"SUCCESS","tokenInfo":{"tokenId":"id","tokenValue":"value-0123456789abcdef","expiresAt":%d}}`,
			time.Now().Add(time.Hour).UnixMilli())
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(body))
	code := http.StatusOK
	if len(s.statuses) > 0 {
		code, s.statuses = s.statuses[0], s.statuses[1:]
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, `{}`)
}

func (s *statusServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func newStatusClient(t *testing.T, statuses ...int) (*Client, *statusServer) {
	t.Helper()
	s := &statusServer{statuses: statuses}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := New(BasicAuth("u@example.com", "pw-123456"),
		WithAuthURL(srv.URL), WithAPIURL(srv.URL+"/2/0"),
		WithSleep(func(ctx context.Context, d time.Duration) error { return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// onceBody is a body that can be read only once, like a stream from a pipe.
func onceBody(text string) *requestBody {
	var opened bool
	return &requestBody{contentType: "text/plain", length: -1, open: func() (io.ReadCloser, error) {
		if opened {
			return nil, errors.New("stream already consumed")
		}
		opened = true
		return io.NopCloser(strings.NewReader(text)), nil
	}}
}

func TestRetrySafety(t *testing.T) {
	t.Parallel()
	payload, err := jsonBody(map[string]string{"localeName": "en_US"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		method    string
		body      *requestBody
		statuses  []int
		wantCalls int
		wantErr   error
	}{
		{"GET 503 is retried", http.MethodGet, nil, []int{503}, 2, nil},
		{"PUT 502 is retried with its body", http.MethodPut, payload, []int{502}, 2, nil},
		{"POST 500 is not retried", http.MethodPost, payload, []int{500}, 1, ErrServer},
		{"POST 503 is not retried", http.MethodPost, payload, []int{503}, 1, ErrServer},
		{"POST 504 is not retried", http.MethodPost, payload, []int{504}, 1, ErrServer},
		{"POST 429 is retried: the server did not act", http.MethodPost, payload, []int{429}, 2, nil},
		{"POST 409 is retried: model busy", http.MethodPost, payload, []int{409}, 2, nil},
		{"POST 401 is replayed once after re-authentication", http.MethodPost, payload, []int{401}, 2, nil},
		{"one-shot body is not retried on 429", http.MethodPut, onceBody("chunk"), []int{429}, 1, ErrRateLimited},
		{"one-shot body is not replayed on 401", http.MethodPut, onceBody("chunk"), []int{401}, 1, ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newStatusClient(t, tt.statuses...)
			err := c.do(t.Context(), request{method: tt.method, path: apiPath("thing"), body: tt.body}, nil)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("do = %v, want %v", err, tt.wantErr)
			}
			got := s.received()
			if len(got) != tt.wantCalls {
				t.Fatalf("server saw %d requests, want %d", len(got), tt.wantCalls)
			}
			for i, b := range got {
				if b != got[0] {
					t.Errorf("attempt %d sent body %q, first sent %q", i+1, b, got[0])
				}
			}
		})
	}
}

func TestAPIPathEscapesSegments(t *testing.T) {
	t.Parallel()
	if got, want := apiPath("workspaces", "a/b?c#d", "models"), "/workspaces/a%2Fb%3Fc%23d/models"; got != want {
		t.Errorf("apiPath = %q, want %q", got, want)
	}
}

func TestReadAllSizedReadsEverythingWhateverTheLengthSaid(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("0123456789"), 1000)
	for _, size := range []int64{-1, 0, 10, int64(len(data)), int64(len(data)) * 2, maxPresize + 1} {
		got, err := readAllSized(bytes.NewReader(data), size)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("size %d: read %d bytes, %v; want all %d", size, len(got), err, len(data))
		}
	}
	if got, _ := readAllSized(bytes.NewReader(data), int64(len(data))); cap(got) != len(data)+bytes.MinRead {
		t.Errorf("with the exact length, cap = %d, want one allocation of %d", cap(got), len(data)+bytes.MinRead)
	}
}

func TestBufferedBodyIsNotCopiedAgain(t *testing.T) {
	t.Parallel()
	data := []byte(`{"models":[]}`)
	resp := &http.Response{Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data))}
	if err := bufferBody(resp); err != nil {
		t.Fatal(err)
	}
	held := resp.Body.(*bufferedBody).data
	got, err := readBody(resp)
	if err != nil || string(got) != string(data) || &got[0] != &held[0] {
		t.Errorf("readBody = %q, %v; want the buffered bytes themselves", got, err)
	}
}
