package anaplan_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// BenchmarkUpload measures Upload over loopback against a server that
// reads and discards chunks (Anaplan's own gunzip costs Anaplan's CPU, not
// ours), for chunk sizes × gzip × parallel PUTs, on a 256 MB CSV-like
// stream that is never held in memory. "raw-put" is the baseline: the same
// bytes in one plain PUT to the same server. Metrics: MB/s (of CSV), peak
// heap growth, and wire bytes as % of the CSV.
//
//	go test -run '^$' -bench 'BenchmarkUpload$' -benchtime 1x ./lib/anaplan/
//
// BenchmarkUploadWAN repeats a few settings behind a shared 20 MB/s link
// with 100 ms per request (round trip and server work), where the network,
// not the CPU, is the bottleneck, as it is against Anaplan.
//
// Figures (2-core AMD EPYC VM shared with other jobs, load average 6-9, so
// gzip rows are CPU-starved and noisy: best of 3 runs, MB/s of CSV; peak
// heap growth; the CSV pattern gzips to 31% at BestSpeed):
//
//	loopback, 256 MB      gzip=false                gzip=true
//	chunk  parallel    MB/s   heap MB           MB/s   heap MB
//	raw-put (baseline) 2290       3
//	1 MB      1         973       6             79      11
//	1 MB      2        1929       8             81      14
//	1 MB      4        1912      12             76      23
//	8 MB      1        1084      17             82      28
//	8 MB      2         853      25            142      45
//	8 MB      4         936      41             69      77
//	25 MB     1         936      51             84      69
//	25 MB     2         706      76             71     110
//	25 MB     4        1029     126             55     195
//	50 MB     1         829     100             71     135
//	50 MB     2         974     150             40     216
//	50 MB     4         898     251             92     383
//	8 MB, gzip level 6 (flate default): 23 MB/s (1 PUT), 9 MB/s (4), 29% wire
//
//	20 MB/s link + 100 ms/request, 64 MB, 8 MB chunks (two runs)
//	raw-put 19.6-20.5 MB/s
//	parallel   gzip=false      gzip=true
//	1          17.1-17.3       25.3-26.6
//	2          19.6            31.8-35.9
//	4          20.3            28.7-39.5
func BenchmarkUpload(b *testing.B) {
	const size = 256 * mb
	srv := newBenchServer(b, 0, 0)
	b.Run("raw-put", func(b *testing.B) { srv.benchRawPut(b, size) })
	for _, chunk := range []int64{1, 8, 25, 50} {
		for _, gz := range []bool{false, true} {
			for _, parallel := range []int{1, 2, 4} {
				name := fmt.Sprintf("chunk=%dMB/gzip=%v/parallel=%d", chunk, gz, parallel)
				opts := anaplan.UploadOptions{ChunkSize: chunk * mb, NoGzip: !gz, Parallel: parallel}
				b.Run(name, func(b *testing.B) { srv.benchUpload(b, size, opts) })
			}
		}
	}
	// The compression level: BestSpeed (the default) against flate's default.
	for _, parallel := range []int{1, 4} {
		opts := anaplan.UploadOptions{ChunkSize: 8 * mb, Parallel: parallel}.WithGzipLevelForTest(gzip.DefaultCompression)
		b.Run(fmt.Sprintf("chunk=8MB/gzip-level=6/parallel=%d", parallel), func(b *testing.B) { srv.benchUpload(b, size, opts) })
	}
}

func BenchmarkUploadWAN(b *testing.B) {
	const size = 64 * mb
	srv := newBenchServer(b, 20*mb, 100*time.Millisecond)
	b.Run("raw-put", func(b *testing.B) { srv.benchRawPut(b, size) })
	for _, gz := range []bool{false, true} {
		for _, parallel := range []int{1, 2, 4} {
			opts := anaplan.UploadOptions{ChunkSize: 8 * mb, NoGzip: !gz, Parallel: parallel}
			b.Run(fmt.Sprintf("chunk=8MB/gzip=%v/parallel=%d", gz, parallel), func(b *testing.B) { srv.benchUpload(b, size, opts) })
		}
	}
}

// benchServer is the smallest server Upload can talk to: login, set chunk
// count, chunk PUTs (read and discarded, optionally through a shared
// bandwidth limit), complete.
type benchServer struct {
	srv    *httptest.Server
	client *anaplan.Client
	chunks atomic.Int64
	wire   atomic.Int64
	link   *link
}

func newBenchServer(b *testing.B, bytesPerSecond int64, latency time.Duration) *benchServer {
	s := &benchServer{}
	if bytesPerSecond > 0 {
		s.link = &link{rate: bytesPerSecond}
	}
	file := func(w http.ResponseWriter, chunkCount int64) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"meta":{},"status":{"code":200,"message":"Success"},"file":{"id":"113000000000","name":"bench.csv","chunkCount":%d,"headerRow":1,"firstDataRow":2}}`, chunkCount)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/token/authenticate":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"status":"SUCCESS","tokenInfo":{"tokenId":"t","tokenValue":"bench-token-value","expiresAt":%d,"refreshTokenId":"r"}}`, time.Now().Add(time.Hour).UnixMilli())
		case r.Method == http.MethodPut:
			var body io.Reader = r.Body
			if s.link != nil {
				body = s.link.reader(r.Body)
			}
			n, _ := io.Copy(io.Discard, body)
			s.wire.Add(n)
			time.Sleep(latency)
			if strings.Contains(r.URL.Path, "/chunks/") {
				s.chunks.Add(1)
			}
			w.WriteHeader(http.StatusNoContent)
		case strings.HasSuffix(r.URL.Path, "/complete"):
			file(w, s.chunks.Load())
		case r.Method == http.MethodPost:
			s.chunks.Store(0)
			file(w, -1)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(s.srv.Close)
	c, err := anaplan.New(anaplan.BasicAuth("bench@example.com", "bench-password"),
		anaplan.WithAuthURL(s.srv.URL), anaplan.WithAPIURL(s.srv.URL+"/2/0"))
	if err != nil {
		b.Fatal(err)
	}
	s.client = c
	return s
}

func (s *benchServer) benchUpload(b *testing.B, size int64, opts anaplan.UploadOptions) {
	m := s.client.Model(bulkWS, bulkModel)
	s.measure(b, size, func() error {
		_, err := m.Upload(b.Context(), "113000000000", &generator{pattern: csvPattern(), size: size}, opts)
		return err
	})
}

// benchRawPut sends the same bytes in one streaming PUT: the loopback's
// ceiling for this server.
func (s *benchServer) benchRawPut(b *testing.B, size int64) {
	s.measure(b, size, func() error {
		req, err := http.NewRequestWithContext(b.Context(), http.MethodPut, s.srv.URL+"/2/0/raw", &generator{pattern: csvPattern(), size: size})
		if err != nil {
			return err
		}
		req.ContentLength = size
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
}

// measure runs upload b.N times and reports throughput, peak heap growth
// and the bytes on the wire.
func (s *benchServer) measure(b *testing.B, size int64, upload func() error) {
	b.SetBytes(size)
	runtime.GC()
	base := heapBytes()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if h := heapBytes(); h > peak.Load() {
					peak.Store(h)
				}
			}
		}
	})
	s.wire.Store(0)
	b.ResetTimer()
	for b.Loop() {
		if err := upload(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	growth := max(int64(peak.Load())-int64(base), 0)
	b.ReportMetric(float64(growth)/mb, "peak-heap-MB")
	b.ReportMetric(100*float64(s.wire.Load())/float64(size*int64(b.N)), "wire-%")
}

// heapBytes is the heap's live and not-yet-swept objects, read without
// stopping the world.
func heapBytes() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// link is a bandwidth limit shared by every request that reads through it.
type link struct {
	rate int64 // bytes per second
	mu   sync.Mutex
	next time.Time
}

func (l *link) reader(r io.Reader) io.Reader { return &linkReader{l: l, r: r} }

type linkReader struct {
	l *link
	r io.Reader
}

func (lr *linkReader) Read(p []byte) (int, error) {
	if len(p) > 256<<10 {
		p = p[:256<<10]
	}
	n, err := lr.r.Read(p)
	if n > 0 {
		lr.l.mu.Lock()
		// An idle link banks at most 20 ms of credit, so sleeps that
		// overshoot (timers under load) are made up, not lost.
		if floor := time.Now().Add(-20 * time.Millisecond); lr.l.next.Before(floor) {
			lr.l.next = floor
		}
		lr.l.next = lr.l.next.Add(time.Duration(int64(n) * int64(time.Second) / lr.l.rate))
		wake := lr.l.next
		lr.l.mu.Unlock()
		time.Sleep(time.Until(wake))
	}
	return n, err
}
