package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// Scenario 4: the transactional API. A sandbox (its own process) serves a
// model of one list of N items and one module of one number line item
// over it, so its default view is N cells. The client, in a child process
// of its own, reads the view and the list through large read requests and
// writes N cells; curl fetches the same pages and posts the same batches
// in the same run. Then scripts/registry -sync runs twice on a generated
// tenant.

// benchModel is the definition the sandbox serves as the registry model.
const benchModel = `{"name":"Bench Data","lists":[{"name":"Items"}],` +
	`"modules":[{"name":"Cells","dimensions":["Items"],"lineItems":[{"name":"Value","format":"NUMBER"}]}]}`

const (
	subjectClientRead  = "anaplan large read"
	subjectCurlRead    = "curl pages"
	subjectClientWrite = "anaplan WriteCells"
	subjectCurlWrite   = "curl POST batches"
	subjectSync        = "scripts/registry -sync"
)

func itemCode(i int) string { return fmt.Sprintf("I%07d", i) }

// benchCells are the cells the write measurement sends, value i for item i.
func benchCells(n int) iter.Seq[anaplan.Cell] {
	return func(yield func(anaplan.Cell) bool) {
		for i := range n {
			if !yield(anaplan.Cell{LineItemName: "Value", Dimensions: []anaplan.CellDimension{{DimensionName: "Items", ItemCode: itemCode(i)}}, Value: int64(i)}) {
				return
			}
		}
	}
}

// readsData is one sandbox holding the bench model at one size.
type readsData struct {
	sb               *sandbox
	n                int
	m                *anaplan.ModelHandle
	listID, moduleID string
}

func (b *bench) startReadsData(ctx context.Context, n int) (*readsData, error) {
	def := filepath.Join(b.tmp, "bench-model.json")
	if err := os.WriteFile(def, []byte(benchModel), 0o600); err != nil {
		return nil, err
	}
	sb, err := startSandbox(ctx, b.binary("sandbox"), nil, "-model", emulator.RegistryModelID+"="+def, "-task-duration", "1ms")
	if err != nil {
		return nil, err
	}
	d := &readsData{sb: sb, n: n}
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword), anaplan.WithAuthURL(sb.URL), anaplan.WithAPIURL(sb.URL+"/2/0"))
	if err != nil {
		sb.stop()
		return nil, err
	}
	d.m = c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	if err := d.fill(ctx); err != nil {
		sb.stop()
		return nil, fmt.Errorf("filling the bench model with %d items: %w", n, err)
	}
	return d, nil
}

// fill adds the items and writes their cells (not measured).
func (d *readsData) fill(ctx context.Context) error {
	l, err := d.m.FindList(ctx, "Items")
	if err != nil {
		return err
	}
	mod, err := d.m.FindModule(ctx, "Cells")
	if err != nil {
		return err
	}
	d.listID, d.moduleID = l.ID, mod.ID
	items := make([]anaplan.ItemInput, d.n)
	for i := range items {
		items[i] = anaplan.ItemInput{Code: itemCode(i), Name: "Item " + itemCode(i)}
	}
	res, err := d.m.AddListItems(ctx, l.ID, items, anaplan.WriteOptions{})
	if err == nil && (res.Added != d.n || len(res.Failures) > 0) {
		err = fmt.Errorf("added %d items of %d (%d failures)", res.Added, d.n, len(res.Failures))
	}
	if err != nil {
		return err
	}
	cr, err := d.m.WriteCellsSeq(ctx, mod.ID, benchCells(d.n), anaplan.WriteOptions{})
	if err == nil && len(cr.Failures) > 0 {
		err = fmt.Errorf("%d cells refused, first %s", len(cr.Failures), cr.Failures[0])
	}
	return err
}

func (b *bench) readsScenario(ctx context.Context) (section, []verdict, error) {
	sec, _ := placeholder("reads")
	p := b.plan
	if _, err := osexec.LookPath("curl"); err != nil {
		sec.Skipped = "curl is not installed (sudo apt-get install curl)"
		_, v := placeholder("reads")
		return sec, v, nil
	}
	repeats := min(p.Repeats, 3)
	sec.About = fmt.Sprintf(`A sandbox (its own process, tasks and read requests completing at once) serves a model with a list of N items and a module of one number line item over it, so its default view holds N cells. Each measurement alternates:

- **%s**: a child process logs in and reads through a large read request (start, status, every page, delete) with `+"`ReadViewLarge`/`ReadListLarge`"+`, streaming the CSV into a counter;
- **%s** (baseline): one curl process fetching the same pages of a read request the bench started and saw complete (`+"`curl -o /dev/null`"+` per page, time_total summed);
- **%s**: a child process writing N cells with `+"`WriteCellsSeq`"+` (batches of 100,000, one built at a time), against **%s**: curl posting the same batch bodies, byte for byte.

The client's time starts after login and covers the whole read request (start, status polls, pages, delete); curl's is its time_total of the pages alone, so the client carries a few round trips curl does not. Peak RSS is the child's. Then **%s** runs twice on a generated tenant of %s models: the first sync writes everything, the second must only read; requests and write requests are counted from the sandbox's log. %d repeats.`,
		subjectClientRead, subjectCurlRead, subjectClientWrite, subjectCurlWrite, subjectSync, commas(p.SyncModels), repeats)

	readRows := [][]string{}
	var verdicts []verdict
	rssBySize := map[int]float64{}
	for si, n := range p.ReadCells {
		b.progress("reads: filling a model with %d items and cells", n)
		d, err := b.startReadsData(ctx, n)
		if err != nil {
			return sec, nil, err
		}
		hdr, err := b.curlHeaders(ctx, d.sb, "curl-reads-headers", "Content-Type: application/json", "Accept: text/csv, application/json", "Expect:")
		if err != nil {
			d.sb.stop()
			return sec, nil, err
		}
		kase := fmt.Sprintf("cells=%d", n)
		for r := 1; r <= repeats; r++ {
			for _, kind := range []string{"views", "lists"} {
				id := d.moduleID
				if kind == "lists" {
					id = d.listID
				}
				secs, rows, rss, err := b.readsChildRun(ctx, d.sb, "read", "-kind", kind, "-id", id)
				if err != nil {
					d.sb.stop()
					return sec, nil, err
				}
				if rows != int64(n) {
					d.sb.stop()
					return sec, nil, fmt.Errorf("the client read %d rows of %s, want %d", rows, kind, n)
				}
				b.res.add(sample{Scenario: "reads", Case: kase + " " + kind, Subject: subjectClientRead, Metric: "rows/s", Unit: "rows/s", Repeat: r, Value: float64(rows) / secs})
				b.res.add(sample{Scenario: "reads", Case: kase + " " + kind, Subject: subjectClientRead, Metric: "rss", Unit: "MB", Repeat: r, Value: mb(rss)})
				csecs, err := b.curlPages(ctx, d, hdr, kind, id)
				if err != nil {
					d.sb.stop()
					return sec, nil, err
				}
				b.res.add(sample{Scenario: "reads", Case: kase + " " + kind, Subject: subjectCurlRead, Metric: "rows/s", Unit: "rows/s", Repeat: r, Value: float64(n) / csecs})
				b.progress("reads %s %d #%d: client %.2fs (%.0f MB), curl %.2fs", kind, n, r, secs, mb(rss), csecs)
			}
			if si == 0 && p.WriteCells > 0 && p.WriteCells <= n {
				if err := b.measureWrites(ctx, d, hdr, r); err != nil {
					d.sb.stop()
					return sec, nil, err
				}
			}
		}
		d.sb.stop()
		for _, kind := range []string{"views", "lists"} {
			c := kase + " " + kind
			cl, cu := b.res.summary("reads", c, subjectClientRead, "rows/s"), b.res.summary("reads", c, subjectCurlRead, "rows/s")
			rss := b.res.summary("reads", c, subjectClientRead, "rss")
			rssBySize[n] = max(rssBySize[n], rss.Max)
			what := map[string]string{"views": "view, cells", "lists": "list, items"}[kind]
			readRows = append(readRows, []string{fmt.Sprintf("%s: %s", what, commas(n)), cl.spread("rows/s"), cu.spread("rows/s"),
				pctOf(cl.Median, cu.Median), rss.spread("MB")})
			if si == 0 {
				target := targetReadView
				if kind == "lists" {
					target = targetReadList
				}
				verdicts = append(verdicts, measuredVerdict(target, pctOf(cl.Median, cu.Median), cl.Median >= 0.8*cu.Median))
			}
		}
	}
	sec.Notes = append(sec.Notes, "The fixed cost of a read request (its start, one status poll at the client's 5 ms "+
		"interval before the first page, its delete) is a few milliseconds: it is what separates the client from curl at "+
		"100,000 rows, a 20 ms read, which has no target. At 1,000,000 rows it is small, and the ratios move by several "+
		"points between runs on this shared 2-core machine (the sandbox runs on the same cores): a ratio near 80% can land "+
		"on either side. The client reads pages one after another, as curl does; fetching the next page while the caller "+
		"reads the current one would hide the round trips, at the cost of one page of memory, and is not done.")
	sec.Tables = append(sec.Tables, table{Caption: "Large reads", Header: []string{"Object", "Client", "curl (same pages)", "÷ curl", "Client peak RSS"}, Rows: readRows})

	// RSS: under 50 MB at every size, and not growing with it.
	var got []string
	holds := true
	big, small := rssBySize[p.ReadCells[0]], rssBySize[p.ReadCells[len(p.ReadCells)-1]]
	for _, n := range p.ReadCells {
		got = append(got, fmt.Sprintf("%s MB at %s", sig(rssBySize[n]), commas(n)))
		holds = holds && rssBySize[n] < 50
	}
	holds = holds && big <= small*1.25+5
	verdicts = append(verdicts, measuredVerdict(targetReadRSS, "worst "+strings.Join(got, ", "), holds))

	if p.WriteCells > 0 {
		kase := fmt.Sprintf("cells=%d", p.WriteCells)
		cl, cu := b.res.summary("reads", kase, subjectClientWrite, "cells/s"), b.res.summary("reads", kase, subjectCurlWrite, "cells/s")
		rss := b.res.summary("reads", kase, subjectClientWrite, "rss")
		sec.Tables = append(sec.Tables, table{Caption: "Cell writes", Header: []string{"Cells", "Client", "curl (same batches)", "÷ curl", "Client peak RSS"},
			Rows: [][]string{{commas(p.WriteCells), cl.spread("cells/s"), cu.spread("cells/s"), pctOf(cl.Median, cu.Median), rss.spread("MB")}}})
		verdicts = append(verdicts, measuredVerdict(targetWriteCells, pctOf(cl.Median, cu.Median), cl.Median >= 0.8*cu.Median))
		sec.Notes = append(sec.Notes, "Cell writes encode the next batch while the current one is sent (sequentially they "+
			"reached about 80% of curl): the batch being sent, the next and the one being encoded are alive at once, about "+
			"11 MB of body each at 100,000 cells, which with the Go heap's headroom makes the writer's peak RSS. There is no "+
			"memory target for writes; it does not grow with the number of cells, only with the batch size.")
	}

	syncRows, v, err := b.measureSync(ctx, p.SyncModels, p.SyncRepeats)
	if err != nil {
		return sec, verdicts, err
	}
	sec.Tables = append(sec.Tables, table{Caption: "scripts/registry -sync on a generated tenant", Header: []string{"Run", "Time", "Requests", "Write requests", "Changes", "Peak RSS"}, Rows: syncRows})
	verdicts = append(verdicts, v)
	return sec, verdicts, nil
}

func pctOf(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*a/b)
}

func commas(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// curlPages starts a read request, waits for it to complete, and times one
// curl process fetching every page; it deletes the request afterwards.
func (b *bench) curlPages(ctx context.Context, d *readsData, headers, kind, id string) (float64, error) {
	var rr *anaplan.ReadRequest
	var err error
	if kind == "lists" {
		rr, err = d.m.StartListRead(ctx, id)
	} else {
		rr, err = d.m.StartViewRead(ctx, id, "")
	}
	if err != nil {
		return 0, err
	}
	defer rr.Delete(context.WithoutCancel(ctx))
	var st anaplan.ReadRequestStatus
	for {
		if st, err = rr.Status(ctx); err != nil {
			return 0, err
		}
		if st.State == anaplan.ReadComplete {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	base := fmt.Sprintf("%s/2/0/workspaces/%s/models/%s/%s/%s/readRequests/%s/pages/", d.sb.URL, emulator.RegistryWorkspaceID, emulator.RegistryModelID, kind, id, rr.ID)
	pages := make([][]string, st.AvailablePages)
	for pg := range pages {
		pages[pg] = []string{base + strconv.Itoa(pg)}
	}
	secs, _, err := curlTimes(ctx, headers, http.StatusOK, pages)
	return secs, err
}

// measureWrites times the client writing the cells and curl posting the
// same batch bodies, one repeat.
func (b *bench) measureWrites(ctx context.Context, d *readsData, headers string, r int) error {
	n := b.plan.WriteCells
	kase := fmt.Sprintf("cells=%d", n)
	secs, _, rss, err := b.readsChildRun(ctx, d.sb, "write", "-id", d.moduleID, "-n", strconv.Itoa(n))
	if err != nil {
		return err
	}
	b.res.add(sample{Scenario: "reads", Case: kase, Subject: subjectClientWrite, Metric: "cells/s", Unit: "cells/s", Repeat: r, Value: float64(n) / secs})
	b.res.add(sample{Scenario: "reads", Case: kase, Subject: subjectClientWrite, Metric: "rss", Unit: "MB", Repeat: r, Value: mb(rss)})
	files, err := b.writeBatchFiles(n)
	if err != nil {
		return err
	}
	url := fmt.Sprintf("%s/2/0/workspaces/%s/models/%s/modules/%s/data", d.sb.URL, emulator.RegistryWorkspaceID, emulator.RegistryModelID, d.moduleID)
	posts := make([][]string, len(files))
	for i, f := range files {
		posts[i] = []string{"--data-binary", "@" + f, url}
	}
	csecs, _, err := curlTimes(ctx, headers, http.StatusOK, posts)
	if err != nil {
		return err
	}
	b.res.add(sample{Scenario: "reads", Case: kase, Subject: subjectCurlWrite, Metric: "cells/s", Unit: "cells/s", Repeat: r, Value: float64(n) / csecs})
	b.progress("write %d cells #%d: client %.2fs (%.0f MB), curl %.2fs", n, r, secs, mb(rss), csecs)
	return nil
}

// writeBatchFiles writes the JSON bodies WriteCells sends for n cells in
// batches of 100,000 (the encoding the client produces, byte for byte).
func (b *bench) writeBatchFiles(n int) ([]string, error) {
	var files []string
	for start := 0; start < n; start += anaplan.MaxCellsPerCall {
		path := filepath.Join(b.tmp, fmt.Sprintf("cells-%d.json", start))
		files = append(files, path)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		var buf bytes.Buffer
		buf.WriteByte('[')
		for i := start; i < min(n, start+anaplan.MaxCellsPerCall); i++ {
			if i > start {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"lineItemName":"Value","dimensions":[{"dimensionName":"Items","itemCode":"%s"}],"value":%d}`, itemCode(i), i)
		}
		buf.WriteByte(']')
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// readsChildRun runs one client measurement in a child process.
func (b *bench) readsChildRun(ctx context.Context, sb *sandbox, args ...string) (secs float64, rows, rss int64, err error) {
	m, err := child{Path: b.self, Dir: b.tmp, Env: cleanEnv(), Args: append([]string{childCommand, "reads", "-url", sb.URL, "-do"}, args...)}.run(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	var out struct {
		Seconds float64
		Rows    int64
	}
	if err := json.Unmarshal([]byte(m.Stdout), &out); err != nil {
		return 0, 0, 0, fmt.Errorf("reads child printed %q: %w", m.Stdout, err)
	}
	return out.Seconds, out.Rows, m.MaxRSS, nil
}

// readsChild is the client side: -do read (-kind views|lists -id ID) or
// -do write (-id MODULE -n N). It prints the time after login and rows.
func readsChild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("reads", flag.ContinueOnError)
	url := fs.String("url", "", "sandbox URL")
	do := fs.String("do", "", "read or write")
	kind := fs.String("kind", "views", "views or lists")
	id := fs.String("id", "", "view, list or module id")
	n := fs.Int("n", 0, "cells to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := anaplan.New(anaplan.BasicAuth(emulator.DemoUser, emulator.DemoPassword),
		anaplan.WithAuthURL(*url), anaplan.WithAPIURL(*url+"/2/0"), anaplan.WithPollInterval(5*time.Millisecond))
	if err != nil {
		return err
	}
	if _, err := c.Token(ctx); err != nil {
		return err
	}
	m := c.Model(emulator.RegistryWorkspaceID, emulator.RegistryModelID)
	start := time.Now()
	var rows int64
	switch *do {
	case "read":
		var rc io.ReadCloser
		if *kind == "lists" {
			rc, err = m.ReadListLarge(ctx, *id, nil)
		} else {
			rc, err = m.ReadViewLarge(ctx, *id, "", nil)
		}
		if err != nil {
			return err
		}
		lc := &lineCounter{}
		if _, err := io.CopyBuffer(lc, rc, make([]byte, 256<<10)); err != nil {
			rc.Close()
			return err
		}
		if err := rc.Close(); err != nil {
			return err
		}
		rows = lc.lines - 1 // the header
	case "write":
		res, err := m.WriteCellsSeq(ctx, *id, benchCells(*n), anaplan.WriteOptions{})
		if err != nil {
			return err
		}
		if len(res.Failures) > 0 {
			return fmt.Errorf("%d cells refused, first %s", len(res.Failures), res.Failures[0])
		}
		rows = int64(*n)
	default:
		return fmt.Errorf("reads child: -do %q: want read or write", *do)
	}
	return json.NewEncoder(stdout).Encode(struct {
		Seconds float64
		Rows    int64
	}{time.Since(start).Seconds(), rows})
}

type lineCounter struct{ lines int64 }

func (l *lineCounter) Write(p []byte) (int, error) {
	l.lines += int64(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// measureSync runs scripts/registry -sync twice on a fresh generated
// tenant, per repeat, and checks the second run only reads.
func (b *bench) measureSync(ctx context.Context, models, repeats int) ([][]string, verdict, error) {
	kase := fmt.Sprintf("models=%d", models)
	worstWrites := 0
	for r := 1; r <= repeats; r++ {
		sb, err := startSandbox(ctx, b.binary("sandbox"), nil, "-workspaces", strconv.Itoa(max(1, models/40)), "-models", strconv.Itoa(models), "-task-duration", "1ms")
		if err != nil {
			return nil, verdict{}, err
		}
		for _, run := range []string{"first", "second"} {
			out, err := os.MkdirTemp(b.tmp, "sync-")
			if err != nil {
				sb.stop()
				return nil, verdict{}, err
			}
			before := sb.snapshot()
			m, err := child{Env: clientEnv(sb), Dir: b.tmp, Path: b.binary("registry"), Args: []string{"-out", out, "-env", os.DevNull, "-sync"}}.run(ctx)
			os.RemoveAll(out)
			if err != nil {
				sb.stop()
				return nil, verdict{}, err
			}
			t := sb.snapshot().since(before)
			var changes int
			lines := strings.Split(strings.TrimSpace(m.Stdout), "\n")
			if _, err := fmt.Sscanf(lines[len(lines)-1], "%d change", &changes); err != nil {
				sb.stop()
				return nil, verdict{}, fmt.Errorf("-sync printed no change count: %q", tail(m.Stdout, 3))
			}
			c := kase + " " + run
			b.res.add(sample{Scenario: "reads", Case: c, Subject: subjectSync, Metric: "wall", Unit: "s", Repeat: r, Value: m.Wall.Seconds()})
			b.res.add(sample{Scenario: "reads", Case: c, Subject: subjectSync, Metric: "requests", Unit: "count", Repeat: r, Value: float64(t.Requests)})
			b.res.add(sample{Scenario: "reads", Case: c, Subject: subjectSync, Metric: "writes", Unit: "count", Repeat: r, Value: float64(t.Writes)})
			b.res.add(sample{Scenario: "reads", Case: c, Subject: subjectSync, Metric: "changes", Unit: "count", Repeat: r, Value: float64(changes)})
			b.res.add(sample{Scenario: "reads", Case: c, Subject: subjectSync, Metric: "rss", Unit: "MB", Repeat: r, Value: mb(m.MaxRSS)})
			b.progress("sync %s #%d: %.2fs, %d requests (%d writes), %d changes", run, r, m.Wall.Seconds(), t.Requests, t.Writes, changes)
			if run == "second" {
				worstWrites = max(worstWrites, t.Writes)
			}
		}
		sb.stop()
	}
	var rows [][]string
	for _, run := range []string{"first", "second"} {
		c := kase + " " + run
		rows = append(rows, []string{fmt.Sprintf("%s sync, %s models", run, commas(models)),
			b.res.summary("reads", c, subjectSync, "wall").spread("s"),
			b.res.summary("reads", c, subjectSync, "requests").spread(""),
			b.res.summary("reads", c, subjectSync, "writes").spread(""),
			b.res.summary("reads", c, subjectSync, "changes").spread(""),
			b.res.summary("reads", c, subjectSync, "rss").spread("MB")})
	}
	return rows, measuredVerdict(targetSyncReads, fmt.Sprintf("%d write requests (worst of %d)", worstWrites, repeats), worstWrites == 0), nil
}
