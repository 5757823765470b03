package anaplan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// startMisbehaviour is what the server does with the first POST …/tasks.
type startMisbehaviour int

const (
	startsThenDrops      startMisbehaviour = iota // the task starts, the answer is lost mid-way
	startsThenAnswers500                          // the task starts, a gateway answers 500
	answers502                                    // nothing starts, a gateway answers 502
	answers400                                    // nothing starts: a final answer
	startsThenHangs                               // the task starts, the answer waits until the client gives up
)

// startHarness serves the emulator's Model Registry model through a
// handler that misbehaves on the first POST …/tasks, and a client whose
// waits advance the emulator's clock.
type startHarness struct {
	e       *emulator.Emulator
	m       *anaplan.ModelHandle
	logs    *bytes.Buffer
	started chan string // startsThenHangs: the ID of the task that started
}

func newStartHarness(t *testing.T, how startMisbehaviour) *startHarness {
	t.Helper()
	clock := emulator.NewClock(testStart)
	e, err := emulator.New(emulator.Options{Now: clock.Now, TaskDuration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	var once sync.Once
	started := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := false
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/tasks") {
			once.Do(func() { first = true })
		}
		if !first {
			e.Handler().ServeHTTP(w, r)
			return
		}
		switch how {
		case startsThenDrops:
			e.Handler().ServeHTTP(httptest.NewRecorder(), r)
			conn, buf, _ := http.NewResponseController(w).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"meta\":")
			buf.Flush()
			conn.Close()
		case startsThenAnswers500:
			e.Handler().ServeHTTP(httptest.NewRecorder(), r)
			http.Error(w, "upstream timed out", http.StatusInternalServerError)
		case answers502:
			http.Error(w, "<html><title>502 Bad Gateway</title></html>", http.StatusBadGateway)
		case startsThenHangs:
			rec := httptest.NewRecorder()
			e.Handler().ServeHTTP(rec, r)
			var answer struct{ Task struct{ TaskID string } }
			_ = json.Unmarshal(rec.Body.Bytes(), &answer)
			started <- answer.Task.TaskID
			<-r.Context().Done()
		case answers400:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"status":{"code":400,"message":"Bad localeName"}}`))
		}
	}))
	t.Cleanup(srv.Close)
	sleep := func(ctx context.Context, d time.Duration) error {
		e.Settle() // engine runs end before the clock moves on
		clock.Advance(max(d, 500*time.Millisecond))
		return ctx.Err()
	}
	logs := &bytes.Buffer{}
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(srv.URL), anaplan.WithAPIURL(srv.URL+"/2/0"), anaplan.WithClock(clock.Now),
		anaplan.WithSleep(sleep), anaplan.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	return &startHarness{e: e, m: c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID), logs: logs, started: started}
}

// TestTaskStartsOnceWhenItsAnswerIsLost: a POST …/tasks that fails in a
// way that leaves the outcome unknown is never replayed blindly. When the
// task started (answer dropped mid-body, or a gateway's 500 after the
// model took it), the client finds it in the task list and follows it;
// when nothing started (a 502 from a gateway), it asks again; a 400 is
// final. In every case the import runs at most once.
func TestTaskStartsOnceWhenItsAnswerIsLost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		how    startMisbehaviour
		starts int
		log    string
	}{
		{"started, answer dropped", startsThenDrops, 1, "the task started: following it"},
		{"started, gateway 500", startsThenAnswers500, 1, "the task started: following it"},
		{"not started, gateway 502", answers502, 1, "no task started after"},
		{"refused, 400", answers400, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newStartHarness(t, tc.how)
			imp, err := h.m.FindImport(t.Context(), "W1 Workspaces from workspaces.csv")
			if err != nil {
				t.Fatal(err)
			}
			task, err := h.m.RunImport(t.Context(), imp.ID, anaplan.TaskOptions{})
			if got := h.e.TaskStarts(emulator.RegistryModelID, imp.ID); got != tc.starts {
				t.Errorf("the import was started %d times, want %d", got, tc.starts)
			}
			if tc.starts == 0 {
				if err == nil || !strings.Contains(err.Error(), "400 Bad Request") {
					t.Errorf("RunImport after a 400 = %v, want the 400", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("RunImport: %v\nlogs:\n%s", err, h.logs)
			}
			if _, err := task.Wait(t.Context(), nil); err != nil {
				// The data source was never uploaded: the import fails, but it ran.
				var te *anaplan.TaskError
				if !errors.As(err, &te) {
					t.Fatalf("Wait: %v", err)
				}
			}
			if !strings.Contains(h.logs.String(), tc.log) || !strings.Contains(h.logs.String(), "level=WARN") {
				t.Errorf("the logs do not say %q at warn level:\n%s", tc.log, h.logs)
			}
		})
	}
}

// TestGivingUpDuringATaskStartCancelsTheTask: a caller whose context ends
// while the task start is on its way (the server started the task, the
// answer has not arrived) gets its context's error, and the task is
// cancelled on the server, as Wait cancels a task its caller stops
// waiting for: an interrupted script does not leave an import holding the
// model.
func TestGivingUpDuringATaskStartCancelsTheTask(t *testing.T) {
	t.Parallel()
	h := newStartHarness(t, startsThenHangs)
	imp, err := h.m.FindImport(t.Context(), "W1 Workspaces from workspaces.csv")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-h.started
		cancel()
	}()
	_, err = h.m.RunImport(ctx, imp.ID, anaplan.TaskOptions{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "asked Anaplan to cancel it") {
		t.Fatalf("RunImport = %v, want context.Canceled and the task cancelled", err)
	}
	tasks, err := h.m.Task(anaplan.KindImport, imp.ID, taskIDIn(err.Error())).Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tasks.State != anaplan.TaskCancelled && tasks.State != anaplan.TaskCancelling {
		t.Errorf("the task is %s after its caller gave up", tasks.State)
	}
	if n := h.e.TaskStarts(emulator.RegistryModelID, imp.ID); n != 1 {
		t.Errorf("%d task starts, want 1", n)
	}
}

// taskIDIn finds the 32-hex task ID in an error message.
func taskIDIn(s string) string {
	for _, f := range strings.Fields(s) {
		if len(f) == 32 && strings.Trim(f, "0123456789ABCDEF") == "" {
			return f
		}
	}
	return ""
}
