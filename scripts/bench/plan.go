package main

import (
	"fmt"
	"strings"
	"time"
)

// plan is what one bench run measures: the sizes the issue asks for, or
// smaller ones in -quick mode.
type plan struct {
	Quick   bool
	Repeats int // per measured configuration

	// Scenario 1: registry build with injected latency.
	Workspaces, Models int
	Latencies          []time.Duration // 0 is always measured first: it gives the local processing time

	// Scenario 2: chunked upload.
	UploadSize    int64
	ChunkSizes    []int64
	Parallel      []int
	UploadRepeats int

	// Scenario 3: engine import.
	ImportRows  int // list import rows
	ImportCells int // module import cells (two number line items per row)

	// Scenario 4: large reads and cell writes (cells = items = rows of a
	// one-line-item module), and the registry sync.
	ReadCells   []int // the largest first: the throughput targets read it
	WriteCells  int
	SyncModels  int
	SyncRepeats int

	// Scenario 5: notebooks.
	NotebookCold    bool // also measure a cold run (fresh kernel, empty Go build cache)
	NotebookRepeats int  // warm runs per notebook
	NotebookLimit   int  // 0: every notebook; n: the first n
	NotebookWarmup  bool // run each notebook once, untimed, before its warm runs
	CellBuild       bool // time go build of a cell-shaped program

	// Scenario 6: scaling.
	Scaling []int
	Load    bool // also time scripts/registry -load at each size
}

func fullPlan() plan {
	return plan{
		Repeats:    5,
		Workspaces: 500, Models: 20000,
		Latencies:       []time.Duration{0, 10 * time.Millisecond, 30 * time.Millisecond, 100 * time.Millisecond},
		UploadSize:      1 << 30,
		ChunkSizes:      []int64{8 << 20, 50 << 20},
		Parallel:        []int{1, 4},
		UploadRepeats:   3,
		ImportRows:      1_000_000,
		ImportCells:     1_000_000,
		ReadCells:       []int{1_000_000, 100_000},
		WriteCells:      1_000_000,
		SyncModels:      20_000,
		SyncRepeats:     3,
		NotebookCold:    true,
		NotebookRepeats: 3,
		NotebookWarmup:  true,
		CellBuild:       true,
		Scaling:         []int{1000, 10000, 100000},
		Load:            true,
	}
}

// quickPlan finishes in under a minute on a 2-core machine: every scenario
// runs, at sizes that show the shape of the results, not the issue's, with
// one repeat where a run is long and three where it is short.
func quickPlan() plan {
	return plan{
		Quick:      true,
		Repeats:    3,
		Workspaces: 100, Models: 6000,
		Latencies:       []time.Duration{0, 10 * time.Millisecond},
		UploadSize:      64 << 20,
		ChunkSizes:      []int64{8 << 20},
		Parallel:        []int{4},
		UploadRepeats:   1,
		ImportRows:      100_000,
		ImportCells:     100_000,
		ReadCells:       []int{100_000, 10_000},
		WriteCells:      100_000,
		SyncModels:      2_000,
		SyncRepeats:     1,
		NotebookRepeats: 1, // no warm-up: the build cache of whoever runs -quick is warm enough
		NotebookLimit:   1,
		Scaling:         []int{1000, 10000},
	}
}

// describe is the plan in a few lines, printed before the run (and alone
// with -dry-run).
func (p plan) describe(scenarios []string) string {
	var b strings.Builder
	mode := "full"
	if p.Quick {
		mode = "quick"
	}
	fmt.Fprintf(&b, "bench plan (%s), %d repeats per configuration; scenarios: %s\n", mode, p.Repeats, strings.Join(scenarios, ", "))
	fmt.Fprintf(&b, "  registry:  %d workspaces, %d models, latency %v\n", p.Workspaces, p.Models, p.Latencies)
	fmt.Fprintf(&b, "  upload:    %d MiB vs curl PUT; the client's defaults, and chunks %v MiB x parallel %v; gzip off and on; %d repeats\n",
		p.UploadSize>>20, mibs(p.ChunkSizes), p.Parallel, p.UploadRepeats)
	fmt.Fprintf(&b, "  import:    %d-row list import, %d-cell module import\n", p.ImportRows, p.ImportCells)
	fmt.Fprintf(&b, "  reads:     large reads of %v-cell views and lists, %d-cell write, -sync on %d models\n", p.ReadCells, p.WriteCells, p.SyncModels)
	nb := "every notebook"
	if p.NotebookLimit > 0 {
		nb = fmt.Sprintf("the first %d notebook(s)", p.NotebookLimit)
	}
	fmt.Fprintf(&b, "  notebooks: %s, cold run %v, %d warm run(s)\n", nb, p.NotebookCold, p.NotebookRepeats)
	fmt.Fprintf(&b, "  scaling:   %v models, scripts/registry -load too: %v\n", p.Scaling, p.Load)
	b.WriteString("  history:   scripts/registry with and without history, 20,000 models (5,000 with -quick); go test -bench of lib/registry/history\n")
	return b.String()
}

func mibs(sizes []int64) []int64 {
	out := make([]int64, len(sizes))
	for i, s := range sizes {
		out[i] = s >> 20
	}
	return out
}
