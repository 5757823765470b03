package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// uploadFileID is the Model Registry's workspaces.csv data source: any
// import data file would do, the upload never runs the import.
const uploadFileID = "113000000000"

// uploadConfig is one way of uploading: a chunk size and parallelism of
// the client's Upload (0: its defaults), gzip on or off.
type uploadConfig struct {
	Chunk    int64
	Parallel int
	Gzip     bool
}

// effective resolves the client's defaults, as Upload does on this machine.
func (c uploadConfig) effective() (chunk int64, parallel int) {
	chunk, parallel = c.Chunk, c.Parallel
	if chunk == 0 {
		chunk = anaplan.DefaultChunkSize
	}
	if parallel == 0 {
		parallel = min(max(runtime.GOMAXPROCS(0), 2), anaplan.DefaultUploadParallel)
	}
	return chunk, parallel
}

func (c uploadConfig) name() string {
	chunk, parallel := c.effective()
	gz := "gzip off"
	if c.Gzip {
		gz = "gzip on"
	}
	s := fmt.Sprintf("chunk %d MiB, parallel %d, %s", chunk>>20, parallel, gz)
	if c.Chunk == 0 && c.Parallel == 0 {
		s = "defaults: " + s
	}
	return s
}

// rssLimit is the memory target for a configuration, in MB:
// 1.5 × chunk size × parallelism + 30 MB.
func (c uploadConfig) rssLimit() float64 {
	chunk, parallel := c.effective()
	return 1.5*float64(chunk)*float64(parallel)/1e6 + 30
}

// configs are the uploads the plan measures: the client's defaults first,
// then every chunk size × parallelism, each with gzip off and on.
func (p plan) uploadConfigs() []uploadConfig {
	out := []uploadConfig{{}, {Gzip: true}}
	for _, chunk := range p.ChunkSizes {
		for _, par := range p.Parallel {
			out = append(out, uploadConfig{Chunk: chunk, Parallel: par}, uploadConfig{Chunk: chunk, Parallel: par, Gzip: true})
		}
	}
	return out
}

const subjectCurl = "curl PUT"

// uploadScenario is scenario 2.
func (b *bench) uploadScenario(ctx context.Context) (section, []verdict, error) {
	sec, verdicts := placeholder("upload")
	p := b.plan
	sec.About = fmt.Sprintf(`A generated %d MiB CSV (models.csv rows; gzip shrinks it about as much as real exports) is uploaded
to the Model Registry's workspaces.csv data source (file %s) on scripts/sandbox, in its own process, with its
uploaded files on tmpfs (TMPDIR=/dev/shm when present) so that the shared machine's disk does not decide the result:

- **curl PUT** (the baseline): `+"`curl -T file`"+` to `+"`PUT …/files/%s`"+`, the single-request upload
  (uncompressed, stored by the emulator in 50 MB chunks): the same bytes to the same server, with nothing in between.
- **Upload**: lib/anaplan's `+"`ModelHandle.UploadFile`"+` in a fresh child process (logged in first, untimed):
  chunk count, chunk PUTs (gzip-compressed unless off), completion.

Time is the transfer alone (curl's time_total; the UploadFile call), throughput is the file's size over it
(uncompressed MB per second, also with gzip). Peak RSS is the uploader process's (wait4). %d repeats, curl
interleaved with the uploads.`, p.UploadSize>>20, uploadFileID, uploadFileID, p.UploadRepeats)

	if _, err := osexec.LookPath("curl"); err != nil {
		sec.Skipped = "curl is not installed (sudo apt-get install curl)"
		return sec, verdicts, nil
	}
	data := filepath.Join(b.tmp, "upload.csv")
	b.progress("writing a %d MiB CSV ...", p.UploadSize>>20)
	if err := writeUploadCSV(data, p.UploadSize); err != nil {
		return sec, verdicts, err
	}
	defer os.Remove(data)
	var env []string
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		shm, err := os.MkdirTemp("/dev/shm", "anaplan-bench-")
		if err != nil {
			return sec, verdicts, err
		}
		defer os.RemoveAll(shm)
		env = append(env, "TMPDIR="+shm)
	}
	sb, err := startSandbox(ctx, b.binary("sandbox"), env)
	if err != nil {
		return sec, verdicts, err
	}
	defer sb.stop()
	headers, err := b.curlHeaders(ctx, sb, "curl-headers", "Content-Type: application/octet-stream", "Expect:")
	if err != nil {
		return sec, verdicts, err
	}

	configs := p.uploadConfigs()
	for r := 0; r <= p.UploadRepeats; r++ { // r == 0 warms up (page cache, the emulator's first chunks)
		secs, err := curlPut(ctx, sb, headers, data, p.UploadSize)
		if err != nil {
			return sec, verdicts, err
		}
		if r > 0 {
			b.res.add(sample{Scenario: "upload", Case: "curl", Subject: subjectCurl, Metric: "time", Unit: "s", Repeat: r, Value: secs})
			b.res.add(sample{Scenario: "upload", Case: "curl", Subject: subjectCurl, Metric: "MB/s", Unit: "MB/s", Repeat: r, Value: float64(p.UploadSize) / 1e6 / secs})
			b.progress("curl PUT #%d: %.2fs, %.0f MB/s", r, secs, float64(p.UploadSize)/1e6/secs)
		}
		for _, c := range configs {
			if r == 0 && c != configs[0] {
				continue
			}
			secs, wire, rss, err := b.uploadChild(ctx, sb, data, c)
			if err != nil {
				return sec, verdicts, err
			}
			if r == 0 {
				continue
			}
			b.res.add(sample{Scenario: "upload", Case: c.name(), Subject: "Upload", Metric: "time", Unit: "s", Repeat: r, Value: secs})
			b.res.add(sample{Scenario: "upload", Case: c.name(), Subject: "Upload", Metric: "MB/s", Unit: "MB/s", Repeat: r, Value: float64(p.UploadSize) / 1e6 / secs})
			b.res.add(sample{Scenario: "upload", Case: c.name(), Subject: "Upload", Metric: "rss", Unit: "MB", Repeat: r, Value: mb(rss)})
			b.res.add(sample{Scenario: "upload", Case: c.name(), Subject: "Upload", Metric: "wire", Unit: "MB", Repeat: r, Value: wire / 1e6})
			b.progress("%s #%d: %.2fs, %.0f MB/s, %.0f MB", c.name(), r, secs, float64(p.UploadSize)/1e6/secs, mb(rss))
		}
	}

	base := b.res.summary("upload", "curl", subjectCurl, "MB/s")
	rows := [][]string{{subjectCurl + " (baseline)", "–", b.res.summary("upload", "curl", subjectCurl, "time").spread("s"),
		base.spread("MB/s"), "1×", sig(float64(p.UploadSize)/1e6) + " MB", "–", "–"}}
	worstRSS, worstConfig := 0.0, ""
	bestOff, bestOffName := 0.0, ""
	var defaultsOff float64
	for _, c := range configs {
		rate := b.res.summary("upload", c.name(), "Upload", "MB/s")
		rss := b.res.summary("upload", c.name(), "Upload", "rss")
		rows = append(rows, []string{"Upload", c.name(), b.res.summary("upload", c.name(), "Upload", "time").spread("s"),
			rate.spread("MB/s"), ratio(rate.Median, base.Median), sig(b.res.summary("upload", c.name(), "Upload", "wire").Median) + " MB",
			rss.spread("MB"), sig(c.rssLimit()) + " MB"})
		if r := rss.Max / c.rssLimit(); r > worstRSS {
			worstRSS, worstConfig = r, c.name()
		}
		if !c.Gzip {
			if r := rate.Median / base.Median; r > bestOff {
				bestOff, bestOffName = r, c.name()
			}
			if c.Chunk == 0 && c.Parallel == 0 {
				defaultsOff = rate.Median / base.Median
			}
		}
	}
	sec.Tables = append(sec.Tables, table{
		Header: []string{"Uploader", "Configuration", "Time", "Throughput", "÷ curl PUT", "Sent", "Peak RSS", "RSS target"},
		Rows:   rows,
	})
	sec.Notes = append(sec.Notes, "What the uploader holds (lib/anaplan's Upload): one raw chunk per PUT in flight, plus one "+
		"read ahead so that reading overlaps sending (none at parallel 1, which asks for the least memory); with gzip, a PUT "+
		"gives its raw chunk back once compressed and holds its compressed copy (allocated once at half a chunk, about a "+
		"third is used), and no more chunks are compressed at once than there are CPUs. Profiling the first runs of this "+
		"scenario found the uploader over its target with gzip: a raw chunk per PUT even while only two could be compressing, "+
		"compressed buffers grown by repeated doubling (garbage the GC let pile up), and the read-ahead chunk at parallel 1 "+
		"(2 chunks where the target allows 1.5). At 8 MiB × 4 with gzip that was 84–88 MB against 80 MB; the fixes bring it "+
		"to about 50 MB.",
		"On loopback, gzip costs far more CPU (compressing here, decompressing in the emulator, on the same 2 cores) than "+
			"it saves in bytes, so gzip-on throughput is bound by compression, not by the transfer: it is measured for RSS and "+
			"for completeness, and the throughput target is for gzip off. Against a real tenant over the internet the "+
			"trade reverses, which is why the client compresses by default.")
	verdicts[0] = measuredVerdict(targetUploadThroughput,
		fmt.Sprintf("%.0f%% with the defaults; best %.0f%% (%s)", 100*defaultsOff, 100*bestOff, bestOffName), defaultsOff >= 0.8)
	verdicts[1] = measuredVerdict(targetUploadRSS,
		fmt.Sprintf("worst %s of its target (%s)", sig(worstRSS)+"×", worstConfig), worstRSS <= 1)
	return sec, verdicts, nil
}

// curlPut uploads file in one PUT and returns curl's total time.
func curlPut(ctx context.Context, sb *sandbox, headers, file string, size int64) (float64, error) {
	url := fmt.Sprintf("%s/2/0/workspaces/%s/models/%s/files/%s", sb.URL, emulator.RegistryWorkspaceID, emulator.RegistryModelID, uploadFileID)
	secs, sent, err := curlTimes(ctx, headers, http.StatusNoContent, [][]string{{"-T", file, url}}) // 204, as Anaplan answers an upload
	if err != nil {
		return 0, err
	}
	if sent != size {
		return 0, fmt.Errorf("curl PUT sent %d of %d bytes", sent, size)
	}
	return secs, nil
}

// uploadChild runs one Upload in a fresh child process; it returns the
// upload's time, the bytes it sent and the child's peak RSS.
func (b *bench) uploadChild(ctx context.Context, sb *sandbox, file string, c uploadConfig) (secs, wire float64, rss int64, err error) {
	m, err := child{Path: b.self, Dir: b.tmp, Env: cleanEnv(), Args: []string{childCommand, "upload",
		"-url", sb.URL, "-file", file, "-chunk", strconv.FormatInt(c.Chunk, 10),
		"-parallel", strconv.Itoa(c.Parallel), "-gzip=" + strconv.FormatBool(c.Gzip)}}.run(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	var out struct{ Seconds, Wire float64 }
	if err := json.Unmarshal([]byte(m.Stdout), &out); err != nil {
		return 0, 0, 0, fmt.Errorf("upload child printed %q: %w", m.Stdout, err)
	}
	return out.Seconds, out.Wire, m.MaxRSS, nil
}

// uploadChild uploads a file to a sandbox and prints how long UploadFile
// took: bench child upload -url URL -file F -chunk N -parallel P -gzip.
func uploadChild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("upload", flag.ContinueOnError)
	url := fs.String("url", "", "sandbox URL")
	file := fs.String("file", "", "file to upload")
	chunk := fs.Int64("chunk", 0, "chunk size")
	parallel := fs.Int("parallel", 0, "parallel PUTs")
	gz := fs.Bool("gzip", true, "compress chunks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(*url), anaplan.WithAPIURL(*url+"/2/0"))
	if err != nil {
		return err
	}
	if _, err := c.Token(ctx); err != nil {
		return err
	}
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	var wire int64
	start := time.Now()
	if _, err := m.UploadFile(ctx, uploadFileID, *file, anaplan.UploadOptions{ChunkSize: *chunk, Parallel: *parallel, NoGzip: !*gz,
		Progress: func(p anaplan.UploadProgress) { wire = p.WireBytes }}); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(struct{ Seconds, Wire float64 }{time.Since(start).Seconds(), float64(wire)})
}

// writeUploadCSV writes size bytes of models.csv-like rows to path, the
// last row cut to fit: the upload never parses it.
func writeUploadCSV(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var written int64
	var line []byte
	x := uint64(0x9E3779B97F4A7C15)
	w.WriteString("Code,Name,Workspace,currentSize\n")
	written += 32
	for i := 0; written < size; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		line = line[:0]
		line = fmt.Appendf(line, "%016X%016X,%s Plan %06d - %s,8a81b09d5e8c6f27015e%012x,%d\n",
			x, x*31, []string{"Sales", "Finance", "Workforce", "Supply"}[x%4], i%1000000,
			[]string{"DEV", "TEST", "PROD"}[x%3], x%500, x%10_000_000_000)
		if rest := size - written; int64(len(line)) > rest {
			line = line[:rest]
		}
		n, err := w.Write(line)
		written += int64(n)
		if err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
